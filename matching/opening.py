"""Opening times as people write them (「毎週水曜 17:00-19:00」「毎月第2・第4土曜」) as RFC 5545 rules.

The text is read into rules that `python-dateutil`'s rrule keeps and expands (no hand-written date
arithmetic); Japanese public holidays come from the `holidays` package. Several openings are joined by
「、」; 「祝日は休み」 anywhere closes the place on public holidays. A text that cannot be read raises
OpeningError with a short Japanese reason, so an import can report it with its line number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

if TYPE_CHECKING:
    from holidays import HolidayBase

JST = ZoneInfo("Asia/Tokyo")
MAX_LOOKAHEAD = 120  # occurrences tried per rule before giving up (a year of weekly openings, twice over)

_DAYS = {"月": "MO", "火": "TU", "水": "WE", "木": "TH", "金": "FR", "土": "SA", "日": "SU"}
_DAY_KANA = {
    "げつ": "月",
    "か": "火",
    "すい": "水",
    "もく": "木",
    "きん": "金",
    "ど": "土",
    "にち": "日",
}
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
_KANJI_NUMBERS = str.maketrans("一二三四五", "12345")
_HOLIDAY_CLOSED = re.compile(
    r"祝日?(?:・?祭日)?(?:は|も)?(?:休業|休館|定休|閉館|お?休み?|なし|×)|祝日除く|祝日を除く"
)
_DASH = r"(?:-|~|〜|ー|−|‐|–|—|から|より)"
_CLOCK = r"(午前|午後|朝|夜)?\s*(\d{1,2})\s*(?::\s*(\d{2})|時\s*(半|\d{1,2}\s*分)?)"
_START = r"(午前|午後|朝|夜)?\s*(\d{1,2})\s*(?::\s*(\d{2})|時\s*(半|\d{1,2}\s*分)?)?"  # 「17-19時」
_RANGE = re.compile(_START + r"\s*" + _DASH + r"\s*" + _CLOCK + r"\s*(?:まで)?")
_DAY_NAME = r"[月火水木金土日](?:曜日?|曜)?"
_NTH = re.compile(r"第?\s*(\d|最終)(?=[・,\s第最]|\s*[月火水木金土日])")


class OpeningError(ValueError):
    """The text could not be read as opening times; the message is Japanese, for the person who wrote it."""


@dataclass(frozen=True)
class Opening:
    rule: str  # an RFC 5545 RRULE value, e.g. FREQ=MONTHLY;BYDAY=+2SA,+4SA
    start: time
    end: time


@dataclass(frozen=True)
class Hours:
    openings: tuple[Opening, ...]
    closed_on_holidays: bool = False
    closed_days: frozenset[date] = field(default_factory=frozenset)

    def as_json(self) -> list[dict[str, str]]:
        return [
            {"rule": o.rule, "start": o.start.isoformat("minutes"), "end": o.end.isoformat("minutes")}
            for o in self.openings
        ]


def hours_from_json(
    rows: Iterable[dict[str, str]], closed_on_holidays: bool, closed_days: Iterable[date] = ()
) -> Hours:
    openings = tuple(
        Opening(r["rule"], time.fromisoformat(r["start"]), time.fromisoformat(r["end"])) for r in rows
    )
    return Hours(openings, closed_on_holidays, frozenset(closed_days))


def parse_opening(text: str) -> Hours:
    """Read a whole opening text; OpeningError says what could not be read."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not cleaned:
        raise OpeningError("開いている日時が空です（例：毎週水曜 17:00-19:00）")
    closed = bool(_HOLIDAY_CLOSED.search(cleaned))
    cleaned = _HOLIDAY_CLOSED.sub(" ", cleaned)
    openings: list[Opening] = []
    last_rule = ""
    pending_days = ""  # 「毎週月、水 10:00-12:00」: a piece with days but no time takes the next piece's time
    for piece in re.split(r"[、,;/／\n]|。", cleaned):
        piece = piece.strip(" ()（）")
        if not piece:
            continue
        times = list(_RANGE.finditer(piece))
        if not times:
            if _has_days(piece):
                pending_days += piece + "・"
                continue
            raise OpeningError(f"「{piece}」の時間がわかりません（例：17:00-19:00）")
        day_text = (pending_days + _RANGE.sub(" ", piece)).strip(" ・")
        pending_days = ""
        # 「毎週木曜 10:00-12:00、14:00-16:00」: a time alone keeps the days before it.
        rule = last_rule if not day_text and last_rule else _rule(day_text)
        last_rule = rule
        for found in times:
            start, end = _clock(found.groups()[:4]), _clock(found.groups()[4:])
            if end <= start and end.hour < 12 and found.group(5) is None:
                end = end.replace(hour=end.hour + 12)  # 「午後5時から7時まで」
            if end <= start:
                raise OpeningError(f"「{found.group(0)}」は終わりが始まりより前です")
            openings.append(Opening(rule, start, end))
    if pending_days:
        raise OpeningError(f"「{pending_days.strip('・')}」の時間がわかりません（例：17:00-19:00）")
    if not openings:
        raise OpeningError("開いている曜日と時間がわかりません（例：毎週水曜 17:00-19:00）")
    return Hours(tuple(openings), closed)


def _has_days(piece: str) -> bool:
    return bool(re.search(r"[月火水木金土]|日曜|毎日|平日|土日|週末|\d+日", _kana_days(piece)))


def _kana_days(text: str) -> str:
    for kana, kanji in _DAY_KANA.items():
        text = re.sub(kana + r"よう(?:び)?", kanji + "曜", text)
    return text


def _clock(parts: tuple[str | None, ...]) -> time:
    period, hour_text, minute_text, jp_minutes = parts
    hour = int(hour_text or 0)
    minute = int(minute_text) if minute_text else 0
    if jp_minutes:
        minute = 30 if jp_minutes == "半" else int(jp_minutes.rstrip("分 "))
    if period in ("午後", "夜") and hour < 12:
        hour += 12
    if hour == 24 and minute == 0:
        return time(23, 59)
    if hour > 23 or minute > 59:
        raise OpeningError(f"「{hour}時{minute}分」という時間はありません")
    return time(hour, minute)


def _rule(text: str) -> str:
    """The RRULE for the days part of one piece (「毎月第2・第4土曜」 -> FREQ=MONTHLY;BYDAY=+2SA,+4SA)."""
    text = _kana_days(text.translate(_KANJI_NUMBERS)).replace("曜日", "曜")
    text = re.sub(r"[\s()「」\[\]※*＊]+", "", text)  # notes' marks (※祝日はお休み) carry no days
    if not text:
        raise OpeningError("曜日がわかりません（例：毎週水曜）")
    if re.fullmatch(r"(毎日|年中無休|毎日営業)", text):
        return "FREQ=DAILY"
    if re.fullmatch(r"(毎週)?(平日|月[-~〜]金曜?)", text):
        return "FREQ=WEEKLY;BYDAY=" + ",".join(_WEEKDAYS)
    if re.fullmatch(r"(毎週)?(土日|週末)", text):
        return "FREQ=WEEKLY;BYDAY=SA,SU"
    month_days = re.fullmatch(r"毎月((?:\d{1,2}日[・と]?)+)", text)
    if month_days:
        numbers = sorted({int(d) for d in re.findall(r"(\d{1,2})日", month_days.group(1))})
        if any(not 1 <= d <= 31 for d in numbers):
            raise OpeningError(f"「{text}」の日付がおかしいです")
        return "FREQ=MONTHLY;BYMONTHDAY=" + ",".join(map(str, numbers))
    nth: list[str] = _NTH.findall(text)
    names = re.findall(
        r"([月火水木金土日])曜|([月火水木金土])(?=[・と,]|$)|(?<=[・と])([日])(?=$|[・と])", text
    )
    days = [_DAYS[next(d for d in group if d)] for group in names]
    if not days:
        raise OpeningError(f"「{text}」の曜日がわかりません（例：毎週水曜、毎月第2土曜）")
    if nth:
        positions = []
        for n in nth:
            if n == "最終":
                positions.append(-1)
            elif 1 <= int(n) <= 5:
                positions.append(int(n))
            else:
                raise OpeningError(f"「第{n}」という週はありません（第1〜第5か最終）")
        by_day = [f"{p:+d}{d}" for p in positions for d in dict.fromkeys(days)]
        return "FREQ=MONTHLY;BYDAY=" + ",".join(by_day)
    leftover = re.sub(r"毎週|隔週|毎|曜|[月火水木金土日・と,]|[-~〜]", "", text)
    if "隔週" in text:
        raise OpeningError(
            "「隔週」は始まる日がわからないため読めません。「毎月第1・第3水曜」のように書いてください"
        )
    if leftover:
        raise OpeningError(f"「{text}」の「{leftover}」がわかりません（例：毎週水曜、毎月第2土曜）")
    range_days = re.fullmatch(r"(?:毎週)?([月火水木金土日])曜?[-~〜]([月火水木金土日])曜?", text)
    if range_days:
        order = list(_DAYS)
        first, last = order.index(range_days.group(1)), order.index(range_days.group(2))
        days = [_DAYS[d] for d in order[first : last + 1]] if first <= last else days
    return "FREQ=WEEKLY;BYDAY=" + ",".join(dict.fromkeys(days))


@lru_cache(maxsize=8)
def _japan_holidays(year: int) -> HolidayBase:
    # Imported here: `holidays` takes ~0.4 s to load (its lunar calendars), and most users of this module
    # (`otagai match`, the reports) never ask whether a day is a public holiday.
    import holidays

    return holidays.country_holidays("JP", years=year)


def is_holiday(day: date) -> bool:
    return day in _japan_holidays(day.year)


def holiday_name(day: date) -> str | None:
    return _japan_holidays(day.year).get(day)


def next_opening(hours: Hours, now: datetime) -> tuple[datetime, datetime] | None:
    """The opening under way at `now` or the next one (start, end in JST), skipping holidays and closures."""
    here = now.astimezone(JST)
    best: tuple[datetime, datetime] | None = None
    for opening in hours.openings:
        found = _next_for(opening, hours, here)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return best


def openings_between(hours: Hours, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Every opening that starts in [start, end) (for the monthly numbers)."""
    found: list[tuple[datetime, datetime]] = []
    first = start.astimezone(JST)
    for opening in hours.openings:
        rule = rrulestr(opening.rule, dtstart=datetime.combine(first.date(), opening.start, JST))
        for begin in rule.between(first, end.astimezone(JST), inc=True):
            if begin < end and _open_on(hours, begin.date()):
                found.append((begin, datetime.combine(begin.date(), opening.end, JST)))
    return sorted(found)


def _next_for(opening: Opening, hours: Hours, here: datetime) -> tuple[datetime, datetime] | None:
    # DTSTART is today at the opening's start, so a BYDAY rule counts weeks and months from today.
    begin_day = here.date() - timedelta(days=1)
    rule = rrulestr(opening.rule, dtstart=datetime.combine(begin_day, opening.start, JST))
    for count, begin in enumerate(rule):
        if count > MAX_LOOKAHEAD:
            return None
        close = datetime.combine(begin.date(), opening.end, JST)
        if close <= here or not _open_on(hours, begin.date()):
            continue
        return begin, close
    return None


def _open_on(hours: Hours, day: date) -> bool:
    if day in hours.closed_days:
        return False
    return not (hours.closed_on_holidays and is_holiday(day))
