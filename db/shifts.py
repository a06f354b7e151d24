"""Volunteer shifts at the community's places: which are coming and who signed up (races: db/lifecycle.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Member, PlaceShift, ShiftSignup


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
