"""db/conversations.py: one flow's conversations, on a real database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db import conversations
from tests.db.repo import NOW, member


def test_in_flow_finds_every_conversation_of_one_flow(session: Session) -> None:
    a, b, c = member(session, "a"), member(session, "b"), member(session, "c")
    conversations.set_state(session, a.id, "relay", "talking", {"request_id": 1}, now=NOW)
    conversations.set_state(session, b.id, "relay", "talking", {"request_id": 2}, now=NOW)
    conversations.set_state(session, c.id, "request", "place", {}, now=NOW)
    session.flush()
    assert sorted(s.member_id for s in conversations.in_flow(session, "relay")) == [a.id, b.id]
