"""Outbox repository: queue outgoing LINE messages in the caller's transaction, then track delivery."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Table, and_, bindparam, false, insert, or_, select, update
from sqlalchemy.orm import Session

from db.models import OutboundMessage, OutboundStatus, utcnow

T = TypeVar("T")

# Higher is more urgent: when the monthly quota runs low, only urgent pushes go out.
PRIORITY_REPLY = 100
PRIORITY_URGENT = 80  # accept / cancel notices
PRIORITY_NORMAL = 50
PRIORITY_LOW = 20  # digests, re-asks

MULTICAST_LIMIT = 500

_outbound = cast(Table, OutboundMessage.__table__)


def enqueue_reply(
    session: Session,
    reply_token: str,
    recipient: str,
    messages: Sequence[dict[str, Any]],
    *,
    event_id: str | None,
    now: datetime | None = None,
) -> OutboundMessage:
    """A reply with the event's token; `now` is the handler's clock (the wall clock if not given)."""
    now = now or utcnow()
    return _add(
        session,
        "reply",
        [recipient],
        messages,
        PRIORITY_REPLY,
        event_id,
        reply_token=reply_token,
        not_before=now,
        now=now,
    )


_INSERT_REPLY = insert(_outbound)


def add_reply(
    session: Session,
    reply_token: str,
    recipient: str,
    messages: Sequence[dict[str, Any]],
    *,
    event_id: str | None,
    now: datetime,
) -> tuple[int, str]:
    """enqueue_reply as one prebuilt INSERT on the session's connection: (row id, retry key).

    The webhook's path (every event with an answer runs it), where the ORM's unit of work cost more
    than the statement. The row is the same as enqueue_reply's.
    """
    retry_key = str(uuid.uuid4())
    result = session.connection().execute(
        _INSERT_REPLY,
        {
            "kind": "reply",
            "recipients": [recipient],
            "messages": list(messages),
            "reply_token": reply_token,
            "retry_key": retry_key,
            "priority": PRIORITY_REPLY,
            "webhook_event_id": event_id,
            "created_at": now,
            "next_attempt_at": now,
        },
    )
    return int(result.inserted_primary_key[0]), retry_key  # type: ignore[index]


def enqueue_push(
    session: Session,
    recipients: Sequence[str],
    messages: Sequence[dict[str, Any]],
    *,
    priority: int = PRIORITY_NORMAL,
    event_id: str | None = None,
    not_before: datetime | None = None,
    now: datetime | None = None,
    request_id: int | None = None,
) -> list[OutboundMessage]:
    """A push for one recipient, multicasts (≤ 500 each) for several; duplicates are dropped.

    request_id marks a supporter's card, so it can be held back if the request moves on first.
    """
    unique = list(dict.fromkeys(recipients))
    if now is not None:
        # The caller's clock (tests move it) rather than the wall clock.
        not_before = max(not_before or now, now)
    if len(unique) == 1:
        return [
            _add(
                session,
                "push",
                unique,
                messages,
                priority,
                event_id,
                not_before=not_before,
                now=now,
                request_id=request_id,
            )
        ]
    return [
        _add(
            session,
            "multicast",
            unique[i : i + MULTICAST_LIMIT],
            messages,
            priority,
            event_id,
            not_before=not_before,
            now=now,
            request_id=request_id,
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
    now: datetime | None = None,
    request_id: int | None = None,
) -> OutboundMessage:
    row = OutboundMessage(
        kind=kind,
        recipients=recipients,
        messages=list(messages),
        reply_token=reply_token,
        retry_key=str(uuid.uuid4()),
        priority=priority,
        webhook_event_id=event_id,
        request_id=request_id,
    )
    if not_before is not None:
        row.next_attempt_at = not_before
    if now is not None:
        row.created_at = now
    session.add(row)
    return row


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


def claim(
    session: Session,
    now: datetime,
    lease_until: datetime,
    token: str,
    *,
    ids: Sequence[int] | None = None,
    limit: int = 100,
    min_priority: int = 0,
    replies_only: bool = False,
    replies_since: datetime | None = None,
) -> list[OutboundMessage]:
    """Take pending rows for sending: leased to `token` until `lease_until`, most urgent first.

    Without ids: pushes that are due, and replies tried before (LINE did not take them) queued after
    `replies_since` (their token still lives). With ids (just queued by a webhook): those rows,
    replies included, unless another sender holds them. replies_only (quiet hours): replies, and the
    pushes that stand in for replies. FOR UPDATE SKIP LOCKED keeps concurrent senders on PostgreSQL
    apart; the lease brings back the rows of a sender that died before recording.
    """
    query = select(OutboundMessage).where(OutboundMessage.status == OutboundStatus.PENDING)
    if ids is None:
        retrying = (
            false()
            if replies_since is None
            else and_(OutboundMessage.attempts > 0, OutboundMessage.created_at > replies_since)
        )
        query = query.where(
            or_(OutboundMessage.kind != "reply", retrying), OutboundMessage.next_attempt_at <= now
        )
    else:
        query = query.where(OutboundMessage.id.in_(list(ids)), OutboundMessage.next_attempt_at <= now)
    if replies_only:
        query = query.where(or_(OutboundMessage.kind == "reply", OutboundMessage.priority >= PRIORITY_REPLY))
    if min_priority:
        query = query.where(OutboundMessage.priority >= min_priority)
    query = (
        query.order_by(OutboundMessage.priority.desc(), OutboundMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list(session.scalars(query))
    for row in rows:
        row.next_attempt_at = lease_until
        row.claimed_by = token
    return rows


_pending_reply = update(_outbound).where(
    _outbound.c.id == bindparam("row_id"), _outbound.c.status == OutboundStatus.PENDING
)
# Built once: a webhook records every reply it sends, and building the statement cost more than running it.
_REPLY_SENT = _pending_reply.values(
    attempts=_outbound.c.attempts + 1,
    claimed_by=None,
    status=OutboundStatus.SENT,
    sent_at=bindparam("now"),
    last_error=None,
)
_REPLY_FAILED = _pending_reply.values(
    attempts=_outbound.c.attempts + 1,
    claimed_by=None,
    status=OutboundStatus.FAILED,
    last_error=bindparam("error"),
)
_REPLY_AGAIN = _pending_reply.values(
    attempts=_outbound.c.attempts + 1,
    claimed_by=None,
    next_attempt_at=bindparam("retry_at"),
    last_error=bindparam("error"),
)


def record_reply(
    connection: Connection,
    row_id: int,
    ok: bool,
    error: str | None,
    now: datetime,
    *,
    retry_at: datetime | None = None,
) -> None:
    """What became of a reply its webhook sent itself: sent, failed for good (a token is single-use),
    or, with retry_at, not taken by LINE: pending, for the worker to try again then."""
    if ok:
        connection.execute(_REPLY_SENT, {"row_id": row_id, "now": now})
    elif retry_at is not None:
        connection.execute(
            _REPLY_AGAIN, {"row_id": row_id, "error": error or "unknown error", "retry_at": retry_at}
        )
    else:
        connection.execute(_REPLY_FAILED, {"row_id": row_id, "error": error or "unknown error"})


def reply_as_push(session: Session, row: OutboundMessage, now: datetime) -> OutboundMessage:
    """A reply LINE never took, whose token is too old to try again: the same messages go to the same
    person as a push (built like every push, with its own retry key), due now; the reply is closed.

    Priority PRIORITY_REPLY: it answers what the user just wrote, so quiet hours do not hold it.
    """
    (push,) = enqueue_push(
        session, row.recipients, row.messages, priority=PRIORITY_REPLY, event_id=row.webhook_event_id, now=now
    )
    row.status, row.claimed_by = OutboundStatus.FAILED, None
    row.last_error = f"sent as a push instead; {row.last_error or ''}"[:500]
    return push


def renew_lease(session: Session, token: str, lease_until: datetime) -> int:
    """Extend the lease on the rows `token` still holds (a live sender's heartbeat); returns how many."""
    result = session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.claimed_by == token, OutboundMessage.status == OutboundStatus.PENDING)
        .values(next_attempt_at=lease_until)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def drop_unsent_cards(session: Session, request_id: int, now: datetime) -> set[str]:
    """Cards for this request still waiting (quiet hours, a full quota) are never sent: it was taken,
    cancelled or expired first. Returns who would have got one, so they are not told about it either.

    Only rows no sender has tried or holds: those may already have reached LINE.
    """
    rows = session.scalars(
        select(OutboundMessage)
        .where(
            OutboundMessage.request_id == request_id,
            OutboundMessage.status == OutboundStatus.PENDING,
            OutboundMessage.attempts == 0,
            OutboundMessage.claimed_by.is_(None),
        )
        .with_for_update(skip_locked=True)
    ).all()
    dropped: set[str] = set()
    for row in rows:
        row.status, row.last_error = OutboundStatus.FAILED, "not sent: the request moved on first"
        row.next_attempt_at = now
        dropped.update(row.recipients)
    return dropped


def older_waiting(session: Session, below_id: int, exclude: set[int]) -> list[tuple[int, list[str]]]:
    """(id, recipients) of pushes queued before `below_id` and not yet sent or given up on."""
    rows = session.execute(
        select(OutboundMessage.id, OutboundMessage.recipients).where(
            OutboundMessage.status == OutboundStatus.PENDING,
            OutboundMessage.kind != "reply",
            OutboundMessage.id < below_id,
            OutboundMessage.id.not_in(exclude),
        )
    ).all()
    return [(row_id, list(recipients)) for row_id, recipients in rows]


def by_ids(session: Session, ids: Sequence[int]) -> Sequence[OutboundMessage]:
    """The rows with these ids (a sender's round, to record what became of them)."""
    return session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(ids))).all()


def unsent_replies(session: Session, created_before: datetime, now: datetime) -> Sequence[OutboundMessage]:
    """Pending replies queued at or before `created_before` no live sender holds, locked (SKIP LOCKED)."""
    return session.scalars(
        select(OutboundMessage)
        .where(
            OutboundMessage.status == OutboundStatus.PENDING,
            OutboundMessage.kind == "reply",
            OutboundMessage.created_at <= created_before,
            # Not one a live sender holds: its result is on the way.
            or_(OutboundMessage.claimed_by.is_(None), OutboundMessage.next_attempt_at <= now),
        )
        .with_for_update(skip_locked=True)
    ).all()


def held_pushes(session: Session, below_priority: int, created_before: datetime) -> Sequence[OutboundMessage]:
    """Pending pushes less urgent than `below_priority`, queued at or before `created_before`."""
    return session.scalars(
        select(OutboundMessage).where(
            OutboundMessage.status == OutboundStatus.PENDING,
            OutboundMessage.kind != "reply",
            OutboundMessage.priority < below_priority,
            OutboundMessage.created_at <= created_before,
        )
    ).all()


def recipients_count(row: OutboundMessage) -> int:
    return len(row.recipients) if row.kind != "reply" else 0


def coalesce(session: Session, now: datetime) -> int:
    """Merge identical pushes that are waiting into multicasts (≤ 500 each); returns rows merged away.

    Only rows the worker queued (no webhook event), never tried and not held by a sender: nothing
    has been sent under their retry keys, so replacing them cannot send anything twice.
    """
    rows = session.scalars(
        select(OutboundMessage)
        .where(
            OutboundMessage.status == OutboundStatus.PENDING,
            OutboundMessage.kind.in_(("push", "multicast")),
            OutboundMessage.attempts == 0,
            OutboundMessage.claimed_by.is_(None),
            OutboundMessage.webhook_event_id.is_(None),
            OutboundMessage.next_attempt_at <= now,
        )
        .order_by(OutboundMessage.id)
        .with_for_update(skip_locked=True)
    ).all()
    merged = 0
    for same in group_identical(rows, lambda row: (row.messages, row.priority)):
        recipients = list(dict.fromkeys(r for row in same for r in row.recipients))
        if -(-len(recipients) // MULTICAST_LIMIT) >= len(same):
            continue  # already as few calls as it can be
        for row in same:
            session.delete(row)
        # Identical cards are about the same request (their buttons carry its id).
        enqueue_push(
            session,
            recipients,
            same[0].messages,
            priority=same[0].priority,
            now=now,
            request_id=same[0].request_id,
        )
        merged += len(same)
    session.flush()
    return merged


def group_identical(
    items: Iterable[T], content: Callable[[T], tuple[Sequence[dict[str, Any]], int]]
) -> list[list[T]]:
    """Items whose messages and priority (`content`) are the same, in first-seen order: one multicast each."""
    groups: dict[tuple[str, int], list[T]] = {}
    for item in items:
        messages, priority = content(item)
        key = json.dumps(list(messages), sort_keys=True, ensure_ascii=False)
        groups.setdefault((key, priority), []).append(item)
    return list(groups.values())
