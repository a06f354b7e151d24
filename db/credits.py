"""Time-credit ledger: minutes of help given and received, one entry per member per request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import CreditEntry, TimeCredit

MINUTES_PER_CREDIT = 60  # many schemes count 1 hour = 1 credit


def record(
    session: Session, request_id: int, member_id: int, entry: CreditEntry, minutes: int, now: datetime
) -> TimeCredit:
    """Add or correct the entry for this member and request (tapping again changes the minutes)."""
    row = session.scalar(
        select(TimeCredit).where(TimeCredit.request_id == request_id, TimeCredit.member_id == member_id)
    )
    if row is None:
        row = TimeCredit(request_id=request_id, member_id=member_id, entry=entry, created_at=now)
        session.add(row)
    row.minutes = minutes
    session.flush()
    return row


def minutes_of(session: Session, member_id: int, entry: CreditEntry = CreditEntry.GIVEN) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(TimeCredit.minutes), 0)).where(
            TimeCredit.member_id == member_id, TimeCredit.entry == entry
        )
    )
    return int(total or 0)


def credits(minutes: int) -> float:
    return round(minutes / MINUTES_PER_CREDIT, 2)
