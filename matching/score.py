"""Score parts for one supporter and one request: category, text, distance, fairness."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

from matching.normalize import normalize_chars, to_hiragana, tokenize

WEIGHTS = {"category": 0.45, "text": 0.15, "distance": 0.25, "fairness": 0.15}
ALTERNATIVE_CATEGORY = 0.5  # a supporter who fits only a second-best reading of the request
STRONG_TEXT = 0.6  # text similarity that qualifies a supporter when the category is unknown
FAIRNESS_HORIZON_HOURS = 7 * 24  # someone not asked for a week is fully "rested"
DISTANCE_SCALE_KM = 2.0  # a short walk beats a bus ride, whatever the supporter's radius

_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞"})
# Auxiliary-like words (して, ほしい, もらえる, いつも) carry no task; numbers neither.
_NOT_CONTENT = frozenset({"非自立可能", "副詞可能", "数詞"})
_INFLECTED = frozenset({"動詞", "形容詞"})
WORD_CUTOFF = 75.0  # fuzz.ratio between readings; 75 tolerates one kana off in a 4-kana word


@lru_cache(maxsize=8192)
def _lemma_reading(lemma: str) -> str:
    # Verbs are compared in dictionary form (作って ~ 作る), read in kana so that kana-only
    # writing still matches (つくる).
    return "".join(t.reading for t in tokenize(lemma))


@lru_cache(maxsize=65536)
def content_words(text: str) -> tuple[str, ...]:
    """Hiragana readings of the content words (the reading channel for text similarity)."""
    words = []
    for token in tokenize(normalize_chars(text)):
        if token.pos not in _CONTENT_POS or not _NOT_CONTENT.isdisjoint(token.pos_detail):
            continue
        if token.pos in _INFLECTED:
            reading = _lemma_reading(token.normalized)
        else:
            reading = token.reading or to_hiragana(token.surface)
        if len(reading) >= 2:
            words.append(reading)
    return tuple(dict.fromkeys(words))


def text_similarity(request_words: Sequence[str], skill_words: Sequence[str]) -> float:
    """Share of the request's content words found, fuzzily by reading, among a supporter's words.

    Word-against-word fuzz.ratio is used on purpose: partial_ratio or token_set_ratio on whole
    texts score 100 whenever a short string is contained in a long one ("手" in anything).
    """
    if not request_words or not skill_words:
        return 0.0
    hits = 0.0
    for word in request_words:
        best = process.extractOne(word, skill_words, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF)
        if best is not None:
            hits += best[1] / 100.0
    return hits / len(request_words)


def distance_part(distance_km: float, radius_km: float) -> float:
    """1 next door, falling with distance and towards the edge of the supporter's own circle."""
    inside = max(0.0, 1.0 - distance_km / radius_km) if radius_km > 0 else 0.0
    return 0.5 * inside + 0.5 * math.exp(-distance_km / DISTANCE_SCALE_KM)


def fairness_part(hours_since_asked: float | None, asked_this_week: int, weekly_cap: int) -> float:
    """1 for someone not asked lately; lower for whoever was asked recently or often this week."""
    rested = (
        1.0 if hours_since_asked is None else min(1.0, max(0.0, hours_since_asked / FAIRNESS_HORIZON_HOURS))
    )
    load = min(1.0, asked_this_week / weekly_cap) if weekly_cap > 0 else 1.0
    # Being asked a few hours ago weighs more than having been asked earlier in the week.
    return 0.7 * rested + 0.3 * (1.0 - load)


def hours_since(asked_ts: float | None, now_ts: float) -> float | None:
    """Hours between two POSIX timestamps (the index stores them as floats once)."""
    return None if asked_ts is None else (now_ts - asked_ts) / 3600.0


def total(category: float, text: float, distance: float, fairness: float) -> float:
    return (
        WEIGHTS["category"] * category
        + WEIGHTS["text"] * text
        + WEIGHTS["distance"] * distance
        + WEIGHTS["fairness"] * fairness
    )
