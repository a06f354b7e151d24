"""Every request state change that can race (accept, cancel, complete, release, expire, thanks, desk), as
conditional updates: exactly one of several concurrent taps or jobs wins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Update, select, update
from sqlalchemy.orm import Session

from db.models import (
    HelpRequest,
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


def claim_invitations(session: Session, shift_id: int, now: datetime) -> bool:
    """A new shift's invitations go out once, whichever worker gets there first."""
    return _changed(
        session,
        update(PlaceShift)
        .where(PlaceShift.id == shift_id, PlaceShift.invited_at.is_(None))
        .values(invited_at=now),
    )
