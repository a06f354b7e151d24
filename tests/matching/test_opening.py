"""Opening times as people write them, read into RFC 5545 rules; next openings around holidays."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from matching.opening import JST, OpeningError, next_opening, openings_between, parse_opening

WEEKDAYS = "MO,TU,WE,TH,FR"

READ = [
    ("毎週水曜 17:00-19:00", [("FREQ=WEEKLY;BYDAY=WE", "17:00", "19:00")], False),
    ("毎週水曜日 17:00～19:00", [("FREQ=WEEKLY;BYDAY=WE", "17:00", "19:00")], False),
    ("毎週水曜日　１７：００〜１９：００", [("FREQ=WEEKLY;BYDAY=WE", "17:00", "19:00")], False),
    ("水曜 17時〜19時", [("FREQ=WEEKLY;BYDAY=WE", "17:00", "19:00")], False),
    ("水曜日 17時半から19時まで", [("FREQ=WEEKLY;BYDAY=WE", "17:30", "19:00")], False),
    ("すいようび 17じ", None, False),
    ("水曜 午後5時から7時まで", [("FREQ=WEEKLY;BYDAY=WE", "17:00", "19:00")], False),
    ("毎月第2・第4土曜 11:30～13:30", [("FREQ=MONTHLY;BYDAY=+2SA,+4SA", "11:30", "13:30")], False),
    ("毎月第２・第４土曜日 11:30-13:30", [("FREQ=MONTHLY;BYDAY=+2SA,+4SA", "11:30", "13:30")], False),
    ("第1日曜 10:00-12:00", [("FREQ=MONTHLY;BYDAY=+1SU", "10:00", "12:00")], False),
    ("毎月最終金曜 18:00-20:00", [("FREQ=MONTHLY;BYDAY=-1FR", "18:00", "20:00")], False),
    ("毎月第三火曜日 10時〜12時", [("FREQ=MONTHLY;BYDAY=+3TU", "10:00", "12:00")], False),
    ("月・水・金 10:00-15:00", [("FREQ=WEEKLY;BYDAY=MO,WE,FR", "10:00", "15:00")], False),
    ("土・日 9:00-12:00", [("FREQ=WEEKLY;BYDAY=SA,SU", "09:00", "12:00")], False),
    ("平日 10:00-16:00", [(f"FREQ=WEEKLY;BYDAY={WEEKDAYS}", "10:00", "16:00")], False),
    ("月〜金 10:00-16:00 祝日は休み", [(f"FREQ=WEEKLY;BYDAY={WEEKDAYS}", "10:00", "16:00")], True),
    ("毎日 7:00-9:00", [("FREQ=DAILY", "07:00", "09:00")], False),
    ("毎月15日 10:00-12:00", [("FREQ=MONTHLY;BYMONTHDAY=15", "10:00", "12:00")], False),
    ("毎週火曜 17-19時", [("FREQ=WEEKLY;BYDAY=TU", "17:00", "19:00")], False),
    ("げつようび 10じ", None, False),
    (
        "毎週水曜 17:00-19:00、毎月第2土曜 11:30～13:30、祝日は休み",
        [("FREQ=WEEKLY;BYDAY=WE", "17:00", "19:00"), ("FREQ=MONTHLY;BYDAY=+2SA", "11:30", "13:30")],
        True,
    ),
    ("毎週水曜（祝日休み）17:00-19:00", [("FREQ=WEEKLY;BYDAY=WE", "17:00", "19:00")], True),
    ("毎週月、水 10:00-12:00", [("FREQ=WEEKLY;BYDAY=MO,WE", "10:00", "12:00")], False),
    ("げつようび 10:00-12:00", [("FREQ=WEEKLY;BYDAY=MO", "10:00", "12:00")], False),
    ("火曜と金曜 13:00-16:00", [("FREQ=WEEKLY;BYDAY=TU,FR", "13:00", "16:00")], False),
    (
        "毎週木曜 10:00-12:00、14:00-16:00",
        [
            ("FREQ=WEEKLY;BYDAY=TH", "10:00", "12:00"),
            ("FREQ=WEEKLY;BYDAY=TH", "14:00", "16:00"),
        ],
        False,
    ),
    (
        "毎週木曜 10:00-12:00 14:00-16:00",
        [
            ("FREQ=WEEKLY;BYDAY=TH", "10:00", "12:00"),
            ("FREQ=WEEKLY;BYDAY=TH", "14:00", "16:00"),
        ],
        False,
    ),
    ("火・木 9:30-12:00 祝日休館", [("FREQ=WEEKLY;BYDAY=TU,TH", "09:30", "12:00")], True),
    ("毎週水曜 17:00-19:00 ※祝日はお休み", [("FREQ=WEEKLY;BYDAY=WE", "17:00", "19:00")], True),
    ("土曜 11:30〜13:30（祝祭日は休み）", [("FREQ=WEEKLY;BYDAY=SA", "11:30", "13:30")], True),
]


@pytest.mark.parametrize(("text", "expected", "holidays_closed"), READ)
def test_reads_what_people_write(
    text: str, expected: list[tuple[str, str, str]] | None, holidays_closed: bool
) -> None:
    if expected is None:
        with pytest.raises(OpeningError):
            parse_opening(text)
        return
    hours = parse_opening(text)
    got = [(o.rule, o.start.isoformat("minutes"), o.end.isoformat("minutes")) for o in hours.openings]
    assert got == expected
    assert hours.closed_on_holidays is holidays_closed


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "いつでも",
        "毎週水曜",
        "17:00-19:00",
        "毎週水曜 19:00-17:00",
        "毎週水曜 25:00-26:00",
        "毎月第7土曜 10:00-12:00",
        "隔週水曜 10:00-12:00",
        "毎週ほげ曜 10:00-12:00",
    ],
)
def test_bad_texts_get_a_japanese_reason(text: str) -> None:
    with pytest.raises(OpeningError) as raised:
        parse_opening(text)
    assert str(raised.value)
    assert any("\u3040" <= ch <= "\u30ff" for ch in str(raised.value))


def test_next_opening_is_the_one_under_way_or_the_next() -> None:
    hours = parse_opening("毎週水曜 17:00-19:00")
    wednesday_6pm = datetime(2026, 12, 2, 18, 0, tzinfo=JST)
    assert next_opening(hours, wednesday_6pm) == (
        datetime(2026, 12, 2, 17, 0, tzinfo=JST),
        datetime(2026, 12, 2, 19, 0, tzinfo=JST),
    )
    after = next_opening(hours, datetime(2026, 12, 2, 19, 30, tzinfo=JST))
    assert after is not None and after[0] == datetime(2026, 12, 9, 17, 0, tzinfo=JST)


def test_second_and_fourth_saturday() -> None:
    hours = parse_opening("毎月第2・第4土曜 11:30～13:30")
    found = next_opening(hours, datetime(2026, 12, 13, 9, 0, tzinfo=JST))
    assert found is not None and found[0] == datetime(2026, 12, 26, 11, 30, tzinfo=JST)
    month = openings_between(hours, datetime(2027, 1, 1, tzinfo=JST), datetime(2027, 2, 1, tzinfo=JST))
    assert [start.day for start, _ in month] == [9, 23]


def test_holidays_and_one_off_closures_are_skipped() -> None:
    hours = parse_opening("毎週月曜 10:00-12:00、祝日は休み")
    # 2027-01-11 is 成人の日 (second Monday of January).
    found = next_opening(hours, datetime(2027, 1, 10, 12, 0, tzinfo=JST))
    assert found is not None and found[0].date() == date(2027, 1, 18)
    from dataclasses import replace

    closed = replace(hours, closed_days=frozenset({date(2027, 1, 18)}))
    found = next_opening(closed, datetime(2027, 1, 10, 12, 0, tzinfo=JST))
    assert found is not None and found[0].date() == date(2027, 1, 25)
    assert found[1].time() == time(12, 0)
