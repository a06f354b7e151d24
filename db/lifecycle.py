"""Every request state change that can race (accept, cancel, complete, release, expire, thanks, desk), as
conditional updates: exactly one of several concurrent taps or jobs wins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Update, select, update
from sqlalchemy.orm import Session

from db.models import (
    ClassSeat,
    HelpRequest,
    MasterAsk,
    MasterClass,
    PlaceShift,
    Proposal,
    ProposalStatus,
    RequestStatus,
    ShiftSignup,
    SupporterRecord,
)
from db.requests import ACTIVE_STATUSES, proposals_of


def _changed(session: Session, statement: Update) -> bool:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _forget(session: Session, request: HelpRequest) -> None:
    """Reload this request and its proposals on next access (the updates bypassed the ORM)."""
    session.expire(request)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Proposal) and obj.request_id == request.id:
            session.expire(obj)


def accept(session: Session, request: HelpRequest, supporter_id: int, now: datetime) -> bool:
    """open → matched for this supporter; False when someone else was first."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.status == RequestStatus.OPEN)
        .values(status=RequestStatus.MATCHED, accepted_by_id=supporter_id, matched_at=now),
    )
    if won:
        session.execute(
            update(Proposal)
            .where(Proposal.request_id == request.id, Proposal.supporter_id == supporter_id)
            .values(status=ProposalStatus.ACCEPTED, answered_at=now)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Proposal)
            .where(
                Proposal.request_id == request.id,
                Proposal.supporter_id != supporter_id,
                Proposal.status == ProposalStatus.ASKED,
            )
            .values(status=ProposalStatus.TAKEN)
            .execution_options(synchronize_session=False)
        )
    _forget(session, request)
    return won


def cancel(session: Session, request: HelpRequest, now: datetime) -> Sequence[Proposal] | None:
    """open/matched → cancelled; the proposals whose supporters should be told, or None if it had closed."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.status.in_(ACTIVE_STATUSES))
        .values(status=RequestStatus.CANCELLED, closed_at=now),
    )
    _forget(session, request)
    if not won:
        return None
    holding = (ProposalStatus.ASKED, ProposalStatus.ACCEPTED)
    to_tell = [p for p in proposals_of(session, request.id) if p.status in holding]
    for proposal in to_tell:
        if proposal.status == ProposalStatus.ASKED:
            proposal.status = ProposalStatus.WITHDRAWN
    return to_tell


def complete(session: Session, request: HelpRequest, supporter_id: int, now: datetime) -> bool:
    """matched → done, only if this supporter still holds it."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(
            HelpRequest.id == request.id,
            HelpRequest.status == RequestStatus.MATCHED,
            HelpRequest.accepted_by_id == supporter_id,
        )
        .values(status=RequestStatus.DONE, closed_at=now),
    )
    _forget(session, request)
    return won


def release(
    session: Session, request: HelpRequest, supporter_id: int, why: ProposalStatus, now: datetime
) -> bool:
    """matched → open again (the supporter cancelled, or did not come); their proposal records why."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(
            HelpRequest.id == request.id,
            HelpRequest.status == RequestStatus.MATCHED,
            HelpRequest.accepted_by_id == supporter_id,
        )
        .values(status=RequestStatus.OPEN, accepted_by_id=None, matched_at=None),
    )
    if won:
        session.execute(
            update(Proposal)
            .where(Proposal.request_id == request.id, Proposal.supporter_id == supporter_id)
            .values(status=why, answered_at=now)
            .execution_options(synchronize_session=False)
        )
    _forget(session, request)
    return won


def expire(session: Session, request: HelpRequest, now: datetime) -> bool:
    """open → expired; cards still out are withdrawn so a late tap gets a polite 'closed'."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.status == RequestStatus.OPEN)
        .values(status=RequestStatus.EXPIRED, closed_at=now),
    )
    if won:
        session.execute(
            update(Proposal)
            .where(Proposal.request_id == request.id, Proposal.status == ProposalStatus.ASKED)
            .values(status=ProposalStatus.WITHDRAWN)
            .execution_options(synchronize_session=False)
        )
    _forget(session, request)
    return won


def mark_thanked(session: Session, request: HelpRequest, now: datetime) -> bool:
    """Record the resident's thank-you once; False if it was already passed on (a second tap)."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.thanked_at.is_(None))
        .values(thanked_at=now),
    )
    _forget(session, request)
    return won


def take_off_desk(session: Session, request: HelpRequest) -> bool:
    """A coordinator takes a flagged request in hand; False when another coordinator was first."""
    won = _changed(
        session,
        update(HelpRequest)
        .where(HelpRequest.id == request.id, HelpRequest.needs_coordinator.is_(True))
        .values(needs_coordinator=False),
    )
    _forget(session, request)
    return won


def claim_renewal_reminder(session: Session, member_id: int, year: int) -> bool:
    """Mark a supporter reminded to renew the insurance ending this year; False if another was first."""
    return _changed(
        session,
        update(SupporterRecord)
        .where(
            SupporterRecord.member_id == member_id,
            (SupporterRecord.renewal_reminded_year.is_(None))
            | (SupporterRecord.renewal_reminded_year < year),
        )
        .values(renewal_reminded_year=year),
    )


def join_shift(session: Session, shift_id: int, member_id: int, now: datetime) -> bool:
    """A seat on a shift for this member; False when the shift is full (or they are already coming).

    The seat is taken first (taken < needed), so two taps on the last seat cannot both win.
    """
    existing = session.scalar(
        select(ShiftSignup).where(ShiftSignup.shift_id == shift_id, ShiftSignup.member_id == member_id)
    )
    if existing is not None and existing.cancelled_at is None:
        return False
    seat = _changed(
        session,
        update(PlaceShift)
        .where(PlaceShift.id == shift_id, PlaceShift.taken < PlaceShift.needed)
        .values(taken=PlaceShift.taken + 1),
    )
    if not seat:
        return False
    if existing is None:
        session.add(ShiftSignup(shift_id=shift_id, member_id=member_id, created_at=now))
    else:
        back = _changed(
            session,
            update(ShiftSignup)
            .where(ShiftSignup.id == existing.id, ShiftSignup.cancelled_at.is_not(None))
            .values(cancelled_at=None, created_at=now),
        )
        if not back:  # a second tap of theirs won meanwhile: give the seat back
            _free_seat(session, shift_id)
            return False
        session.expire(existing)
    session.flush()
    return True


def leave_shift(session: Session, shift_id: int, member_id: int, now: datetime) -> bool:
    """Cancel this member's seat; False when they were not coming."""
    left = _changed(
        session,
        update(ShiftSignup)
        .where(
            ShiftSignup.shift_id == shift_id,
            ShiftSignup.member_id == member_id,
            ShiftSignup.cancelled_at.is_(None),
        )
        .values(cancelled_at=now),
    )
    if left:
        _free_seat(session, shift_id)
    return left


def _free_seat(session: Session, shift_id: int) -> None:
    session.execute(
        update(PlaceShift)
        .where(PlaceShift.id == shift_id, PlaceShift.taken > 0)
        .values(taken=PlaceShift.taken - 1)
        .execution_options(synchronize_session=False)
    )


def claim_day_before(session: Session, shift_id: int, now: datetime) -> bool:
    """The day-before job for one shift runs once, whichever worker gets there first."""
    return _changed(
        session,
        update(PlaceShift)
        .where(PlaceShift.id == shift_id, PlaceShift.day_before_at.is_(None))
        .values(day_before_at=now),
    )


def pass_all_asked(session: Session, supporter_id: int, now: datetime) -> None:
    """A supporter who stopped: cards still out count as passed, so nobody waits on them."""
    session.execute(
        update(Proposal)
        .where(Proposal.supporter_id == supporter_id, Proposal.status == ProposalStatus.ASKED)
        .values(status=ProposalStatus.PASSED, answered_at=now)
        .execution_options(synchronize_session=False)
    )


def claim_invitations(session: Session, shift_id: int, now: datetime) -> bool:
    """A new shift's invitations go out once, whichever worker gets there first."""
    return _changed(
        session,
        update(PlaceShift)
        .where(PlaceShift.id == shift_id, PlaceShift.invited_at.is_(None))
        .values(invited_at=now),
    )


# --- class seats and the waiting list (名人・達人's classes) ------------------------------------------


def take_class_seat(session: Session, class_id: int, member_id: int, now: datetime) -> str:
    """A seat in a class for this member: "seat", "full" (nothing changed) or "already" (seat or waiting).

    The seat is counted first (taken < capacity), so two taps on the last seat cannot both win; the
    waiting list is never jumped, since a freed seat goes straight to the first one waiting.
    """
    existing = session.scalar(
        select(ClassSeat).where(ClassSeat.class_id == class_id, ClassSeat.member_id == member_id)
    )
    if existing is not None and existing.status != "cancelled":
        return "already"
    seat = _changed(
        session,
        update(MasterClass)
        .where(
            MasterClass.id == class_id,
            MasterClass.cancelled_at.is_(None),
            MasterClass.taken < MasterClass.capacity,
        )
        .values(taken=MasterClass.taken + 1),
    )
    if not seat:
        return "full"
    if existing is None:
        session.add(ClassSeat(class_id=class_id, member_id=member_id, status="seat", created_at=now))
    elif not _changed(
        session,
        update(ClassSeat)
        .where(ClassSeat.id == existing.id, ClassSeat.status == "cancelled")
        .values(status="seat", created_at=now),
    ):
        _free_class_seat(session, class_id)  # a second tap of theirs won meanwhile
        return "already"
    else:
        session.expire(existing)
    session.flush()
    return "seat"


def wait_for_class(session: Session, class_id: int, member_id: int, now: datetime) -> bool:
    """Join the waiting list (last in line); False when they already hold a seat or wait."""
    existing = session.scalar(
        select(ClassSeat).where(ClassSeat.class_id == class_id, ClassSeat.member_id == member_id)
    )
    if existing is None:
        session.add(ClassSeat(class_id=class_id, member_id=member_id, status="waiting", created_at=now))
        session.flush()
        return True
    won = _changed(
        session,
        update(ClassSeat)
        .where(ClassSeat.id == existing.id, ClassSeat.status == "cancelled")
        .values(status="waiting", created_at=now),
    )
    session.expire(existing)
    return won


def leave_class(session: Session, class_id: int, member_id: int) -> tuple[str, int | None]:
    """Give up a seat or a place in line: ("seat" | "waiting" | "none", member given the freed seat).

    A freed seat goes to the first one waiting (their row moves waiting → seat by a conditional
    update, so two seats freed at once never go to one person); with nobody waiting it is counted free.
    """
    for status in ("seat", "waiting"):
        if _changed(
            session,
            update(ClassSeat)
            .where(
                ClassSeat.class_id == class_id,
                ClassSeat.member_id == member_id,
                ClassSeat.status == status,
            )
            .values(status="cancelled"),
        ):
            break
    else:
        return "none", None
    if status == "waiting":
        return status, None
    return status, _give_seat_to_first_waiting(session, class_id)


def _give_seat_to_first_waiting(session: Session, class_id: int) -> int | None:
    while True:
        first = session.execute(
            select(ClassSeat.id, ClassSeat.member_id)
            .where(ClassSeat.class_id == class_id, ClassSeat.status == "waiting")
            .order_by(ClassSeat.created_at, ClassSeat.id)
            .limit(1)
        ).first()
        if first is None:
            _free_class_seat(session, class_id)
            return None
        if _changed(
            session,
            update(ClassSeat)
            .where(ClassSeat.id == first.id, ClassSeat.status == "waiting")
            .values(status="seat"),
        ):
            return int(first.member_id)


def _free_class_seat(session: Session, class_id: int) -> None:
    session.execute(
        update(MasterClass)
        .where(MasterClass.id == class_id, MasterClass.taken > 0)
        .values(taken=MasterClass.taken - 1)
        .execution_options(synchronize_session=False)
    )


def cancel_class(session: Session, class_id: int, now: datetime) -> bool:
    """A coming class is called off, once (its master, or a coordinator on the desk)."""
    return _changed(
        session,
        update(MasterClass)
        .where(MasterClass.id == class_id, MasterClass.cancelled_at.is_(None), MasterClass.starts_at > now)
        .values(cancelled_at=now),
    )


def move_class(
    session: Session, class_id: int, starts_at: datetime, ends_at: datetime, now: datetime, *, told: bool
) -> bool:
    """A coming class gets a new day and time; its reminders are due again, but for the evening one
    when `told` (the change notice itself went out within that evening)."""
    return _changed(
        session,
        update(MasterClass)
        .where(MasterClass.id == class_id, MasterClass.cancelled_at.is_(None), MasterClass.starts_at > now)
        .values(
            starts_at=starts_at, ends_at=ends_at, remind_eve_at=now if told else None, remind_hour_at=None
        ),
    )


def resize_class(session: Session, class_id: int, capacity: int) -> tuple[bool, list[int]]:
    """A class's number of seats changes, never below the seats taken: (changed, members given a seat).

    New seats go to those waiting, first come first served, each by the same conditional updates as a
    freed seat (so a join racing the change cannot take more seats than there are).
    """
    if not _changed(
        session,
        update(MasterClass)
        .where(MasterClass.id == class_id, MasterClass.cancelled_at.is_(None), MasterClass.taken <= capacity)
        .values(capacity=capacity),
    ):
        return False, []
    given: list[int] = []
    while _changed(
        session,
        update(MasterClass)
        .where(MasterClass.id == class_id, MasterClass.taken < MasterClass.capacity)
        .values(taken=MasterClass.taken + 1),
    ):
        member_id = _give_seat_to_first_waiting(session, class_id)  # nobody waiting: the seat is freed again
        if member_id is None:
            break
        given.append(member_id)
    return True, given


def claim_class_step(session: Session, class_id: int, step: str, now: datetime) -> bool:
    """A class's worker step ("invited_at", "remind_eve_at", "remind_hour_at") runs once."""
    column = getattr(MasterClass, step)
    return _changed(
        session,
        update(MasterClass).where(MasterClass.id == class_id, column.is_(None)).values({step: now}),
    )


def answer_master_ask(session: Session, ask_id: int, answer: str, now: datetime) -> bool:
    """A master answers a resident who asked to hear from them, once ("agreed" or "passed")."""
    return _changed(
        session,
        update(MasterAsk)
        .where(MasterAsk.id == ask_id, MasterAsk.status == "asked")
        .values(status=answer, answered_at=now),
    )
