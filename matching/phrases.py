"""What people type instead of tapping (yes, no, いつでも, 次へ, commands), from phrases.toml."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

from rapidfuzz import fuzz, process

from matching.normalize import normalize_chars, to_hiragana, tokenize

Answer = Literal[
    "yes",
    "no",
    "anytime",
    "anything",
    "redo",
    "home",
    "next",
    "change_when",
    "change_place",
    "add_detail",
    "again",
    "explain",
    "decline",
    "wait",
]

# Emoji that answer a question on their own (they are dropped when the words are folded).
_EMOJI_ANSWERS: Mapping[str, Answer] = MappingProxyType(
    {
        "👍": "yes",
        "👌": "yes",
        "🙆": "yes",
        "⭕": "yes",
        "⭕️": "yes",
        "○": "yes",
        "🙅": "no",
        "❌": "no",
        "✖": "no",
    }
)
# Polite or dialect endings that change nothing about the answer (そうですね, はいよ, ちがうよー).
_TAIL = re.compile(r"(?:です|でございます|ね|よ|な|わ|さ|ぞ|ー|っ|〜|~)+$")
_NOISE = re.compile(r"[\s\W_]+")
FUZZY_MIN_LENGTH = 5  # shorter words differ by one letter from other words (はい / いい)
FUZZY_CUTOFF = 88.0


def fold(text: str) -> str:
    """The form phrases are compared in: NFKC, lower case, hiragana, no spaces, punctuation or emoji."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Sk", "Cs", "Co", "Cn", "Cf"))
    return to_hiragana(_NOISE.sub("", text))


def key(text: str) -> str:
    """fold() without a polite tail: 「そうですね！」 and 「そう」 have the same key."""
    folded = fold(text)
    stripped = _TAIL.sub("", folded)
    return stripped or folded


@lru_cache(maxsize=512)
def reading_key(text: str) -> str:
    """key() of the text's reading, so 「ほかの日」 and 「他の日」, 「間違えた」 and 「まちがえた」 meet.

    Remembered for the last few hundred texts: one message is read by several routes (a command said
    in words, an answer, a time), and each reading is a call of the tokenizer.
    """
    reading = "".join(t.reading or t.surface for t in tokenize(normalize_chars(text)))
    return key(reading)


@dataclass(frozen=True)
class Phrases:
    answers: Mapping[str, frozenset[str]]
    readings: Mapping[str, frozenset[str]]  # the same phrases by reading
    commands: Mapping[str, str]  # key -> command name
    command_readings: Mapping[str, str]  # reading key -> command name
    distance_words: Mapping[str, int]
    rewrites: tuple[tuple[str, str], ...]  # longest first
    days: Mapping[str, int]
    parts: tuple[tuple[str, int, bool], ...]  # (word, hour, pm), longest first
    kana_hours: Mapping[str, int]  # 「じゅう」 -> 10, said before じ
    fillers_before: tuple[str, ...]  # keys, longest first
    fillers_after: tuple[str, ...]
    soon: str  # a regular expression searched in fold(text): 「なるべく早めに」 at the time step
    anytime_any: str  # a regular expression for "whenever" in fold(text): いつでも, いつでん, いづでも …
    anytime_fine: str  # … and for "is fine" after it: いい, ええ, よか, かまん …


def _raw() -> dict[str, Any]:
    return tomllib.loads(resources.files("matching").joinpath("phrases.toml").read_text(encoding="utf-8"))


@cache
def phrases() -> Phrases:
    raw = _raw()
    answers = {name: frozenset(key(p) for p in words) for name, words in raw["answers"].items()}
    readings = {name: frozenset(reading_key(p) for p in words) for name, words in raw["answers"].items()}
    commands = {key(p): name for name, words in raw["commands"].items() for p in words}
    command_readings = {reading_key(p): name for name, words in raw["commands"].items() for p in words}
    when = raw["when"]
    rewrites = tuple(sorted(when["rewrites"].items(), key=lambda kv: -len(kv[0])))
    parts = tuple(
        sorted(
            ((w, int(v["hour"]), bool(v["pm"])) for w, v in when["parts"].items()), key=lambda p: -len(p[0])
        )
    )
    return Phrases(
        answers=MappingProxyType(answers),
        readings=MappingProxyType(readings),
        commands=MappingProxyType(commands),
        command_readings=MappingProxyType(command_readings),
        distance_words=MappingProxyType({key(w): int(km) for w, km in raw["distance_words"].items()}),
        rewrites=rewrites,
        days=MappingProxyType(dict(when["days"])),
        parts=parts,
        kana_hours=MappingProxyType({w: int(h) for w, h in when.get("kana_hours", {}).items()}),
        fillers_before=_longest_first(raw["fillers"]["before"]),
        fillers_after=_longest_first(raw["fillers"]["after"]),
        soon=str(when["soon"]),
        anytime_any=str(when["anytime"]["any"]),
        anytime_fine=str(when["anytime"]["fine"]),
    )


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted({fold(w) for w in words} - {""}, key=len, reverse=True))


# Polite verb endings after an answer word: 「登録お願いします」「以上になります」「次へ進みます」.
_SUFFIXES = tuple(
    key(s)
    for s in (
        "をお願いします",
        "お願いします",
        "をおねがいします",
        "してください",
        "になります",
        "にします",
        "します",
    )
)


def _in(words: str, table: frozenset[str]) -> bool:
    """The words are one phrase, a phrase with a polite ending, or two phrases of the same answer
    (「はい登録」「いいえ違います」)."""
    if words in table:
        return True
    for suffix in _SUFFIXES:
        if words.endswith(suffix) and words[: -len(suffix)] in table:
            return True
    # Each part compared as a phrase is: 「はいそうです」+「おねがいします」, the first without its です.
    return any(
        (words[:cut] in table or key(words[:cut]) in table) and words[cut:] in table
        for cut in range(1, len(words))
    )


def _without_fillers(words: str) -> list[str]:
    """The words less a filler before them, or the fillers after them, or both (「ほいじゃそれで」
    「それでええけえ」「たのむけえのう」), when something of two letters or more is left."""
    found = phrases()
    heads = [words[len(f) :] for f in found.fillers_before if words.startswith(f)][:1] or [words]
    kept: list[str] = []
    for head in {words, *heads}:
        kept.extend(w for w in (head, *_less_endings(head)) if w != words and len(w) >= 2)
    return kept


ENDINGS_AT_MOST = 2  # endings come in twos (けえのう, けんね, じゃけえ); never more than read


def _less_endings(words: str) -> list[str]:
    """The words less the filler they end with, then the one before it (「たのむけえのう」: 「たのむけえ」,
    「たのむ」). At most two: each form is read again by the callers, and a long message is long enough."""
    less: list[str] = []
    endings = phrases().fillers_after
    while len(less) < ENDINGS_AT_MOST and (
        cut := next((f for f in endings if words.endswith(f) and len(words) > len(f)), None)
    ):
        words = words[: -len(cut)]
        less.append(words)
    return less


def loose_keys(text: str) -> tuple[str, ...]:
    """key() of the message, and of it less a filler before or after (「ごめん、やめときます」
    「もうええです、すんません」): the forms a short answer said with courtesy around it is heard in."""
    words = key(text)
    return tuple(dict.fromkeys([words, *(key(w) for w in _without_fillers(words))]))


def _fuzzy(words: str, choices: frozenset[str] | set[str]) -> str | None:
    if len(words) < FUZZY_MIN_LENGTH:
        return None
    found = process.extractOne(words, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return None if found is None else str(found[0])


def said(kind: Answer, text: str) -> bool:
    """Whether the whole message says this answer (「はい、お願いします」 yes; 「はいけんしました」 not)."""
    return answer_of(text, (kind,)) == kind


def answer_of(text: str, kinds: tuple[Answer, ...]) -> Answer | None:
    """Which of these answers the message gives, if exactly one; typos are forgiven in longer words."""
    stripped = text.strip()
    if stripped in _EMOJI_ANSWERS and _EMOJI_ANSWERS[stripped] in kinds:
        return _EMOJI_ANSWERS[stripped]
    words = key(text)
    if not words:
        return None
    table = phrases().answers
    exact = [k for k in kinds if _in(words, table[k]) or fold(text) in table[k]]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    # 「はい、お願いします」: each part says the same answer.
    # 「ほうじゃのう、それでたのんます」: each part with its fillers left out too.
    pieces = re.split(r"[\s、,。.!！?？]+", unicodedata.normalize("NFKC", text))
    parts = [loose_keys(p) for p in pieces if key(p)]
    if len(parts) > 1:
        per_part = {k for k in kinds for forms in parts if any(f in table[k] for f in forms)}
        if len(per_part) == 1 and all(any(f in table[k] for k in per_part for f in forms) for forms in parts):
            return next(iter(per_part))
    for plain in _without_fillers(words):
        trimmed = [k for k in kinds if _in(plain, table[k]) or _in(key(plain), table[k])]
        if len(trimmed) == 1:
            return trimmed[0]
    reading = reading_key(text)
    by_reading = [k for k in kinds if reading in phrases().readings[k]]
    if by_reading:
        return by_reading[0] if len(by_reading) == 1 else None
    fuzzy = [k for k in kinds if _fuzzy(words, table[k]) is not None]
    return fuzzy[0] if len(fuzzy) == 1 else None


# Softeners after a command (「再開してください」「サポーターになりたいんですが」「お休みしたいんやけど」).
_SOFTENERS = re.compile(
    r"(?:ください|くださいませ|ちょうだい|くれんね|くれんか|けろ|んですが|のですが|んですけど|んやけど|んだけど|けど|けん|ですが)$"
)
# A reason or time said first (「入院するので…」「来月から…」「すみません、…」) ends like this.
_LEAD_END = ("ので", "から", "ため", "て", "で", "、", ",", "。", "!", "?")


def command_of(text: str) -> str | None:
    """The command a message asks for in everyday words (「サポーターになりたいです」 -> supporter).

    The whole message, less softeners, must say it; or its end must, after a reason or a time
    (「入院するのでしばらく休みます」). 「買い物に行けなくなった」 is not a command: に is no reason.
    """
    table, readings = phrases().commands, phrases().command_readings
    plain = unicodedata.normalize("NFKC", text).strip()
    plain = _SOFTENERS.sub("", _TAIL.sub("", _NOISE_END.sub("", plain))) or plain
    for candidate in (key(text), key(plain)):
        if candidate in table:
            return table[candidate]
    reading = reading_key(plain)
    if reading in readings:
        return readings[reading]
    for name, found in _ending_command(plain, table):
        return found if name else None
    match = _fuzzy(key(plain), set(table))
    return None if match is None else table[match]


_NOISE_END = re.compile(r"[\s\W_]+$")
# Only these come after a reason; 「…けど、使い方がわからない」 is a 困りごと, not a call for help.
_GIVEN_WITH_A_REASON = frozenset({"pause", "resume", "drop", "supporter"})


def _ending_command(plain: str, table: Mapping[str, str]) -> list[tuple[str, str]]:
    """(phrase, command) for the longest command phrase the message ends with after a reason."""
    for cut in range(1, len(plain) - 1):
        head, tail = plain[:cut], plain[cut:]
        if head.endswith(_LEAD_END) and table.get(key(tail)) in _GIVEN_WITH_A_REASON:
            return [(tail, table[key(tail)])]
    return []


def distance_word(text: str) -> int | None:
    """km for 「近所だけ」「車で行けます」; None when no such word is there."""
    words = key(text)
    table = phrases().distance_words
    for word in sorted(table, key=len, reverse=True):
        if word in words:
            return table[word]
    return None
