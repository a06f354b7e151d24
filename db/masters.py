"""名人・達人 and their classes: who teaches, who asked, which classes are coming and who is in them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import ClassSeat, Master, MasterAsk, MasterClass, Member


def active_masters(session: Session) -> list[Master]:
    """Masters still teaching whose member is active and not blocked, oldest first."""
    return list(
        session.scalars(
            select(Master)
            .join(Member, Member.id == Master.member_id)
            .where(Master.active.is_(True), Member.active.is_(True), Member.blocked.is_(False))
            .order_by(Master.id)
        )
    )


def masters_of(session: Session, member_id: int) -> list[Master]:
    """This member's active master registrations (one a skill), oldest first."""
    return list(
        session.scalars(
            select(Master).where(Master.member_id == member_id, Master.active.is_(True)).order_by(Master.id)
        )
    )


def is_master(session: Session, member_id: int) -> bool:
    """Whether this member teaches anything now."""
    found = session.scalar(select(Master.id).where(Master.member_id == member_id, Master.active.is_(True)))
    return found is not None


def ask_of(session: Session, master_id: int, member_id: int) -> MasterAsk | None:
    """This member's 話を聞きたい to this master, if they ever asked."""
    return session.scalar(
        select(MasterAsk).where(MasterAsk.master_id == master_id, MasterAsk.member_id == member_id)
    )


def next_class(session: Session, master_id: int, now: datetime) -> MasterClass | None:
    """The master's next class that is not cancelled."""
    return session.scalar(
        select(MasterClass)
        .where(
            MasterClass.master_id == master_id,
            MasterClass.cancelled_at.is_(None),
            MasterClass.starts_at > now,
        )
        .order_by(MasterClass.starts_at)
        .limit(1)
    )


def classes_starting_between(
    session: Session, start: datetime, end: datetime, limit: int, master_id: int | None = None
) -> list[MasterClass]:
    """Classes not cancelled starting in (start, end), of one master if given, soonest first."""
    query = (
        select(MasterClass)
        .where(
            MasterClass.cancelled_at.is_(None),
            MasterClass.starts_at > start,
            MasterClass.starts_at < end,
        )
        .order_by(MasterClass.starts_at)
        .limit(limit)
    )
    if master_id is not None:
        query = query.where(MasterClass.master_id == master_id)
    return list(session.scalars(query))


def classes_to_invite(session: Session, now: datetime) -> Sequence[MasterClass]:
    """Coming classes whose invitations have not gone out."""
    return session.scalars(
        select(MasterClass).where(
            MasterClass.cancelled_at.is_(None), MasterClass.starts_at > now, MasterClass.invited_at.is_(None)
        )
    ).all()


def classes_starting_by(session: Session, now: datetime, until: datetime) -> Sequence[MasterClass]:
    """Classes not cancelled starting in (now, until]: those the reminders look at."""
    return session.scalars(
        select(MasterClass).where(
            MasterClass.cancelled_at.is_(None), MasterClass.starts_at > now, MasterClass.starts_at <= until
        )
    ).all()


def in_class(session: Session, class_id: int, status: str = "seat") -> list[Member]:
    """Members with a seat (or, with status="waiting", waiting), in the order they came."""
    return list(
        session.scalars(
            select(Member)
            .join(ClassSeat, ClassSeat.member_id == Member.id)
            .where(ClassSeat.class_id == class_id, ClassSeat.status == status)
            .order_by(ClassSeat.created_at, ClassSeat.id)
        )
    )


def waiting_count(session: Session, class_id: int) -> int:
    """How many wait for a seat in this class."""
    return int(
        session.scalar(
            select(func.count()).where(ClassSeat.class_id == class_id, ClassSeat.status == "waiting")
        )
        or 0
    )


def seat_status(session: Session, class_id: int, member_id: int) -> str | None:
    """This member's place in the class: "seat", "waiting", or None when not in it."""
    return session.scalar(
        select(ClassSeat.status).where(ClassSeat.class_id == class_id, ClassSeat.member_id == member_id)
    )


def class_member_ids(session: Session, class_id: int) -> set[int]:
    """Ids of everyone in this class, with a seat or waiting."""
    return set(session.scalars(select(ClassSeat.member_id).where(ClassSeat.class_id == class_id)))


def classes_taught_by(session: Session, member_id: int, now: datetime, limit: int = 50) -> list[MasterClass]:
    """The coming classes (not cancelled) of every skill this member teaches or taught, soonest first."""
    return list(
        session.scalars(
            select(MasterClass)
            .join(Master, Master.id == MasterClass.master_id)
            .where(
                Master.member_id == member_id, MasterClass.cancelled_at.is_(None), MasterClass.starts_at > now
            )
            .order_by(MasterClass.starts_at)
            .limit(limit)
        )
    )


def coming_classes_of(session: Session, member_id: int, now: datetime) -> list[int]:
    """Ids of the coming classes this member has a seat in or waits for."""
    return list(
        session.scalars(
            select(ClassSeat.class_id)
            .join(MasterClass, MasterClass.id == ClassSeat.class_id)
            .where(
                ClassSeat.member_id == member_id,
                ClassSeat.status != "cancelled",
                MasterClass.cancelled_at.is_(None),
                MasterClass.starts_at > now,
            )
        )
    )


def teaching(session: Session) -> list[Master]:
    """Every master still teaching, whether or not their member is blocked or gone, oldest first."""
    return list(session.scalars(select(Master).where(Master.active.is_(True)).order_by(Master.id)))


def ask_statuses(session: Session, master_id: int) -> list[str]:
    """The status of every 話を聞きたい this master was sent (asked, agreed, ...)."""
    return list(session.scalars(select(MasterAsk.status).where(MasterAsk.master_id == master_id)))


def classes_ending_after(session: Session, moment: datetime) -> list[MasterClass]:
    """Classes not cancelled that have not ended by then (those under way too), soonest first."""
    return list(
        session.scalars(
            select(MasterClass)
            .where(MasterClass.ends_at > moment, MasterClass.cancelled_at.is_(None))
            .order_by(MasterClass.starts_at)
        )
    )
