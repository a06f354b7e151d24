"""db/fees.py: whom the desk's ticket page lists, on a real database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db import fees as fee_repo
from db.models import RequestStatus, TicketEntry
from tests.db.repo import member, request


def test_ticket_people_are_requesters_and_ticket_holders_by_name(session: Session) -> None:
    ueda, abe, kato, nobody = (member(session, n) for n in ("ueda", "abe", "kato", "nobody"))
    request(session, ueda, RequestStatus.DRAFT)
    request(session, ueda, RequestStatus.DONE)
    session.add(TicketEntry(member_id=abe.id, kind=fee_repo.SOLD, yen=1000))
    session.add(TicketEntry(member_id=kato.id, kind=fee_repo.SOLD, yen=500))
    request(session, kato, RequestStatus.OPEN)
    session.flush()
    assert [m.id for m in fee_repo.ticket_people(session, 10)] == [abe.id, kato.id, ueda.id]
    assert [m.id for m in fee_repo.ticket_people(session, 2)] == [abe.id, kato.id]
    assert nobody.id
