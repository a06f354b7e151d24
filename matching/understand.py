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


def _placed(text: Text, form: str, span: Span) -> bool:
    """Whether a short term found at span is a word there, not part of another word.

    One character must be a whole morpheme (庭 is not in 家庭); two hiragana too (にわ is not in
    すぐにわかる); two characters with a kanji must at least start one (お話 in お話し).
    """
    if len(form) > 2 or all("ァ" <= ch <= "ヺ" or ch == "ー" for ch in form):
        return len(form) > 1 or (span[0] in text.starts and span[1] in text.ends)
    if len(form) == 2 and _has_kanji(form):
        return span[0] in text.starts
    return span[0] in text.starts and span[1] in text.ends


def _lemma_spans(text: Text, lemmas: Sequence[str]) -> Iterable[Span]:
    n = len(lemmas)
    tokens = text.tokens
    for i in range(len(tokens) - n + 1):
        if all(tokens[i + j].normalized == lemmas[j] for j in range(n)):
            yield tokens[i].begin, tokens[i + n - 1].end


def _has_kanji(text: str) -> bool:
    return any("一" <= ch <= "鿿" or ch == "々" for ch in text)


def find_term(text: Text, term: Term, *, fuzzy: bool = True) -> list[tuple[Span, float]]:
    """Where a term occurs in the text, with the strength of the channel that found it."""
    found: list[tuple[Span, float]] = []
    for form in term.forms:
        found.extend((span, EXACT) for span in _occurrences(text.norm, form) if _placed(text, form, span))
    kana_forms = {to_hiragana(form) for form in term.forms}
    if len(term.kana) >= 3:
        kana_forms.add(term.kana)
    for form in kana_forms - set(term.forms):
        found.extend((span, KANA) for span in _occurrences(text.kana, form) if _placed(text, form, span))
    # Lemmas fold conjugation and kanji spelling; kana-only terms are left to the kana channel,
    # since Sudachi splits them into particles and auxiliaries that match anywhere (すて ~ して).
    if _has_kanji(term.text) and term.lemmas != (term.forms[-1],):
        found.extend((span, LEMMA) for span in _lemma_spans(text, term.lemmas))
    if found or not fuzzy:
        return found
    if len(term.kana) >= MIN_FUZZY_KANA and len(text.kana) >= MIN_FUZZY_KANA:
        hit = fuzz.partial_ratio_alignment(term.kana, text.kana, score_cutoff=FUZZY_CUTOFF)
        # partial_ratio is only safe this way round (a long-enough term inside the text); the
        # window must also be as long as the term, or a short text would score 100 inside it.
        if hit is not None and hit.dest_end - hit.dest_start >= len(term.kana) - 1:
            found.append(((hit.dest_start, hit.dest_end), FUZZY))
    return found


def _matched_terms(text: Text) -> dict[str, float]:
    """Terms found, with channel strength; an overlap goes to the longest (子ども食堂 over 子ども)."""
    matches = [
        (span[1] - span[0], strength, span, term.text)
        for term in taxonomy().vocabulary
        for span, strength in find_term(text, term)
    ]
    matches.sort(key=lambda m: (-m[0], -m[1]))
    taken: list[Span] = []
    found: dict[str, float] = {}
    for _, strength, span, term_text in matches:
        if any(span[0] < end and start < span[1] for start, end in taken):
            continue
        taken.append(span)
        found[term_text] = max(found.get(term_text, 0.0), strength)
    return found


def category_scores(text: Text) -> dict[str, float]:
    """Evidence per category.

    A word listed by several categories (料理: housework, teaching, cafeteria) counts only for the
    one the rest of the text supports best (料理を教えたい -> teaching), or for all of them when
    nothing else is said.
    """
    owners = taxonomy().owners
    scores: dict[str, float] = {}
    shared: list[tuple[str, float]] = []
    for term_text, strength in _matched_terms(text).items():
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
