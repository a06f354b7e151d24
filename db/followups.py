"""Follow-up repository: schedule, cancel, and claim due follow-ups (row locks keep workers apart)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from db.models import FollowUp, FollowUpKind, FollowUpState, HelpRequest, Member, RequestStatus


@dataclass(frozen=True)
class DueFollowUp:
    """A claimed follow-up with what a reminder or check-in needs to decide, read in one query."""

    id: int
    kind: FollowUpKind
    round: int
    member_id: int | None
    request_id: int
    request_status: RequestStatus
    accepted_by_id: int | None
    wanted_at: datetime | None
    category: str | None
    supporter_line_id: str | None
    resident_line_id: str | None
    resident_active: bool


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


def claim_due_rows(session: Session, now: datetime, limit: int) -> list[DueFollowUp]:
    """Due follow-ups, oldest first, each locked with its request for this transaction, as plain rows.

    One query for a whole batch: no ORM objects, since most are reminders that only read. The
    follow-up and its request are locked together, in one statement (FOR UPDATE OF both, SKIP
    LOCKED): a webhook that holds the request (an accept, a cancellation) makes the worker skip the
    pair instead of waiting for it, so the two can never wait on each other (webhooks lock the
    request first, then its follow-ups). What the batch decides from (status, supporter, time) is
    read from the locked request row, so it is current. On PostgreSQL several workers take disjoint
    batches this way, and a worker that dies releases its rows with its transaction; SQLite takes
    the database write lock at BEGIN, so there one worker runs at a time.
    """
    supporter = aliased(Member)
    resident = aliased(Member)
    query = (
        select(
            FollowUp.id,
            FollowUp.kind,
            FollowUp.round,
            FollowUp.member_id,
            FollowUp.request_id,
            HelpRequest.status.label("request_status"),
            HelpRequest.accepted_by_id,
            HelpRequest.wanted_at,
            HelpRequest.category,
            supporter.line_user_id.label("supporter_line_id"),
            resident.line_user_id.label("resident_line_id"),
            resident.active.label("resident_active"),
        )
        .join(HelpRequest, HelpRequest.id == FollowUp.request_id)
        .join(resident, resident.id == HelpRequest.requester_id)
        .outerjoin(supporter, supporter.id == HelpRequest.accepted_by_id)
        .where(FollowUp.state == FollowUpState.PENDING, FollowUp.due_at <= now)
        .order_by(FollowUp.due_at, FollowUp.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=(FollowUp, HelpRequest))
    )
    # By name: more columns than SQLAlchemy's typed rows carry, and none can land in the wrong field.
    return [DueFollowUp(**row._asdict()) for row in session.execute(query)]


def finish_many(
    session: Session, ids: Sequence[int], state: FollowUpState, now: datetime, outcome: str
) -> None:
    if ids:
        session.execute(
            update(FollowUp)
            .where(FollowUp.id.in_(list(ids)))
            .values(state=state, done_at=now, outcome=outcome[:60])
            .execution_options(synchronize_session=False)
        )


def postpone_many(session: Session, ids: Sequence[int], due_at: datetime, outcome: str) -> None:
    if ids:
        session.execute(
            update(FollowUp)
            .where(FollowUp.id.in_(list(ids)))
            .values(due_at=due_at, outcome=outcome[:60])
            .execution_options(synchronize_session=False)
        )


def finish(followup: FollowUp, state: FollowUpState, now: datetime, outcome: str) -> None:
    followup.state = state
    followup.done_at = now
    followup.outcome = outcome[:60]


def postpone(followup: FollowUp, due_at: datetime, outcome: str) -> None:
    """Keep it pending for later (quiet hours, or a retry after an error)."""
    followup.due_at = due_at
    followup.outcome = outcome[:60]


def checkin_answered_since(session: Session, request_id: int, member_id: int, since: datetime) -> bool:
    """Whether this member was asked 完了した？ about the request (the check-in went out) since then."""
    asked = session.scalar(
        select(FollowUp.id)
        .where(
            FollowUp.request_id == request_id,
            FollowUp.kind == FollowUpKind.CHECKIN,
            FollowUp.member_id == member_id,
            FollowUp.state == FollowUpState.DONE,
            FollowUp.done_at >= since,
        )
        .limit(1)
    )
    return asked is not None


def pending_of(session: Session, request_id: int) -> Sequence[FollowUp]:
    """The request's follow-ups still to go out, soonest first."""
    return session.scalars(
        select(FollowUp)
        .where(FollowUp.request_id == request_id, FollowUp.state == FollowUpState.PENDING)
        .order_by(FollowUp.due_at)
    ).all()


def by_ids(session: Session, ids: Sequence[int]) -> list[FollowUp]:
    """These follow-ups as ORM objects, by id."""
    return list(session.scalars(select(FollowUp).where(FollowUp.id.in_(list(ids))).order_by(FollowUp.id)))


def of_request(session: Session, request_id: int, states: Sequence[FollowUpState]) -> Sequence[FollowUp]:
    """The request's follow-ups in these states, by when they are (or were) due."""
    return session.scalars(
        select(FollowUp)
        .where(FollowUp.request_id == request_id, FollowUp.state.in_(list(states)))
        .order_by(FollowUp.due_at)
    ).all()
