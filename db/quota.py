"""The month's push budget: LINE's quota and consumption at the last refresh, plus our own count since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import PushQuota


@dataclass(frozen=True)
class Budget:
    limit: int | None  # None: unlimited, or not read from LINE yet
    used: int

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)


def month_of(now: datetime, zone: ZoneInfo) -> str:
    return now.astimezone(zone).strftime("%Y-%m")


def budget(session: Session, month: str) -> Budget:
    row = session.get(PushQuota, month)
    if row is None:
        return Budget(limit=None, used=0)
    return Budget(limit=row.monthly_limit, used=row.used_remote + row.used_local)


def refreshed(session: Session, month: str, limit: int | None, used: int, now: datetime) -> PushQuota:
    """Store LINE's figures; our local count starts again from them."""
    row = _row(session, month)
    row.monthly_limit, row.used_remote, row.used_local, row.refreshed_at = limit, used, 0, now
    return row


def count_sent(session: Session, month: str, recipients: int) -> None:
    """Add pushes LINE accepted since the last refresh (an atomic increment: several senders share it)."""
    if recipients <= 0:
        return
    row = _row(session, month)
    session.execute(
        update(PushQuota)
        .where(PushQuota.month == month)
        .values(used_local=PushQuota.used_local + recipients)
        .execution_options(synchronize_session=False)
    )
    session.expire(row)


def exhausted(session: Session, month: str) -> None:
    """LINE said 'monthly limit reached': believe it until the next refresh."""
    row = _row(session, month)
    if row.monthly_limit is None:
        # We had not seen a limit yet: whatever has been used is all there is.
        row.monthly_limit = row.used_remote + row.used_local
    row.used_local = max(row.monthly_limit - row.used_remote, row.used_local)


def claim_warning(session: Session, month: str, now: datetime) -> bool:
    """True exactly once per month: the caller then tells the coordinators the budget is low."""
    row = _row(session, month)
    result = session.execute(
        update(PushQuota)
        .where(PushQuota.month == month, PushQuota.warned_at.is_(None))
        .values(warned_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire(row)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _row(session: Session, month: str) -> PushQuota:
    row = session.get(PushQuota, month)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = PushQuota(month=month, monthly_limit=None, used_remote=0, used_local=0)
            session.add(row)
    except IntegrityError:
        # Another sender created this month's row first.
        row = session.get(PushQuota, month)
        assert row is not None
    return row
