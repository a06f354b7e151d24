"""Follow-up repository: schedule, cancel, and claim due follow-ups (row locks keep workers apart)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import FollowUp, FollowUpKind, FollowUpState


def schedule(
    session: Session,
    request_id: int,
    kind: FollowUpKind,
    due_at: datetime,
    now: datetime,
    *,
    member_id: int | None = None,
    round: int = 1,
) -> FollowUp:
    followup = FollowUp(
        request_id=request_id,
        kind=kind,
        due_at=due_at,
        member_id=member_id,
        round=round,
        state=FollowUpState.PENDING,
        created_at=now,
    )
    session.add(followup)
    return followup


def cancel_pending(
    session: Session, request_id: int, now: datetime, kinds: Iterable[FollowUpKind] | None = None
) -> int:
    """Cancel what is still waiting for a request (all kinds, or only these); returns how many."""
    query = (
        update(FollowUp)
        .where(FollowUp.request_id == request_id, FollowUp.state == FollowUpState.PENDING)
        .values(state=FollowUpState.CANCELLED, done_at=now, outcome="request changed")
        .execution_options(synchronize_session="fetch")
    )
    if kinds is not None:
        query = query.where(FollowUp.kind.in_(list(kinds)))
    return session.execute(query).rowcount  # type: ignore[attr-defined]


def pending_of(session: Session, request_id: int) -> Sequence[FollowUp]:
    return session.scalars(
        select(FollowUp)
        .where(FollowUp.request_id == request_id, FollowUp.state == FollowUpState.PENDING)
        .order_by(FollowUp.due_at, FollowUp.id)
    ).all()


def claim_due(session: Session, now: datetime, limit: int) -> Sequence[FollowUp]:
    """Due follow-ups, oldest first, locked for this transaction.

    On PostgreSQL, FOR UPDATE SKIP LOCKED lets several workers take disjoint batches: a row another
    worker holds is skipped, and a worker that dies releases its rows with its transaction. SQLite
    takes the database write lock at BEGIN, so there one worker runs at a time.
    """
    return session.scalars(
        select(FollowUp)
        .where(FollowUp.state == FollowUpState.PENDING, FollowUp.due_at <= now)
        .order_by(FollowUp.due_at, FollowUp.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def finish(followup: FollowUp, state: FollowUpState, now: datetime, outcome: str) -> None:
    followup.state = state
    followup.done_at = now
    followup.outcome = outcome[:60]


def postpone(followup: FollowUp, due_at: datetime, outcome: str) -> None:
    """Keep it pending for later (quiet hours, or a retry after an error)."""
    followup.due_at = due_at
    followup.outcome = outcome[:60]
