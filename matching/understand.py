"""Understanding a request or offer text: its category, alternatives and safety flag."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from matching.normalize import Token, normalize, to_hiragana, tokenize
from matching.taxonomy import FLAGS, Flag, Signal, Term, taxonomy

# How much a match counts, by the channel that found it.
EXACT = 1.0  # the term as written (after normalisation)
KANA = 0.9  # the term's reading found in kana the user typed (でんきゅう, ぱそこん)
LEMMA = 0.9  # same lemmas, other conjugation or spelling (付き添って ~ 付き添う)
SYNONYM = 0.5  # same Sudachi synonym group (ケータイ ~ 携帯)
FUZZY = 0.6  # reading within one typo (でんきゆう)

MIN_FUZZY_KANA = 5  # one edit in a shorter reading is a different word too often
FUZZY_CUTOFF = 80.0  # ratio of a 5-kana window with one substitution
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


@dataclass(frozen=True)
class Text:
    """A text prepared once for all channels."""

    norm: str
    kana: str  # norm with katakana folded to hiragana; same length, so spans line up
    tokens: tuple[Token, ...]
    starts: frozenset[int]
    ends: frozenset[int]


def prepare(text: str) -> Text:
    norm = normalize(text)
    tokens = tokenize(norm)
    return Text(
        norm=norm,
        kana=to_hiragana(norm),
        tokens=tokens,
        starts=frozenset(t.begin for t in tokens),
        ends=frozenset(t.end for t in tokens),
    )


Span = tuple[int, int]


def _occurrences(haystack: str, needle: str) -> Iterable[Span]:
    start = haystack.find(needle)
    while start >= 0:
        yield start, start + len(needle)
        start = haystack.find(needle, start + 1)


def _aligned(text: Text, span: Span) -> bool:
    return span[0] in text.starts and span[1] in text.ends


def _lemma_spans(text: Text, lemmas: Sequence[str]) -> Iterable[Span]:
    n = len(lemmas)
    tokens = text.tokens
    for i in range(len(tokens) - n + 1):
        if all(tokens[i + j].normalized == lemmas[j] for j in range(n)):
            yield tokens[i].begin, tokens[i + n - 1].end


def find_term(text: Text, term: Term, *, fuzzy: bool = True) -> list[tuple[Span, float]]:
    """Where a term occurs in the text, with the strength of the channel that found it."""
    found: list[tuple[Span, float]] = []
    # One- and two-character terms must be whole morphemes: 庭 is not in 家庭, にわ not in すぐにわかる.
    short = len(term.text) <= 2
    for span in _occurrences(text.norm, term.text):
        if not short or _aligned(text, span):
            found.append((span, EXACT))
    kana_forms = {to_hiragana(term.text)}
    if len(term.kana) >= 3:
        kana_forms.add(term.kana)
    for form in kana_forms:
        if form == term.text:
            continue
        for span in _occurrences(text.kana, form):
            if len(form) > 2 or _aligned(text, span):
                found.append((span, KANA))
    if term.lemmas and term.lemmas != (term.text,):
        found.extend((span, LEMMA) for span in _lemma_spans(text, term.lemmas))
    if found:
        return found
    if term.synonyms:
        for token in text.tokens:
            if set(token.synonyms) & set(term.synonyms):
                found.append(((token.begin, token.end), SYNONYM))
    if fuzzy and not found and len(term.kana) >= MIN_FUZZY_KANA and len(text.kana) >= MIN_FUZZY_KANA:
        hit = fuzz.partial_ratio_alignment(term.kana, text.kana, score_cutoff=FUZZY_CUTOFF)
        # partial_ratio is only safe this way round (a long-enough term inside the text); the
        # window must also be as long as the term, or a short text would score 100 inside it.
        if hit is not None and hit.dest_end - hit.dest_start >= len(term.kana) - 1:
            found.append(((hit.dest_start, hit.dest_end), FUZZY))
    return found


def category_scores(text: Text) -> dict[str, float]:
    """Evidence per category; overlapping matches go to the longest term (子ども食堂 over 子ども)."""
    matches: list[tuple[int, float, Span, str, int]] = []
    for category in taxonomy().categories:
        for index, term in enumerate(category.terms):
            for span, strength in find_term(text, term):
                matches.append((span[1] - span[0], strength, span, category.info.id, index))
    matches.sort(key=lambda m: (-m[0], -m[1]))
    taken: list[Span] = []
    counted: dict[tuple[str, int], float] = {}
    for _, strength, span, category_id, index in matches:
        if any(span[0] < end and start < span[1] for start, end in taken):
            continue
        taken.append(span)
        key = (category_id, index)
        counted[key] = max(counted.get(key, 0.0), strength)
    scores: dict[str, float] = {}
    for (category_id, index), strength in counted.items():
        term = taxonomy().category(category_id).terms[index]  # type: ignore[union-attr]
        scores[category_id] = scores.get(category_id, 0.0) + term.weight * strength
    return scores


def _signal_fires(text: Text, signal: Signal) -> bool:
    if any(u in text.norm or to_hiragana(u) in text.kana for u in signal.unless):
        return False
    if any(find_term(text, phrase, fuzzy=False) for phrase in signal.phrases):
        return True
    return any(all(w in text.norm for w in group) for group in signal.together)


def detect_flag(text: Text) -> tuple[Flag, str] | None:
    """The most serious safety signal in the text, if any."""
    for kind in FLAGS:
        for signal in taxonomy().signals:
            if signal.kind == kind and _signal_fires(text, signal):
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
