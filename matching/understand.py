"""Understanding a request or offer text: its category, alternatives and safety flag."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from matching import safety
from matching.category_reader import TEACHING, category_reader, reader_pick
from matching.matcher import FUZZY, TermMatcher, Text, longest_first, prepare
from matching.second_reader import (
    ASK_FROM,
    ASK_OVER_REFUSAL_FROM,
    MAYBE_KIND_FROM,
    REFER_FROM,
    REFUSE_FROM,
    Reading,
    second_reader,
)
from matching.taxonomy import STRONG_WEIGHT, WEAK_WEIGHT, Flag, taxonomy
from matching.words import offers_to_teach

MIN_CATEGORY_SCORE = 1.0  # one weak term, matched exactly
MIN_SKILL_SCORE = 2.0  # a strong term, or two weak ones: supporters' skills must be explicit
# The learned reader may overrule the rules only on a text that asks for ordinary help this clearly (a
# strong term, or two weak ones): 「119番に電話して」 names 電話 (digital, weak) and must stay flagged.
OVERRULE_FROM_SCORE = 2.0
ACTION_WEIGHT = 1.5  # the verb asked for (買ってきて, 運んで) tips a text that names several kinds of help
ALTERNATIVE_SHARE = 0.25  # alternatives must score at least this share of the best
MAX_ALTERNATIVES = 3


Urgency = Literal["now", "maybe"]


@dataclass(frozen=True)
class Understanding:
    """What a text asks for, and whether it must not be matched.

    flag: emergency (urgency now: a real emergency; maybe: ask at once), not_allowed or harmful;
    flag_reason: the kind (fire, chest_pain, money, …; for maybe, uncertain unless one kind is all but
    sure). referral: a person being harassed, stalked or defrauded (flag stays None: they need a
    referral, not a refusal).
    """

    category: str | None
    confidence: float
    alternatives: tuple[str, ...]
    flag: Flag | None = None
    flag_reason: str | None = None
    # The rules' evidence per category, best first (the category may be the learned reader's: reader_pick).
    scores: tuple[tuple[str, float], ...] = ()
    urgency: Urgency | None = None
    referral: str | None = None


@cache
def _vocabulary() -> TermMatcher:
    return TermMatcher(taxonomy().vocabulary)


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


def category_scores(text: Text, terms: dict[str, float] | None = None) -> dict[str, float]:
    """Evidence per category (from `terms` when the matched terms are already known).

    A word listed by several categories (料理: housework, teaching, cafeteria) counts only for the
    one the rest of the text supports best (料理を教えたい -> teaching), or for all of them when
    nothing else is said. A `general` word (教えて) is only a hint beside a clearly named kind.
    """
    tax = taxonomy()
    owners, general = tax.owners, tax.general
    scores: dict[str, float] = {}

    def add(category_id: str, amount: float) -> None:
        scores[category_id] = scores.get(category_id, 0.0) + amount

    shared: list[tuple[str, float]] = []
    generic: list[tuple[str, float]] = []
    for term_text, strength in (matched_terms(text) if terms is None else terms).items():
        found = owners[term_text]
        if len(found) > 1:
            shared.append((term_text, strength))
        elif (term_text, found[0][0]) in general:
            generic.append((term_text, strength))
        else:
            add(found[0][0], found[0][1] * strength)
    own = dict(scores)

    def weight(term_text: str, category_id: str, listed: float) -> float:
        if (term_text, category_id) not in general:
            return listed
        named = any(s >= STRONG_WEIGHT for c, s in own.items() if c != category_id)
        return WEAK_WEIGHT if named else listed

    for term_text, strength in generic:
        category_id, listed = owners[term_text][0]
        add(category_id, weight(term_text, category_id, listed) * strength)
    for term_text, strength in shared:
        support = max(own.get(category_id, 0.0) for category_id, _ in owners[term_text])
        for category_id, listed in owners[term_text]:
            if own.get(category_id, 0.0) == support:
                add(category_id, weight(term_text, category_id, listed) * strength)
    # What is asked decides over what is mentioned: 薬局で薬を受け取って「届けて」, 重たい水を「買ってきて」.
    for category_id in tax.actions.get(safety.asked_verb(text.tokens), ()):
        add(category_id, ACTION_WEIGHT)
    return scores


def _confidence(best: float, second: float) -> float:
    # Grows with the evidence for the best category, shrinks when another is close.
    return round(min(1.0, best / (best + second + 1.5)), 3)


@dataclass(frozen=True)
class Danger:
    flag: Flag | None = None
    flag_reason: str | None = None
    urgency: Urgency | None = None
    referral: str | None = None


def _overruled(verdict: safety.Verdict, reading: Callable[[], Reading], category_score: float) -> bool:
    """Whether the learned reader overrules the rules' verdict: only on a text that names an ordinary
    kind of help (category_score), and only when the reader, which learnt whole situations from many
    authors, finds every danger answer very unlikely. The rules match fragments, and a fragment in the
    reason for a request (心臓の検査に付き添って, 犬が散歩中に倒れこむから) is what new writers trip them
    with; a text that names no help, and the harmful tier, always keep the rules' verdict."""
    if verdict.tier is None or verdict.tier == "harmful" or category_score < OVERRULE_FROM_SCORE:
        return False
    return reading().finds_nothing()


def said_score(raw: str) -> float:
    """How clearly a text names an ordinary kind of help: its best category's evidence, none when only
    typo-guesses name one (ばあちゃん read as 赤ちゃん)."""
    text = prepare(raw)
    terms = matched_terms(text)
    if all(strength <= FUZZY for strength in terms.values()):
        return 0.0
    return max(category_scores(text, terms).values(), default=0.0)


def _given_way(verdicts: list[safety.Verdict], reading: Callable[[], Reading]) -> safety.Verdict:
    """The rules' most serious verdict, unless it is an emergency and a referral or refusal rule fired
    beside it that the learned reader, reading the whole situation, bears out (second_reader.GIVE_WAY_*)."""
    first = verdicts[0]
    beside = [v for v in verdicts[1:] if v.tier in ("referral", "not_allowed")]
    if first.tier != "now" or not beside or any(v.tier == "harmful" for v in verdicts):
        return first
    return next((v for v in beside if reading().gives_way_to(v.tier or "")), first)


def danger_of(raw: str, category_score: float) -> Danger:
    """The safety net's reading of a text (see matching/safety.toml), as Understanding's fields."""
    # The learned reader reads the text once, and only when a step below needs it.
    reading = cache(lambda: second_reader().read(raw))
    verdicts = safety.read_all(raw, category_score=category_score, sentence_score=said_score)
    verdict = _given_way(verdicts, reading) if verdicts else safety.Verdict()
    if _overruled(verdict, reading, category_score):
        return Danger()
    if verdict.tier is None:
        # The rules saw nothing: the learned reader may still raise the answer (never lower it).
        second = reading()
        if second.danger >= ASK_FROM:
            # Ask rather than match; the likeliest kind decides the answer to はい.
            return Danger("emergency", second.emergency_kind or "uncertain", "maybe")
        if second.not_allowed >= REFUSE_FROM:
            return Danger("not_allowed", second.not_allowed_kind)
        if second.referral >= REFER_FROM:
            return Danger(referral="harassment")
    if verdict.tier == "now":
        return Danger("emergency", verdict.kind, "now")
    if verdict.tier == "maybe":
        # Asked about; a kind the reader is all but sure of decides the answer to はい (its numbers first).
        kind, _ = second_reader().emergency_kind_of(raw, sure_from=MAYBE_KIND_FROM)
        return Danger("emergency", kind or "uncertain", "maybe")
    if verdict.tier == "not_allowed" and reading().danger >= ASK_OVER_REFUSAL_FROM:
        # Safety outranks a refusal: the whole text reads as an emergency, so it is asked about at once.
        return Danger("emergency", reading().emergency_kind or "uncertain", "maybe")
    if verdict.tier == "not_allowed" or verdict.tier == "harmful":
        return Danger(verdict.tier, verdict.kind)
    if verdict.tier == "referral":
        return Danger(referral=verdict.kind)
    return Danger()


def understand_text(text: Text, raw: str | None = None) -> Understanding:
    """Category and safety of a prepared text; raw (as the user wrote it) lets emoji count as danger."""
    terms = matched_terms(text)
    ranked = sorted(category_scores(text, terms).items(), key=lambda kv: -kv[1])
    scores = tuple((c, round(s, 3)) for c, s in ranked)
    # A typo-guess alone (ばあちゃん read as 赤ちゃん) names no help clearly enough to quiet the
    # safety net; beside a word said plainly (お茶 … しゃべりてぇ) it counts as usual.
    guessed_only = all(strength <= FUZZY for strength in terms.values())
    said = ranked[0][1] if ranked and not guessed_only else 0.0
    written = text.norm if raw is None else raw
    danger = danger_of(written, said)
    # The learned reader may name the kind over the rules (the safety net above reads the rules' evidence).
    picked = reader_pick(dict(ranked), category_reader().read(written))
    category: str | None = None
    confidence = 0.0
    alternatives: tuple[str, ...] = ()
    if picked is not None:
        category, sure = picked
        confidence = round(sure, 3)
        floor = (ranked[0][1] if ranked else 0.0) * ALTERNATIVE_SHARE
        alternatives = tuple(c for c, s in ranked if c != category and s >= floor)[:MAX_ALTERNATIVES]
    elif ranked and ranked[0][1] >= MIN_CATEGORY_SCORE:
        category, best = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        confidence = _confidence(best, second)
        alternatives = tuple(c for c, s in ranked[1:] if s >= best * ALTERNATIVE_SHARE)[:MAX_ALTERNATIVES]
    if offers_to_teach(written) and category != TEACHING:
        # An offer to teach decides over its subject, whatever the rules or the reader named:
        # 「スマホの基本操作、教えられます」 is teaching, digital first among the alternatives
        # (「スマホを教えて」 stays digital).
        named = (category, *alternatives) if category is not None else alternatives
        alternatives = tuple(c for c in named if c != TEACHING)[:MAX_ALTERNATIVES]
        category = TEACHING
        confidence = max(confidence, _confidence(STRONG_WEIGHT, 0.0))
    return Understanding(
        category=category,
        confidence=confidence,
        alternatives=alternatives,
        flag=danger.flag,
        flag_reason=danger.flag_reason,
        scores=scores,
        urgency=danger.urgency,
        referral=danger.referral,
    )


def understand(text: str) -> Understanding:
    """Classify a request text; unknown or unusable text gives category None, confidence 0."""
    if not isinstance(text, str):
        return Understanding(category=None, flag=None, confidence=0.0, alternatives=())
    return understand_text(prepare(text), text)


def skills_from_text(text: str) -> frozenset[str]:
    """Every category a supporter's skill text or an やってみたい offer clearly covers."""
    if not isinstance(text, str):
        return frozenset()
    scores = category_scores(prepare(text))
    return frozenset(c for c, s in scores.items() if s >= MIN_SKILL_SCORE)
