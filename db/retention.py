"""Retention: old webhook event ids and finished outbox rows, counted or removed a bounded batch at a time.

Each function does one batch in the caller's transaction. Rows are taken with FOR UPDATE SKIP LOCKED,
so several workers purging at once split the rows instead of waiting on each other (SQLite ignores it:
there a single worker runs).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Delete, Select, Text, Update, and_, cast, delete, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.erasure import blank_request, erase_member
from db.models import (
    HelpRequest,
    Member,
    OutboundMessage,
    OutboundStatus,
    ProcessedEvent,
    RelayMedia,
    RequestStatus,
)

# Only rows the deliverer is done with; pending rows (leased to a sender or not) are never touched.
FINISHED = (OutboundStatus.SENT, OutboundStatus.FAILED)
# What an erased body looks like: the bot never sends zero messages, so it cannot be mistaken for one.
ERASED: list[Any] = []


# A relay photo's link works this long (bot/media.py); then its row, which ties a LINE message to a
# request, goes too (the photo itself was only ever held by LINE).
RELAY_PHOTO_LIFETIME = timedelta(days=14)
# Requests whose words and place are kept only while they may still be needed.
CLOSED = (RequestStatus.DONE, RequestStatus.CANCELLED, RequestStatus.EXPIRED)


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


# --- personal data: departed members, closed requests, relay photos ----------------------------------


def departed(cutoff: datetime) -> ColumnElement[bool]:
    """Members who unfollowed before `cutoff`, did not come back, and are not erased yet."""
    return and_(Member.active.is_(False), Member.left_at < cutoff, Member.erased_at.is_(None))


def requests_to_anonymise(cutoff: datetime) -> ColumnElement[bool]:
    """Requests closed before `cutoff` that still hold words or a place."""
    return and_(
        HelpRequest.status.in_(CLOSED),
        HelpRequest.closed_at < cutoff,
        (HelpRequest.text != "")
        | HelpRequest.address.is_not(None)
        | HelpRequest.lat.is_not(None)
        | HelpRequest.lon.is_not(None),
    )


def old_photos(cutoff: datetime) -> ColumnElement[bool]:
    return RelayMedia.created_at < cutoff


def count_members(session: Session, where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(Member).where(where)) or 0


def count_requests(session: Session, where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(HelpRequest).where(where)) or 0


def count_photos(session: Session, where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(RelayMedia).where(where)) or 0


def erase_departed(
    session: Session,
    where: ColumnElement[bool],
    limit: int,
    now: datetime,
    before: Callable[[Session, Member], None] | None = None,
) -> int:
    """Erase up to `limit` members who left long enough ago (their open help was undone at unfollow).

    before: called with each member first (the job tells whoever waits for their class seats).
    """
    batch = session.scalars(
        select(Member).where(where).order_by(Member.left_at).limit(limit).with_for_update(skip_locked=True)
    ).all()
    for member in batch:
        if before is not None:
            before(session, member)
        erase_member(session, member, now)
    return len(batch)


def anonymise_requests(session: Session, where: ColumnElement[bool], limit: int) -> int:
    """Blank the text, address and coordinates of up to `limit` old closed requests (and their photos)."""
    batch = session.scalars(
        select(HelpRequest)
        .where(where)
        .order_by(HelpRequest.closed_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for request in batch:
        blank_request(request)
    if batch:
        session.execute(delete(RelayMedia).where(RelayMedia.request_id.in_([r.id for r in batch])))
    return len(batch)


def delete_photos(session: Session, where: ColumnElement[bool], limit: int) -> int:
    """Delete up to `limit` relay photo rows, oldest first (the photo itself was only ever at LINE)."""
    batch = _oldest(select(RelayMedia.id), RelayMedia.created_at, where, limit)
    return _rowcount(session, delete(RelayMedia).where(RelayMedia.id.in_(batch)))
