"""Volunteer shifts at the community's places: which are coming and who signed up (races: db/lifecycle.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Member, PlaceShift, ShiftInvite, ShiftSignup


def all_shifts(session: Session, ending_after: datetime | None = None) -> Sequence[PlaceShift]:
    """Every shift (or those still to end after `ending_after`), soonest first."""
    query = select(PlaceShift).order_by(PlaceShift.starts_at)
    if ending_after is not None:
        query = query.where(PlaceShift.ends_at > ending_after)
    return session.scalars(query).all()


def starting_between(session: Session, start: datetime, end: datetime, limit: int) -> Sequence[PlaceShift]:
    """Shifts starting after `start` and before `end`, soonest first."""
    return session.scalars(
        select(PlaceShift)
        .where(PlaceShift.starts_at > start, PlaceShift.starts_at < end)
        .order_by(PlaceShift.starts_at)
        .limit(limit)
    ).all()


def joined_by(session: Session, member_id: int) -> set[int]:
    """Ids of the shifts this member is signed up for (and has not left)."""
    return set(
        session.scalars(
            select(ShiftSignup.shift_id).where(
                ShiftSignup.member_id == member_id, ShiftSignup.cancelled_at.is_(None)
            )
        )
    )


def is_joined(session: Session, shift_id: int, member_id: int) -> bool:
    found = session.scalar(
        select(ShiftSignup.id).where(
            ShiftSignup.shift_id == shift_id,
            ShiftSignup.member_id == member_id,
            ShiftSignup.cancelled_at.is_(None),
        )
    )
    return found is not None


def due_day_before(session: Session, now: datetime, until: datetime) -> Sequence[PlaceShift]:
    """Shifts starting in (now, until] whose day-before notices have not gone out."""
    return session.scalars(
        select(PlaceShift).where(
            PlaceShift.day_before_at.is_(None),
            PlaceShift.starts_at > now,
            PlaceShift.starts_at <= until,
        )
    ).all()


def coming_line_ids(session: Session, shift_id: int) -> Sequence[str | None]:
    """LINE ids of the active members signed up for this shift."""
    return session.scalars(
        select(Member.line_user_id)
        .join(ShiftSignup, ShiftSignup.member_id == Member.id)
        .where(ShiftSignup.shift_id == shift_id, ShiftSignup.cancelled_at.is_(None), Member.active)
    ).all()


def coming_names(session: Session, shift_id: int) -> list[str | None]:
    """Display names of those signed up for this shift, in the order they signed up."""
    return list(
        session.scalars(
            select(Member.display_name)
            .join(ShiftSignup, ShiftSignup.member_id == Member.id)
            .where(ShiftSignup.shift_id == shift_id, ShiftSignup.cancelled_at.is_(None))
            .order_by(ShiftSignup.created_at, ShiftSignup.id)
        )
    )


def signed_up_ids(session: Session, shift_id: int) -> set[int]:
    """Ids of the members signed up for this shift (and not left)."""
    return set(
        session.scalars(
            select(ShiftSignup.member_id).where(
                ShiftSignup.shift_id == shift_id, ShiftSignup.cancelled_at.is_(None)
            )
        )
    )


def to_invite(session: Session, now: datetime) -> Sequence[PlaceShift]:
    """Coming shifts whose invitations have not gone out."""
    return session.scalars(
        select(PlaceShift).where(PlaceShift.invited_at.is_(None), PlaceShift.starts_at > now)
    ).all()


def invite_of(session: Session, shift_id: int, member_id: int) -> ShiftInvite | None:
    """This member's invitation to this shift, if they had one."""
    return session.scalar(
        select(ShiftInvite).where(ShiftInvite.shift_id == shift_id, ShiftInvite.member_id == member_id)
    )


def invited_ids(session: Session, shift_id: int) -> set[int]:
    """Ids of the members ever invited to this shift."""
    return set(session.scalars(select(ShiftInvite.member_id).where(ShiftInvite.shift_id == shift_id)))


def coming_joined_by(session: Session, member_id: int, now: datetime) -> Sequence[PlaceShift]:
    """The coming shifts this member is signed up for (and has not left), soonest first."""
    return session.scalars(
        select(PlaceShift)
        .join(ShiftSignup, ShiftSignup.shift_id == PlaceShift.id)
        .where(
            ShiftSignup.member_id == member_id,
            ShiftSignup.cancelled_at.is_(None),
            PlaceShift.starts_at > now,
        )
        .order_by(PlaceShift.starts_at)
    ).all()
