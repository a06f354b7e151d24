"""db/outbox.py: rows a sender records, replies left unsent and pushes held back, on a real database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from db import outbox
from db.models import OutboundMessage, OutboundStatus
from tests.db.repo import NOW

MESSAGE = [{"type": "text", "text": "こんにちは"}]


def _reply(session: Session, created: timedelta, **values: object) -> OutboundMessage:
    row = outbox.enqueue_reply(session, "token", "U1", MESSAGE, event_id=None, now=NOW - created)
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    return row


def _push(session: Session, priority: int, created: timedelta, **values: object) -> OutboundMessage:
    (row,) = outbox.enqueue_push(session, ["U1"], MESSAGE, priority=priority, now=NOW - created)
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    return row


def test_by_ids_finds_just_those_rows(session: Session) -> None:
    first, second, _third = (_push(session, outbox.PRIORITY_NORMAL, timedelta()) for _ in range(3))
    assert {row.id for row in outbox.by_ids(session, [first.id, second.id])} == {first.id, second.id}
    assert list(outbox.by_ids(session, [])) == []


def test_unsent_replies_are_old_pending_ones_no_live_sender_holds(session: Session) -> None:
    cutoff = NOW - timedelta(minutes=1)
    stale = _reply(session, timedelta(minutes=2))
    lease_over = _reply(session, timedelta(minutes=2), claimed_by="gone", next_attempt_at=NOW)
    _reply(session, timedelta(seconds=10))  # its token still lives
    _reply(session, timedelta(minutes=2), claimed_by="live", next_attempt_at=NOW + timedelta(seconds=30))
    _reply(session, timedelta(minutes=2), status=OutboundStatus.SENT)
    _push(session, outbox.PRIORITY_NORMAL, timedelta(minutes=2))
    found = outbox.unsent_replies(session, cutoff, NOW)
    assert sorted(row.id for row in found) == [stale.id, lease_over.id]


def test_held_pushes_are_old_pending_pushes_below_the_priority(session: Session) -> None:
    day = timedelta(hours=24)
    held = _push(session, outbox.PRIORITY_LOW, day + timedelta(minutes=1))
    _push(session, outbox.PRIORITY_URGENT, day + timedelta(minutes=1))  # urgent enough to go
    _push(session, outbox.PRIORITY_LOW, day - timedelta(minutes=1))  # not held that long yet
    _push(session, outbox.PRIORITY_LOW, day * 2, status=OutboundStatus.FAILED)
    _reply(session, day * 2)
    found = outbox.held_pushes(session, outbox.PRIORITY_URGENT, NOW - day)
    assert [row.id for row in found] == [held.id]
