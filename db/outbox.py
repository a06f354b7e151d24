"""Outbox repository: queue outgoing LINE messages in the caller's transaction, then track delivery."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import OutboundMessage, OutboundStatus

# Higher is more urgent: when the monthly quota runs low, only urgent pushes go out.
PRIORITY_REPLY = 100
PRIORITY_URGENT = 80  # accept / cancel notices
PRIORITY_NORMAL = 50
PRIORITY_LOW = 20  # digests, re-asks

MULTICAST_LIMIT = 500


def enqueue_reply(
    session: Session,
    reply_token: str,
    recipient: str,
    messages: Sequence[dict[str, Any]],
    *,
    event_id: str | None,
) -> OutboundMessage:
    return _add(session, "reply", [recipient], messages, PRIORITY_REPLY, event_id, reply_token=reply_token)


def enqueue_push(
    session: Session,
    recipients: Sequence[str],
    messages: Sequence[dict[str, Any]],
    *,
    priority: int = PRIORITY_NORMAL,
    event_id: str | None = None,
    not_before: datetime | None = None,
) -> list[OutboundMessage]:
    """A push for one recipient, multicasts (≤ 500 each) for several; duplicates are dropped."""
    unique = list(dict.fromkeys(recipients))
    if len(unique) == 1:
        return [_add(session, "push", unique, messages, priority, event_id, not_before=not_before)]
    return [
        _add(
            session,
            "multicast",
            unique[i : i + MULTICAST_LIMIT],
            messages,
            priority,
            event_id,
            not_before=not_before,
        )
        for i in range(0, len(unique), MULTICAST_LIMIT)
    ]


def _add(
    session: Session,
    kind: str,
    recipients: list[str],
    messages: Sequence[dict[str, Any]],
    priority: int,
    event_id: str | None,
    *,
    reply_token: str | None = None,
    not_before: datetime | None = None,
) -> OutboundMessage:
    row = OutboundMessage(
        kind=kind,
        recipients=recipients,
        messages=list(messages),
        reply_token=reply_token,
        retry_key=str(uuid.uuid4()),
        priority=priority,
        webhook_event_id=event_id,
    )
    if not_before is not None:
        row.next_attempt_at = not_before
    session.add(row)
    return row


def pending(session: Session, now: datetime, limit: int = 100) -> Sequence[OutboundMessage]:
    """Pushes due now, most urgent first, never replies (their tokens only live a minute)."""
    query = (
        select(OutboundMessage)
        .where(
            OutboundMessage.status == OutboundStatus.PENDING,
            OutboundMessage.kind != "reply",
            OutboundMessage.next_attempt_at <= now,
        )
        .order_by(OutboundMessage.priority.desc(), OutboundMessage.id)
        .limit(limit)
    )
    return session.scalars(query).all()


def mark_sent(row: OutboundMessage, now: datetime) -> None:
    row.status = OutboundStatus.SENT
    row.attempts += 1
    row.sent_at = now
    row.last_error = None


def mark_failed(row: OutboundMessage, now: datetime, error: str, *, retry_in: timedelta | None) -> None:
    """Record a failure; with retry_in the row stays pending and is tried again later."""
    row.attempts += 1
    row.last_error = error
    if retry_in is None:
        row.status = OutboundStatus.FAILED
    else:
        row.next_attempt_at = now + retry_in
