"""Understanding a request or offer text: its category, alternatives and safety flag."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from matching.matcher import TermMatcher, Text, longest_first, prepare
from matching.normalize import to_hiragana
from matching.taxonomy import FLAGS, STRONG_WEIGHT, Flag, Term, taxonomy

MIN_CATEGORY_SCORE = 1.0  # one weak term, matched exactly
MIN_SKILL_SCORE = 2.0  # a strong term, or two weak ones: supporters' skills must be explicit
ALTERNATIVE_SHARE = 0.25  # alternatives must score at least this share of the best
MAX_ALTERNATIVES = 3


@dataclass(frozen=True)
class Understanding:
    category: str | None
    flag: Flag | None
    confidence: float
    alternatives: tuple[str, ...]
    flag_reason: str | None = None
    scores: tuple[tuple[str, float], ...] = ()  # every category with evidence, best first


@cache
def _vocabulary() -> TermMatcher:
    return TermMatcher(taxonomy().vocabulary)


@cache
def _signal_phrases() -> tuple[TermMatcher, tuple[int, ...]]:
    """One matcher over every signal's phrases, and which signal each phrase belongs to."""
    phrases: list[Term] = []
    owner: list[int] = []
    for index, signal in enumerate(taxonomy().signals):
        phrases.extend(signal.phrases)
        owner.extend([index] * len(signal.phrases))
    return TermMatcher(phrases), tuple(owner)


def matched_terms(text: Text) -> dict[str, float]:
    """Category terms found in the text, with the strength of the channel that found them."""
    matcher = _vocabulary()
    matches = matcher.find(text)
    found = longest_first(matches, len(text.norm))
    owners = taxonomy().owners
    strongest = max((w * s for t, s in found.items() for _, w in owners[matcher.terms[t].text]), default=0.0)
    if strongest < STRONG_WEIGHT:
        # Nothing clear was said: look for typos (でんきゆう), but only then, as it costs more.
        matches += matcher.find_fuzzy(text, skip=set(found))
        found = longest_first(matches, len(text.norm))
    return {matcher.terms[t].text: strength for t, strength in found.items()}


def category_scores(text: Text) -> dict[str, float]:
    """Evidence per category.

    A word listed by several categories (料理: housework, teaching, cafeteria) counts only for the
    one the rest of the text supports best (料理を教えたい -> teaching), or for all of them when
    nothing else is said.
    """
    owners = taxonomy().owners
    scores: dict[str, float] = {}
    shared: list[tuple[str, float]] = []
    for term_text, strength in matched_terms(text).items():
        if len(owners[term_text]) > 1:
            shared.append((term_text, strength))
            continue
        category_id, weight = owners[term_text][0]
        scores[category_id] = scores.get(category_id, 0.0) + weight * strength
    own = dict(scores)
    for term_text, strength in shared:
        support = max(own.get(category_id, 0.0) for category_id, _ in owners[term_text])
        for category_id, weight in owners[term_text]:
            if own.get(category_id, 0.0) == support:
                scores[category_id] = scores.get(category_id, 0.0) + weight * strength
    return scores


def detect_flag(text: Text) -> tuple[Flag, str] | None:
    """The most serious safety signal in the text, if any."""
    matcher, owner = _signal_phrases()
    # Signals use exact, kana and lemma channels only: a typo-level guess must not block a request.
    fired = {owner[m.term] for m in matcher.find(text)}
    signals = taxonomy().signals
    for index, signal in enumerate(signals):
        if index not in fired and any(all(w in text.norm for w in group) for group in signal.together):
            fired.add(index)
    for index in list(fired):
        unless = signals[index].unless
        if any(u in text.norm or to_hiragana(u) in text.kana for u in unless):
            fired.discard(index)
    for kind in FLAGS:
        for index, signal in enumerate(signals):
            if signal.kind == kind and index in fired:
                return kind, signal.reason
    return None


def _confidence(best: float, second: float) -> float:
    # Grows with the evidence for the best category, shrinks when another is close.
    return round(min(1.0, best / (best + second + 1.5)), 3)


def understand_text(text: Text) -> Understanding:
    flag = detect_flag(text)
    ranked = sorted(category_scores(text).items(), key=lambda kv: -kv[1])
    scores = tuple((c, round(s, 3)) for c, s in ranked)
    if not ranked or ranked[0][1] < MIN_CATEGORY_SCORE:
        return Understanding(
            category=None,
            flag=flag[0] if flag else None,
            confidence=0.0,
            alternatives=(),
            flag_reason=flag[1] if flag else None,
            scores=scores,
        )
    best_id, best = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    alternatives = tuple(c for c, s in ranked[1:] if s >= best * ALTERNATIVE_SHARE)[:MAX_ALTERNATIVES]
    return Understanding(
        category=best_id,
        flag=flag[0] if flag else None,
        confidence=_confidence(best, second),
        alternatives=alternatives,
        flag_reason=flag[1] if flag else None,
        scores=scores,
    )


def understand(text: str) -> Understanding:
    """Classify a request text; unknown or unusable text gives category None, confidence 0."""
    if not isinstance(text, str):
        return Understanding(category=None, flag=None, confidence=0.0, alternatives=())
    return understand_text(prepare(text))


def skills_from_text(text: str) -> frozenset[str]:
    """Every category a supporter's skill text or an やってみたい offer clearly covers."""
    if not isinstance(text, str):
        return frozenset()
    scores = category_scores(prepare(text))
    return frozenset(c for c, s in scores.items() if s >= MIN_SKILL_SCORE)
