"""Finding many terms in one text at once, through the exact, kana, lemma and fuzzy channels."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from matching.normalize import Token, normalize, to_hiragana, tokenize
from matching.taxonomy import Term

# How much a match counts, by the channel that found it.
EXACT = 1.0  # the term as written (after normalisation)
KANA = 0.9  # the term's reading found in kana the user typed (でんきゅう, ぱそこん)
LEMMA = 0.9  # same lemmas, other conjugation or spelling (付き添って ~ 付き添う)
FUZZY = 0.6  # reading within one typo (でんきゆう)

MIN_FUZZY_KANA = 5  # one edit in a shorter reading is a different word too often
MIN_VOICED_KANA = 4  # readings this long may be said with voiced kana (東北: ゆぎかぎ for ゆきかき)
# Voiced kana to unvoiced: dialects voice the middle of words (ゆぎかぎ for ゆきかき).
_UNVOICE = str.maketrans(
    "がぎぐげござじずぜぞだぢづでどばびぶべぼ", "かきくけこさしすせそたちつてとはひふへほ"
)
MAX_FUZZY_TEXT = 200  # typos are fixed in chat-length messages; an essay is not scanned 300 times
FUZZY_CUTOFF = 80.0  # fuzz.ratio of a 5-kana window with one substitution

Span = tuple[int, int]


@dataclass(frozen=True)
class Text:
    """A text prepared once for all channels."""

    norm: str
    kana: str  # norm with katakana folded to hiragana; same length, so spans line up
    tokens: tuple[Token, ...]
    starts: frozenset[int]
    ends: frozenset[int]
    begins: tuple[int, ...] = ()  # token begins in order, to find the token at a position


_HALFWIDTH_KATAKANA = re.compile("[\uff66-\uff9d]")
_HIRAGANA = re.compile("[ぁ-ゖ]")
_KATAKANA = re.compile("[ァ-ヺ]")
KATAKANA_STYLE = 6  # katakana letters, with no hiragana at all, that make katakana the writing's script


def _kana_script(text: str) -> str:
    """A message written in katakana as its script (ﾃﾚﾋﾞｶﾞ ﾀｵﾚﾀ ｵｺｼﾃ, ムスコノ ヘヤノ カタヅケ) read as
    hiragana, so that its grammar (ガ, テ, ノ) is analysed and its verbs (壊ﾚﾀ) are found."""
    if not isinstance(text, str):
        return text
    wide = unicodedata.normalize("NFKC", text)
    if _HALFWIDTH_KATAKANA.search(text) or (
        not _HIRAGANA.search(wide) and len(_KATAKANA.findall(wide)) >= KATAKANA_STYLE
    ):
        return to_hiragana(wide)
    return text


def prepare(text: str) -> Text:
    norm = normalize(_kana_script(text))
    tokens = tokenize(norm)
    return Text(
        norm=norm,
        kana=to_hiragana(norm),
        tokens=tokens,
        starts=frozenset(t.begin for t in tokens),
        ends=frozenset(t.end for t in tokens),
        begins=tuple(t.begin for t in tokens),
    )


def has_kanji(text: str) -> bool:
    return any("一" <= ch <= "鿿" or ch == "々" for ch in text)


def _japanese(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or has_kanji(ch)


def _hiragana(text: str) -> bool:
    return all("ぁ" <= ch <= "ゖ" or ch == "ー" for ch in text)


def _katakana(text: str) -> bool:
    return all("ァ" <= ch <= "ヺ" or ch == "ー" for ch in text)


def placed(text: Text, form: str, span: Span) -> bool:
    """Whether a short term found at span is a word there, not part of another word.

    One character must be a whole morpheme (庭 is not in 家庭); two hiragana too (にわ is not in
    すぐにわかる); two characters with a kanji must at least start one (お話 in お話し).
    Katakana words of two or more are distinctive enough anywhere (生ゴミ).
    """
    if len(form) == 3 and _hiragana(form) and _ends_inside_an_ending(text, span):
        return False  # そうじ is not in 死にそうじゃ or かわいそうじゃ
    if _hiragana(form) and _inside_a_kanji_verb(text, span):
        return False  # きつけ (着付け) is not in 巻きつける, nor in 吹きつけ
    if len(form) > 2 or (len(form) == 2 and _katakana(form)):
        return True
    if len(form) == 2 and has_kanji(form):
        # or end a compound written as one word (ネズミ退治, 自転車修理)
        return span[0] in text.starts or (span[1] in text.ends and all(has_kanji(ch) for ch in form))
    return span[0] in text.starts and span[1] in text.ends


_INFLECTING = frozenset({"動詞", "形容詞", "助動詞"})
_FUNCTION = frozenset({"助詞", "助動詞"})


def _ends_inside_an_ending(text: Text, span: Span) -> bool:
    """Whether span ends inside a particle or an auxiliary (the じ of じゃ), not at a word's end."""
    i = bisect_right(text.begins, span[1] - 1) - 1
    if i < 0 or span[1] in text.ends:
        return False
    token = text.tokens[i]
    return token.begin < span[1] < token.end and token.pos in _FUNCTION


def _inside_a_kanji_verb(text: Text, span: Span) -> bool:
    """Whether span starts in the kana of a verb or adjective written with a kanji (the きつける of
    巻きつける): that kana belongs to the verb, not to a word of its own."""
    if span[0] in text.starts:
        return False
    i = bisect_right(text.begins, span[0]) - 1
    if i < 0:
        return False
    token = text.tokens[i]
    return token.pos in _INFLECTING and has_kanji(text.norm[token.begin])


def reading_placed(text: Text, span: Span) -> bool:
    """Whether a kanji term's reading found in the kana of the text can be that word: it does not
    start inside a verb or an ending (もらえんじゃろか holds no 園児) nor at a particle or an
    ending (いないか holds no 内科)."""
    i = bisect_right(text.begins, span[0]) - 1
    if i < 0:
        return True
    token = text.tokens[i]
    if token.begin == span[0]:
        return token.pos not in _FUNCTION
    return token.pos not in _INFLECTING


@dataclass(frozen=True)
class Match:
    span: Span
    strength: float
    term: int  # index into the matcher's terms


class TermMatcher:
    """All terms indexed by first character and first lemma, so a text is scanned once."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = tuple(terms)
        # first character -> (form, term index, strength); exact forms are looked up in the
        # normalised text, kana forms in its hiragana fold.
        self._exact: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self._kana: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self._lemmas: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        self._fuzzy: list[int] = []
        self._unvoiced: list[tuple[str, int]] = []
        self._read = tuple(has_kanji(term.text) for term in self.terms)  # kana channel reads it
        for index, term in enumerate(self.terms):
            for form in term.forms:
                self._exact[form[0]].append((form, index))
            kana_forms = {to_hiragana(form) for form in term.forms}
            if len(term.kana) >= 3:
                kana_forms.add(term.kana)
            for form in kana_forms - set(term.forms):
                self._kana[form[0]].append((form, index))
            # Kana-only terms are left to the kana channel: Sudachi splits them into particles and
            # auxiliaries whose lemmas match anywhere (すて ~ して).
            if has_kanji(term.text) and term.lemmas and term.lemmas != (term.forms[-1],):
                self._lemmas[term.lemmas[0]].append((term.lemmas, index))
            if len(term.kana) >= MIN_FUZZY_KANA:
                self._fuzzy.append(index)
            if len(term.kana) >= MIN_VOICED_KANA:
                self._unvoiced.append((term.kana.translate(_UNVOICE), index))

    def find(self, text: Text) -> list[Match]:
        """Exact, kana and lemma matches."""
        found = self._scan(text, text.norm, text.kana, None)
        if " " in text.norm:
            # Japanese words typed apart (いっしょに いって, ｲﾇﾉ ｻﾝﾎﾟ) are also read joined; only
            # matches that cross a space are new.
            norm = text.norm
            kept = [
                i
                for i, ch in enumerate(norm)
                if ch != " "
                or not (0 < i < len(norm) - 1 and _japanese(norm[i - 1]) and _japanese(norm[i + 1]))
            ]
            joined = "".join(text.norm[i] for i in kept), "".join(text.kana[i] for i in kept)
            found += self._scan(text, *joined, kept)
        tokens = text.tokens
        for i, token in enumerate(tokens):
            for lemmas, term in self._lemmas.get(token.normalized, ()):
                n = len(lemmas)
                if i + n <= len(tokens) and all(tokens[i + j].normalized == lemmas[j] for j in range(1, n)):
                    found.append(Match((token.begin, tokens[i + n - 1].end), LEMMA, term))
        return found

    def _scan(self, text: Text, norm: str, kana: str, kept: list[int] | None) -> list[Match]:
        """Exact and kana matches in norm and kana (the text, or the text joined: then kept maps
        each joined position back to the text)."""
        found: list[Match] = []
        for haystack, index, strength in ((norm, self._exact, EXACT), (kana, self._kana, KANA)):
            for pos, ch in enumerate(haystack):
                for form, term in index.get(ch, ()):
                    if haystack.startswith(form, pos):
                        span = (pos, pos + len(form))
                        if kept is not None:
                            span = (kept[pos], kept[pos + len(form) - 1] + 1)
                            if span[1] - span[0] == len(form):
                                continue  # found in the text itself
                        if placed(text, form, span) and (
                            strength == EXACT or not self._read[term] or reading_placed(text, span)
                        ):
                            found.append(Match(span, strength, term))
        return found

    def find_fuzzy(self, text: Text, skip: set[int]) -> list[Match]:
        """Readings within one typo, for terms not already found (slower; used when little was found)."""
        found: list[Match] = []
        if not MIN_FUZZY_KANA <= len(text.kana) <= MAX_FUZZY_TEXT:
            return found
        for term in self._fuzzy:
            if term in skip:
                continue
            kana = self.terms[term].kana
            hit = fuzz.partial_ratio_alignment(kana, text.kana, score_cutoff=FUZZY_CUTOFF)
            # partial_ratio is only safe this way round (a long-enough term inside the text); the
            # window must also be about as long as the term, or a short text would score 100 in it.
            # Typos fall inside a word: a window that does not even begin like the term is another
            # word (びがたおれ is not 木が倒れ).
            if (
                hit is not None
                and hit.dest_end - hit.dest_start >= len(kana) - 1
                and text.kana[hit.dest_start] == kana[0]
            ):
                found.append(Match((hit.dest_start, hit.dest_end), FUZZY, term))
        unvoiced = text.kana.translate(_UNVOICE)
        if unvoiced != text.kana:
            for form, term in self._unvoiced:
                at = unvoiced.find(form)
                if at >= 0 and term not in skip and text.kana[at] == self.terms[term].kana[0]:
                    found.append(Match((at, at + len(form)), FUZZY, term))
        return found


def longest_first(matches: Sequence[Match], length: int) -> dict[int, float]:
    """Best strength per term, where overlapping matches go to the longest (子ども食堂 over 子ども)."""
    taken = bytearray(length + 1)
    found: dict[int, float] = {}
    for match in sorted(matches, key=lambda m: (m.span[0] - m.span[1], -m.strength)):
        start, end = match.span
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        found[match.term] = max(found.get(match.term, 0.0), match.strength)
    return found
