"""Time arithmetic and times of day as residents read them in the bot's messages."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.timing import clock_word, day_word, days_later_at, evening_before

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("moment", "said"),
    [(time(8, 0), "朝8時"), (time(7, 30), "朝7時30分"), (time(12, 0), "12時"), (time(13, 15), "13時15分")],
)
def test_the_end_of_quiet_hours_is_said_as_people_say_it(moment: time, said: str) -> None:
    # An organisation whose quiet hours end at noon must not read 「朝12時」.
    assert clock_word(moment) == said


def _tokyo(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("now", "moment", "said"),
    [
        (_tokyo(25, 10), _tokyo(25, 23, 59), "今日"),
        (_tokyo(25, 23, 59), _tokyo(26, 0, 1), "明日"),
        (_tokyo(26, 0, 30), _tokyo(26, 14), "今日"),  # a late reminder never says 明日 on the day itself
        (_tokyo(25, 10), _tokyo(27, 9), "11月27日"),
        (datetime(2026, 11, 25, 16, tzinfo=UTC), _tokyo(27, 9), "明日"),  # 01:00 on the 26th in Tokyo
    ],
)
def test_the_day_is_said_as_seen_from_now_in_local_time(now: datetime, moment: datetime, said: str) -> None:
    assert day_word(now, moment, TOKYO) == said


@pytest.mark.parametrize(
    ("wanted_at", "hour", "expected"),
    [
        (_tokyo(26, 14), 18, _tokyo(25, 18)),
        (_tokyo(26, 0, 30), 18, _tokyo(25, 18)),  # just after midnight: still the evening of the 25th
        (_tokyo(1, 9).replace(month=12), 20, _tokyo(30, 20)),  # across the month's end
    ],
)
def test_the_evening_before_is_the_local_day_before_at_the_hour(
    wanted_at: datetime, hour: int, expected: datetime
) -> None:
    found = evening_before(wanted_at, TOKYO, hour)
    assert found == expected and found.tzinfo == UTC


@pytest.mark.parametrize(
    ("moment", "days", "hour", "expected"),
    [
        (_tokyo(25, 10), 1, 10, _tokyo(26, 10)),
        (_tokyo(25, 23, 30), 3, 10, _tokyo(28, 10)),
        (datetime(2026, 11, 25, 15, 30, tzinfo=UTC), 1, 9, _tokyo(27, 9)),  # 00:30 on the 26th in Tokyo
    ],
)
def test_days_later_counts_from_the_local_day(
    moment: datetime, days: int, hour: int, expected: datetime
) -> None:
    assert days_later_at(moment, days, TOKYO, hour) == expected
