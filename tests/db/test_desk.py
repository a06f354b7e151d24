"""db/desk.py: which requests a coordinator entered for someone, on a real database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db import desk as desk_repo
from db.models import DeskAccount, ProxyRequest, RequestStatus
from tests.db.repo import member, request


def test_proxied_among_names_only_proxy_requests_asked_about(session: Session) -> None:
    resident = member(session, "resident")
    account = DeskAccount(login="suzuki", password_hash="-")
    session.add(account)
    session.flush()
    by_phone, by_line, other_proxy = (request(session, resident, RequestStatus.OPEN) for _ in range(3))
    session.add_all(
        [
            ProxyRequest(request_id=by_phone.id, account_id=account.id),
            ProxyRequest(request_id=other_proxy.id, account_id=account.id),
        ]
    )
    session.flush()
    assert desk_repo.proxied_among(session, [by_phone.id, by_line.id]) == {by_phone.id}
    assert desk_repo.proxied_among(session, [by_line.id]) == set()
    assert desk_repo.proxied_among(session, []) == set()
