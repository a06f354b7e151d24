"""db/relay.py: a relay photo found by its token, on a real database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import RelayMedia, RequestStatus
from db.relay import media_by_token
from tests.db.repo import NOW, member, request


def test_media_by_token(session: Session) -> None:
    resident, sato = member(session, "resident"), member(session, "sato")
    row = request(session, resident, RequestStatus.MATCHED, supporter=sato)
    photo = RelayMedia(token="t" * 43, request_id=row.id, line_message_id="5001", created_at=NOW)
    session.add_all([photo, RelayMedia(token="u" * 43, request_id=row.id, line_message_id="5002")])
    session.flush()
    assert media_by_token(session, "t" * 43) is photo
    assert media_by_token(session, "t" * 42) is None
