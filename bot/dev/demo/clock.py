"""The demo's clock: real time plus an offset the visitor moves forward (「時間を進める」).

Follow-ups come hours or a day after a request (the evening reminder, the check-in, a re-ask); a visitor
cannot wait for them. The bot, its worker and the page all read this one clock, so moving it and then
running the worker's pass is what a day of production would do, only sooner.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import FollowUp, FollowUpState
from handlers.texts import WEEKDAYS

# A visit is about one request's life; a month ahead is already far past any follow-up.
MAX_JUMP = timedelta(days=31)
MORNING = time(8, 0)


class TravelError(ValueError):
    """A move the clock cannot make (backwards, or too far); the message is for the visitor."""


class DemoClock:
    """datetime.now(UTC) plus an offset that only grows."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._now = now
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now() + self._offset

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._offset = max(self._offset, moment - self._now())

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta(0)


def target_of(move: str, now: datetime, timezone: ZoneInfo, at: str | None = None) -> datetime:
    """Where a move on the page leads: an hour on, tomorrow 8:00, a day on, or a chosen local moment."""
    if move == "hour":
        return now + timedelta(hours=1)
    if move == "day":
        return now + timedelta(days=1)
    if move == "morning":
        tomorrow = now.astimezone(timezone).date() + timedelta(days=1)
        return datetime.combine(tomorrow, MORNING, tzinfo=timezone).astimezone(UTC)
    if move == "at":
        try:
            chosen = datetime.fromisoformat(at or "")
        except ValueError as exc:
            raise TravelError("日時の形がちがいます。えらびなおしてください。") from exc
        if chosen.tzinfo is None:
            chosen = chosen.replace(tzinfo=timezone)
        if chosen <= now:
            raise TravelError("その日時は、もう過ぎています。今より先をえらんでください。")
        if chosen - now > MAX_JUMP:
            raise TravelError("進められるのは、31日先までです。")
        return chosen.astimezone(UTC)
    raise TravelError("進め方がわかりません。")


def next_due(session_factory: sessionmaker[Session], until: datetime) -> datetime | None:
    """The earliest follow-up still waiting that falls due by `until`."""
    with session_factory() as session:
        found = session.scalar(
            select(func.min(FollowUp.due_at)).where(
                FollowUp.state == FollowUpState.PENDING, FollowUp.due_at <= until
            )
        )
    if found is None:
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def label(moment: datetime, timezone: ZoneInfo) -> str:
    """「12月2日(水) 08:00」, as the page shows the demo's time."""
    local = moment.astimezone(timezone)
    return f"{local.month}月{local.day}日({WEEKDAYS[local.weekday()]}) {local:%H:%M}"
