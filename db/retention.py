"""Retention: old webhook event ids and finished outbox rows, counted or removed a bounded batch at a time.

Each function does one batch in the caller's transaction. Rows are taken with FOR UPDATE SKIP LOCKED,
so several workers purging at once split the rows instead of waiting on each other (SQLite ignores it:
there a single worker runs).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Delete, Select, Text, Update, and_, cast, delete, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.models import OutboundMessage, OutboundStatus, ProcessedEvent

# Only rows the deliverer is done with; pending rows (leased to a sender or not) are never touched.
FINISHED = (OutboundStatus.SENT, OutboundStatus.FAILED)
# What an erased body looks like: the bot never sends zero messages, so it cannot be mistaken for one.
ERASED: list[Any] = []


def old_events(cutoff: datetime) -> ColumnElement[bool]:
    return ProcessedEvent.received_at < cutoff


def old_messages(cutoff: datetime) -> ColumnElement[bool]:
    return and_(OutboundMessage.status.in_(FINISHED), OutboundMessage.created_at < cutoff)


def bodies_to_erase(cutoff: datetime, kept_since: datetime) -> ColumnElement[bool]:
    """Finished rows older than `cutoff` that still have a body (those before `kept_since` go whole)."""
    return and_(
        OutboundMessage.status.in_(FINISHED),
        OutboundMessage.created_at < cutoff,
        OutboundMessage.created_at >= kept_since,
        cast(OutboundMessage.messages, Text) != "[]",
    )


def count_events(session: Session, where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(ProcessedEvent).where(where)) or 0


def count_messages(session: Session, where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(OutboundMessage).where(where)) or 0


def delete_events(session: Session, where: ColumnElement[bool], limit: int) -> int:
    """Delete up to `limit` matching event ids, oldest first; returns how many."""
    batch = _oldest(select(ProcessedEvent.webhook_event_id), ProcessedEvent.received_at, where, limit)
    return _rowcount(session, delete(ProcessedEvent).where(ProcessedEvent.webhook_event_id.in_(batch)))


def delete_messages(session: Session, where: ColumnElement[bool], limit: int) -> int:
    """Delete up to `limit` matching outbox rows, oldest first; returns how many."""
    batch = _oldest(select(OutboundMessage.id), OutboundMessage.created_at, where, limit)
    return _rowcount(session, delete(OutboundMessage).where(OutboundMessage.id.in_(batch)))


def erase_bodies(session: Session, where: ColumnElement[bool], limit: int) -> list[datetime]:
    """Replace the messages of up to `limit` matching rows with ERASED, oldest first.

    Returns the erased rows' creation times: the caller starts the next batch at the latest, because
    erased rows stay (unlike deleted ones) and would otherwise be scanned again by every batch.
    """
    batch = _oldest(select(OutboundMessage.id), OutboundMessage.created_at, where, limit)
    statement = (
        update(OutboundMessage)
        .where(OutboundMessage.id.in_(batch))
        .values(messages=ERASED)
        .returning(OutboundMessage.created_at)
    )
    return list(session.scalars(statement, execution_options={"synchronize_session": False}))


def _oldest(
    keys: Select[Any], age: InstrumentedAttribute[datetime], where: ColumnElement[bool], limit: int
) -> Select[Any]:
    # A subquery, so the batch is chosen and changed in one statement whatever its size.
    return keys.where(where).order_by(age).limit(limit).with_for_update(skip_locked=True)


def _rowcount(session: Session, statement: Delete | Update) -> int:
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return int(result.rowcount)  # type: ignore[attr-defined]
