"""Time arithmetic for follow-ups: quiet hours, daytime-only durations, reminder and check-in times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers import texts

if TYPE_CHECKING:
    from handlers.settings import Settings


@dataclass(frozen=True)
class QuietHours:
    """A nightly window, in local time, when nobody is pushed; start == end means no window."""

    start: time
    end: time
    zone: ZoneInfo

    @classmethod
    def of(cls, settings: Settings) -> QuietHours:
        return cls(settings.quiet_start, settings.quiet_end, settings.timezone)

    @property
    def enabled(self) -> bool:
        return self.start != self.end

    def contains(self, moment: datetime) -> bool:
        if not self.enabled:
            return False
        local = moment.astimezone(self.zone).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def ends_after(self, moment: datetime) -> datetime:
        """When the quiet window holding `moment` ends (moment itself when it is daytime)."""
        if not self.contains(moment):
            return moment
        local = moment.astimezone(self.zone)
        end = self._at(local.date(), self.end)
        if end <= moment:
            end = self._at(local.date() + timedelta(days=1), self.end)
        return end

    def next_start(self, moment: datetime) -> datetime:
        """The first start of a quiet window strictly after `moment`."""
        local = moment.astimezone(self.zone)
        start = self._at(local.date(), self.start)
        return start if start > moment else self._at(local.date() + timedelta(days=1), self.start)

    def add_daytime(self, moment: datetime, duration: timedelta) -> datetime:
        """`moment` plus `duration` counted in daytime only: two hours from 20:30 is 09:30 next morning."""
        if not self.enabled:
            return moment + duration
        cursor, left = self.ends_after(moment), duration
        while True:
            night = self.next_start(cursor)
            if cursor + left <= night:
                return cursor + left
            left -= night - cursor
            cursor = self.ends_after(night)

    def _at(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self.zone).astimezone(UTC)


def evening_before(wanted_at: datetime, zone: ZoneInfo, hour: int) -> datetime:
    """The evening of the day before the appointment, local time."""
    day = wanted_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day, time(hour, 0), tzinfo=zone).astimezone(UTC)


def days_later_at(moment: datetime, days: int, zone: ZoneInfo, hour: int) -> datetime:
    """`days` after the local day of `moment`, at `hour` o'clock local time."""
    day = moment.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, 0), tzinfo=zone).astimezone(UTC)


def clock_word(moment: time) -> str:
    """朝8時 / 8時30分 / 13時: a time of day as a resident says it (朝 only for early hours)."""
    hour = (texts.CLOCK_MORNING if 5 <= moment.hour < 11 else texts.CLOCK_HOUR).format(hour=moment.hour)
    return texts.CLOCK_MINUTES.format(hour=hour, minute=moment.minute) if moment.minute else hour


def day_word(now: datetime, moment: datetime, zone: ZoneInfo) -> str:
    """今日 / 明日 / M月D日, seen from `now`, so a late reminder never says 明日 on the day itself."""
    today = now.astimezone(zone).date()
    day = moment.astimezone(zone).date()
    if day == today:
        return texts.TODAY
    if day == today + timedelta(days=1):
        return texts.TOMORROW
    return texts.MONTH_DAY.format(month=day.month, day=day.day)
