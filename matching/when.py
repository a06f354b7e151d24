"""Times written in everyday Japanese (「あした10時」「来週の火曜の午前中」「いつでも」), read with ja-timex.

ja-timex finds and normalises the temporal expressions (dates, weekdays, 明日/来週, clock times with kanji
or full-width digits, ranges) into TIMEX3 values; the words it does not know (kana spellings such as
あした, parts of the day such as 午後/夕方) are data in phrases.toml. The reading is relative to a local
"now" the caller passes in (the bot's injected clock in OTAGAI_TIMEZONE), never the machine's clock.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from ja_timex import TimexParser
from ja_timex.number_normalizer import NumberNormalizer
from ja_timex.tag import TIMEX

from matching.normalize import to_hiragana
from matching.phrases import fold, phrases, said

SOON = timedelta(minutes=30)  # a time today closer than this is taken as tomorrow's
EARLIEST_HOUR = 7  # 「3時」 alone means 15:00: nobody asks a neighbour for help at 3 a.m.

_local = threading.local()


def _parser() -> TimexParser:
    # A TimexParser keeps the text being parsed on itself: one per thread. Its default NumberNormalizer is
    # a single object shared by every parser (a default argument) that records each parse's index shifts
    # on itself, so each thread's parser gets a normaliser of its own too.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = TimexParser(number_normalizer=NumberNormalizer())
    return parser


# The strings a match holds one of, and the classes (\d) it may hold instead.
_Needs = tuple[frozenset[str], frozenset[str]]


def _needs_seq(items: list[tuple[object, Any]]) -> _Needs | None:
    """What every match of the sequence must contain (the most telling of its parts); None: nothing known."""
    found: list[_Needs] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            found.append((frozenset([run]), frozenset()))
            run = ""
        needs = _needs(op, av)
        if needs is not None:
            found.append(needs)
    if run:
        found.append((frozenset([run]), frozenset()))
    # A class (\d, \s) matches too much; then the longer strings, then the fewer.
    return max(found, key=lambda n: (not n[1], min(map(len, n[0]), default=0), -len(n[0])), default=None)


def _needs(op: object, av: Any) -> _Needs | None:
    if op is sre.IN:
        chars: set[str] = set()
        classes: set[str] = set()
        for kind, arg in av:
            if kind is sre.LITERAL:
                chars.add(chr(arg))
            elif kind is sre.RANGE and arg[1] - arg[0] < 100:
                chars.update(chr(code) for code in range(arg[0], arg[1] + 1))
            elif kind is sre.CATEGORY and arg in _CATEGORIES:
                classes.add(_CATEGORIES[arg])
            else:
                return None  # a negated set, a class we do not map
        return frozenset(chars), frozenset(classes)
    if op is sre.BRANCH:
        branches = [_needs_seq(branch) for branch in av[1]]
        if any(needs is None for needs in branches):
            return None
        strings = frozenset().union(*(n[0] for n in branches if n))
        return strings, frozenset().union(*(n[1] for n in branches if n))
    if op is sre.SUBPATTERN and not av[1] and not av[2]:
        return _needs_seq(av[3])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _needs_seq(av[2])
    return None  # may match nothing (x?, an anchor), any character (.), or a group again


_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_WORD: r"\w"}
# The number normaliser ja-timex runs first turns kanji and full-width numerals into 0-9, adds "," or
# "." only between digits and takes commas from between digits: a text with none of these is left as is.
_NUMERALS = "〇一二三四五六七八九十百千万億兆京垓零０１２３４５６７８９"


@cache
def _may_hold_a_time() -> re.Pattern[str] | None:
    """A regular expression found in every text in which any ja-timex pattern can match.

    Derived from the parser's own regular expressions (their parsed form): each pattern contributes
    strings or characters every match of it contains, so a text with none of them provably gets no
    tags and the ~250 scans are skipped. None when a pattern cannot be bounded (a future ja-timex),
    which turns the shortcut off. The compiled pattern is immutable.
    """
    strings: set[str] = set(_NUMERALS)
    classes: set[str] = {r"\d"}
    for patterns in _parser().all_patterns.values():
        for pattern in patterns:
            parsed = sre_parse.parse(pattern.re_pattern)
            needs = None if parsed.state.flags & re.IGNORECASE else _needs_seq(list(parsed))
            if needs is None:
                return None
            strings |= needs[0]
            classes |= needs[1]
    longer = sorted((s for s in strings if len(s) > 1), key=lambda s: (-len(s), s))
    single = "".join(re.escape(c) for c in sorted(s for s in strings if len(s) == 1))
    return re.compile("|".join([*map(re.escape, longer), "[" + single + "".join(sorted(classes)) + "]"]))


def _tags(prepared: str) -> list[TIMEX]:
    may_hold = _may_hold_a_time()
    if may_hold is not None and may_hold.search(prepared) is None:
        return []
    return _parser().parse(prepared)


@dataclass(frozen=True)
class When:
    """What a message says about the time; `day`/`start` are None when it does not say them."""

    anytime: bool = False
    day: date | None = None
    start: time | None = None
    end: time | None = None
    said_day: bool = False  # the day was in the words (not today/tomorrow filled in for a time alone)
    soon: bool = False  # 「なるべく早めに」: no time set, but sooner is better (kept for the supporter)
    also_days: tuple[
        date, ...
    ] = ()  # 「あしたでもあさってでもええ」: other days that suit (day is the earliest)

    @property
    def complete(self) -> bool:
        return self.anytime or (self.day is not None and self.start is not None)


_DIGIT_JI = re.compile(r"(\d+)\s*じ")


@cache
def _kana_hour() -> re.Pattern[str]:
    """「にじ」「じゅうじ」 alone: after the start, の, は or a non-kana; before 半, ごろ, から, に, で …"""
    numbers = "|".join(sorted(phrases().kana_hours, key=len, reverse=True))
    parts = ("の", "は", "、", " ", "ごご", "ごぜん", "あさ", "ひる", "よる", "ゆうがた", "ばん")
    before = "|".join([r"(?<![ぁ-ゖ])", *(f"(?<={p})" for p in parts)])
    after = (
        r"(?=半|ごろ|頃|ころ|くらい|ぐらい|から|まで|すぎ|過ぎ|まえ|前|に|で|の|です|じゃ|や|を|[^ぁ-ゖ]|$)"
    )
    return re.compile(f"(?:{before})({numbers})じ(?:(はん)|{after})")


def _hour_in_digits(found: re.Match[str]) -> str:
    return f"{phrases().kana_hours[found.group(1)]}時{'半' if found.group(2) else ''}"


_DIGIT_FUN = re.compile(r"(\d+)\s*ふん")
_TIME_VALUE = re.compile(r"T(\d\d)-(\d\d|XX)")
_DATE_VALUE = re.compile(r"(\d{4}|XXXX)-(\d\d)-(\d\d)")
_WEEKDAY_VALUE = re.compile(r"XXXX-WXX-(\d)")
_DURATION_VALUE = re.compile(r"P(\d+)([DW])")


# Katakana typed for kana words (「ｱｼﾀ ｺﾞｺﾞ 3ｼﾞ」): read as hiragana, but for カ/ケ/ヶ before 月 (3ヶ月).
_KATAKANA = re.compile(r"(?![カケヵヶ]月)[ァ-ヴ]")


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _KATAKANA.sub(lambda m: to_hiragana(m.group()), text)
    text = _kana_hour().sub(_hour_in_digits, text)
    for word, replacement in phrases().rewrites:
        text = text.replace(word, replacement)
    text = _DIGIT_JI.sub(r"\1時", text)
    return _DIGIT_FUN.sub(r"\1分", text)


def spelled_out(text: str) -> str:
    """The text with its time words as the parser reads them (「あしたのじゅうじ」 -> 「明日の10時」)."""
    return _prepare(text)


def read_when(text: str, now: datetime, *, strict: bool = False) -> When | None:
    """What the text says about when, relative to the local `now`; None when it says nothing usable.

    strict: the text is a first message about something else, so a part of the day alone
    (「夜になると電気がつかない」) is not taken for a time; a day or a clock time must be there.
    """
    soon = not strict and _soon().search(fold(text)) is not None
    if said("anytime", text) or _says_anytime(text, strict=strict):
        return When(anytime=True, soon=soon)
    prepared = _prepare(text)
    today = now.date()
    tags = _tags(prepared)
    day = _day_of(tags, prepared, today)
    offered = () if strict else _days_offered(tags, today)
    if offered:
        day = offered[0]  # the earliest: the others are kept for the supporter to see
    also_days = offered[1:]
    times = [t for t in tags if t.type == "TIME" and _TIME_VALUE.search(t.value)]
    part = next(((h, pm) for word, h, pm in phrases().parts if _part_in(word, prepared)), None)
    if strict and (day is None or day == today) and not times and not (day == today and part):
        # 「今日電球が切れた」 says when it broke, not when help is wanted; a part of the day alone, little.
        return None
    if strict and (any(t.type == "SET" for t in tags) or len([t for t in tags if t.type == "DATE"]) > 1):
        return None  # 「毎週火曜の」「火曜と金曜の」: a regular or several days, for a person to settle
    start = end = None
    if times:
        start = _clock(times[0].value, part)
        end = _clock(times[1].value, part) if len(times) > 1 else None
        if end is not None and start is not None and end <= start:
            end = None
    elif part is not None:
        start = time(part[0], 0)
    if day is None and start is None:
        return When(anytime=True, soon=True) if soon else None
    if day is not None:
        return When(day=day, start=start, end=end, said_day=True, also_days=also_days)
    if start is not None:
        # A time alone: today if it is still ahead, otherwise tomorrow.
        day = today if datetime.combine(today, start, now.tzinfo) >= now + SOON else today + timedelta(days=1)
    return When(day=day, start=start, end=end)


_KANA_ONLY = re.compile(r"[ぁ-ゖ]+")
# Kana a part of the day written in kana may follow (「あしたのあさ」「あしたはあさ」「いつもあさ」).
_BEFORE_A_PART = frozenset("のはにでともやへ")


def _part_in(word: str, prepared: str) -> bool:
    """A part of the day in the text; in kana, only where it begins a word: 「つかあさい」 (広島's ください)
    holds あさ, and 「あさってにしてつかあさい」 was read as the morning, 9:00."""
    if not _KANA_ONLY.fullmatch(word):
        return word in prepared
    at = prepared.find(word)
    while at != -1:
        before = prepared[at - 1] if at else ""
        if not ("ぁ" <= before <= "ゖ") or before in _BEFORE_A_PART:
            return True
        at = prepared.find(word, at + 1)
    return False


@cache
def _soon() -> re.Pattern[str]:
    return re.compile(phrases().soon)


@cache
def _anytime(*, with_fine: bool) -> re.Pattern[str]:
    found = phrases()
    return re.compile(found.anytime_any + (found.anytime_fine if with_fine else ""))


def _says_anytime(text: str, *, strict: bool) -> bool:
    """「いつでも」 in any of its regional forms (いつでん, いづでも, なんどきでも); in a first message
    about something else (strict) only with "is fine" after it (「いつでんよか」): 「いつでも電気がつかない」
    says no time."""
    return _anytime(with_fine=strict).search(fold(text)) is not None


def _days_offered(tags: list[TIMEX], today: date) -> tuple[date, ...]:
    """The days of 「あしたでもあさってでも」「火曜か水曜」, earliest first, when more than one is offered
    (「来週の火曜」 is one day: a week said with a weekday is left to _day_of)."""
    if any(t.type == "DURATION" and t.value.endswith("W") for t in tags):
        return ()
    days = {d for t in tags if t.type in ("DATE", "DURATION") and (d := _day_of([t], "", today)) is not None}
    return tuple(sorted(days)) if len(days) > 1 else ()


def _clock(value: str, part: tuple[int, bool] | None) -> time | None:
    found = _TIME_VALUE.search(value)
    if found is None:
        return None
    hour = int(found.group(1))
    minute = 0 if found.group(2) == "XX" else int(found.group(2))
    if part is not None and part[1] and hour < 12:
        hour += 12  # 午後3時, 夕方5時
    elif part is None and hour < EARLIEST_HOUR:
        hour += 12
    if hour >= 24 or minute >= 60:
        return None
    return time(hour, minute)


def _day_of(tags: list[TIMEX], text: str, today: date) -> date | None:
    weeks: int | None = None
    relative: int | None = None
    for tag in tags:
        found = _DURATION_VALUE.fullmatch(tag.value) if tag.type == "DURATION" else None
        if found is None or tag.mod not in ("AFTER", "NOW"):
            continue
        count = int(found.group(1))
        if found.group(2) == "W":
            weeks = count
        elif relative is None:
            relative = count
    for tag in tags:
        if tag.type != "DATE":
            continue
        if (weekday := _WEEKDAY_VALUE.fullmatch(tag.value)) is not None:
            return _weekday(today, int(weekday.group(1)) - 1, weeks)
        if (found := _DATE_VALUE.fullmatch(tag.value)) is not None:
            return _calendar_day(today, found.group(1), int(found.group(2)), int(found.group(3)))
    if relative is not None:
        return today + timedelta(days=relative)
    if weeks and any(t.value == f"P{weeks}W" and t.text.endswith("後") for t in tags):
        return today + timedelta(weeks=weeks)  # 「1週間後」 (「来週」 alone names no day)
    for word, offset in phrases().days.items():
        if word in text:
            return today + timedelta(days=offset)
    return None


def _weekday(today: date, weekday: int, weeks: int | None) -> date:
    """火曜 alone: the next Tuesday (a week on when today is Tuesday); 来週の火曜: in next week."""
    if weeks is not None:
        monday = today - timedelta(days=today.weekday())
        return max(monday + timedelta(weeks=weeks, days=weekday), today)
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead or 7)


def _calendar_day(today: date, year: str, month: int, day: int) -> date | None:
    try:
        if year != "XXXX":
            return date(int(year), month, day)
        candidate = date(today.year, month, day)
        return candidate if candidate >= today else date(today.year + 1, month, day)
    except ValueError:
        return None  # 2月30日


def moment(when: When, tz: object) -> datetime | None:
    """The aware datetime a complete reading stands for (None for いつでも or a missing part)."""
    if when.anytime or when.day is None or when.start is None:
        return None
    return datetime.combine(when.day, when.start).replace(tzinfo=tz)  # type: ignore[arg-type]
