"""Reading a text for danger: emergencies, harm, harassment and what volunteers may not do.

The words and rules are data (safety.toml beside this file); this module only applies them. A text
is normalised (NFKC, emoji, dialect and elderly forms), split into sentences, and each sentence is
read four ways — as written, folded to hiragana, as Sudachi's reading, as lemmas — so 胸が痛い,
むねがいたい, ﾑﾈｶﾞｲﾀｲ and むねがいてぇ are one thing. A rule fires on a phrase, or on parts found
near each other (a person + 倒れた, 胸 + 痛い); then the situation decides: a thing rather than a
person, an emergency that is over and only the reason for an ordinary request, wanting to learn or
prepare, a number that is part of a phone number or a price.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise, product
from types import MappingProxyType
from typing import Any, Literal, cast

from matching.normalize import Token, normalize, to_hiragana, tokenize, tokenizer

Tier = Literal["now", "maybe", "harmful", "referral", "not_allowed"]
TIERS: tuple[Tier, ...] = ("now", "harmful", "referral", "not_allowed", "maybe")  # precedence
Over = Literal["told", "past", "reason", "never"]

# A text that names an ordinary kind of help this clearly (a strong word, or two weak ones) gives
# detail: 「動けない」 alone is asked about, 「腰を痛めて動けないので買い物を」 is a request.
CLEAR_CATEGORY = 2.0
SOME_CATEGORY = 1.0

# Views of a sentence: as written, its hiragana fold (same length), the reading, the lemmas. A
# match in the reading or lemma view is mapped back to the written text through its morphemes, so
# parts found in different views still compose (母 as written + たおれた through the reading).
WRITTEN, KANA, READING, LEMMA = range(4)
SHORT_KANA = 3  # kana words this short must be a word of their own in the text (けが, やけど)
SHORT_TEXT = 24  # a text this short is also read as one sentence, across its 。!?
MIN_READING = 3  # shorter readings (むね, ち, ひ) hide inside other words; write them out instead
# Typed kana is matched also without voicing marks and small kana: 東北 voices the middle of words
# (いぎができね, たすげで) and a quick thumb drops a dakuten (ちかとまらない). Only kana words this
# long, in kana the user typed, starting a word.
MIN_LOOSE = 4
_LOOSE = str.maketrans(
    "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽぁぃぅぇぉゃゅょゎゔ",
    "かきくけこさしすせそたちつてとはひふへほはひふへほあいうえおやゆよわう",
)
UNLESS_GAP = (
    8  # a cancelling word this close belongs to the same phrase (子どもが熱を…、ばあちゃんの食事介助)
)
TAKEN_BACK_GAP = 3  # 血の海…じゃなくて: a denial this close after the words takes them back
MODIFIER_GAP = 3  # 倒れた自転車, 動かないテレビ: a state right before a thing describes the thing
CLAUSE_GAP = 10  # 行方がわからなくなった猫: a clause this long before a thing describes it
SUBJECT_GAP = 6  # a thing this close before what happened is what it happened to (テレビが急に倒れた)
PART_OF_THING = 7  # 椅子の脚, トマトの支柱: a part named after a thing's の, at most this long
KANA_PART = 3  # いすのあし, なべのふた: the same typed in kana, at most this long
_NOT_IN_PART = "でにをへやのと"  # particles: うえに, まえで name a place, not a part
_PART_MARKS = "がはも"  # the subject mark a kana part ends at
# 一人では…動かない, ねじを巻いても動かない: an attempt this close before a thing's 動かない (words
# like びくとも between) says that a thing, not a person, is what does not move.
EFFORT_GAP = 6
_ON_SOMEONE = ("", "を", "に", "が", "は")  # between someone and an attempt on them or theirs (肩を押しても)
_SUBJECT_MARKS = "がはも、,"
_CLAUSE_BREAK = "、,。!?はもが"
_PLACE_MARKS = ("から", "がら", "より")
_CLAUSE_ENDS = "たるい"  # a clause that ends so (…なった, …する, …ない) describes the noun after it
_PARTICLE_KANA = "がをにでとはも"  # kana that most often stand alone as a particle
_SENTENCE_END = re.compile(r"(?<=[。\n!?])")
_DIGIT_BEFORE = "0123456789-."
_DIGIT_AFTER = "0123456789-円地号gk"
_COUNTERS_AFTER = ("ごう", "ばんち", "えん", "番地")  # 110ごうしつ (号室) typed in kana, 119番地
_REQUEST_AT_END = re.compile(r"を[!?。…ー]*$")
_NEGATED = re.compile(r"[いお]?(?:な[いかくけ]|ね[えぇー]|へん|ません)")  # 済ませてない: not done
_QUESTION = re.compile(r"(?:です|でしょう|のでしょう|の|ん)?(?:か(?!ら)|\?)")  # 必要はないか: asked, not said

Span = tuple[int, int]  # start, end in the written sentence
SentenceScore = Callable[[str], float]  # how clearly a sentence names an ordinary kind of help


@dataclass(frozen=True)
class Word:
    text: str  # normalised as written, dialect applied
    kana: str  # hiragana fold
    reading: str  # Sudachi reading, "" when too short or the word is already kana
    hiragana: bool  # typed-kana words are looked for only where the user typed kana
    whole: bool  # one morpheme (遺書, 強盗): through readings it must be one whole morpheme too
    digits: bool  # 119 counts only as a number of its own, never inside 090-1190-… or 1190円
    short: bool = False  # a short kana content word (けが): never the tail of a kanji word (片付けが)
    lone: bool = False  # a one-kanji noun (足, 手, 薬): a whole word only (not 不足, 手伝う, 薬局)
    noun: bool = False  # a short kana noun said on its own (ぼや, けが): not a verb's start (ぼやける)
    # A phrase opening with a kanji word (中で倒れて): never the tail of a longer kanji word (脳卒中で倒れて).
    kanji_phrase: bool = False
    # The kana without voicing marks or small kana, for typed kana (いぎができね, ちかとまらない),
    # and the kana it was made from.
    loose: str = ""
    kana_form: str = ""


@dataclass(frozen=True)
class Rule:
    tier: Tier
    kind: str
    any: tuple[Word, ...]
    all: tuple[tuple[Word, ...], ...]
    unless: tuple[Word, ...]
    subject: bool
    over: Over
    alone: bool
    learnable: bool
    things_cancel: bool
    body_subject: bool  # a body part as the subject is not the person (父の足が動かない)
    unless_asked: tuple[str, ...] = ()  # the verb asked for (its lemma) says it is another errand (買う)
    near: int | None = None  # how far apart its parts may be, when not the file's `near`
    # Words that cancel it anywhere in the sentence, however far (業者さんに電話してほしい).
    unless_anywhere: tuple[Word, ...] = ()
    # The same where no one else is named (犬をトリミングに連れて行って, not 犬と母の着替えを).
    unless_no_other: tuple[Word, ...] = ()
    # The parts of `all` may lie in different sentences, and an `unless` word anywhere in the text
    # cancels it (a goodbye in one sentence, affairs put in order in the next).
    across: bool = False


@dataclass(frozen=True)
class WordIndex:
    """The words of one list by the first two characters of what is looked for (as written, in
    hiragana, by reading), so a sentence looks up its own character pairs instead of every word."""

    by_pair: Mapping[str, tuple[Word, ...]]
    short: tuple[Word, ...]  # one-character words (血, 胸): always looked for


def _index(words: tuple[Word, ...]) -> WordIndex:
    by_pair: dict[str, list[Word]] = {}
    short: list[Word] = []
    for word in words:
        needles = {word.text, word.kana, word.reading, word.loose} - {""}
        if any(len(n) < 2 for n in needles):
            short.append(word)
            continue
        for pair in {n[:2] for n in needles}:
            by_pair.setdefault(pair, []).append(word)
    return WordIndex(MappingProxyType({k: tuple(v) for k, v in by_pair.items()}), tuple(short))


def _by_pair(lists: list[tuple[Word, ...]]) -> Mapping[str, tuple[tuple[int, Word], ...]]:
    found: dict[str, list[tuple[int, Word]]] = {}
    for words in {id(w): w for w in lists}.values():
        for pair, pair_words in _index(words).by_pair.items():
            found.setdefault(pair, []).extend((id(words), w) for w in pair_words)
    return MappingProxyType({pair: tuple(entries) for pair, entries in found.items()})


@dataclass(frozen=True)
class SafetyData:
    near: int
    symbols: Mapping[str, str]
    dialect: tuple[tuple[str, str], ...]
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    classes: Mapping[str, tuple[Word, ...]]
    rules: tuple[Rule, ...]
    indexes: Mapping[int, WordIndex] = field(default_factory=dict)  # by id() of a rule's or class's words
    # Errands done to things, as the lemma of the verb asked for (付ける, 縫う) or the noun (付け, 交換).
    errand_verbs: frozenset[str] = frozenset()
    errand_nouns: frozenset[str] = frozenset()
    # Every list's words together by character pair, with the id() of their list: a sentence
    # looks its pairs up once for all lists.
    by_pair: Mapping[str, tuple[tuple[int, Word], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """What the safety net read: the most serious tier that fired and its kind."""

    tier: Tier | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Morpheme:
    view_start: int  # where it lies in the reading (or lemma) view
    view_end: int
    start: int  # where it lies in the written sentence
    end: int
    kanji: int  # how many kanji it was written with
    suffix: bool = False  # a suffix (じ in けーじ): no word found through its reading starts here


@dataclass
class Sentence:
    """One sentence in its four views, with where morphemes lie in the reading and lemma views.

    A word found through a reading or a lemma must start a morpheme (やりかたがわからない does not
    hold 片側) and a one-morpheme word must be exactly one (さんごうとう does not hold 強盗). A reading
    match stands for kana the user typed (むねがいたい), so the text there must hold fewer kanji than
    the word: 号棟 is not 強盗 and 帰って is not 買えって, though they sound alike.
    """

    views: tuple[str, str, str, str]
    morphemes: tuple[tuple[Morpheme, ...], tuple[Morpheme, ...]]  # reading view, lemma view
    # By id: the words and their tuples live as long as the loaded rules, and hashing a Word's
    # fields on every look-up cost more than finding it.
    _memo: dict[int, list[Span]] = field(default_factory=dict, repr=False)
    # Every pair of neighbouring characters in all views: most words are ruled out by their first two.
    indexes: Mapping[int, WordIndex] = field(default_factory=dict, repr=False)
    by_pair: Mapping[str, tuple[tuple[int, Word], ...]] = field(default_factory=dict, repr=False)
    _pairs: frozenset[str] = field(default=frozenset(), repr=False)
    _chosen: dict[int, dict[int, Word]] | None = field(default=None, repr=False)

    _inside_kanji_words: frozenset[int] = field(default=frozenset(), repr=False)
    _one_char_words: frozenset[int] = field(default=frozenset(), repr=False)
    # Where each verb or adjective starts, and its end: ぼやけて holds ぼや only as a verb's beginning.
    predicates: Mapping[int, int] = field(default_factory=dict, repr=False)
    _loose: str = field(default="", repr=False)  # the hiragana view without voicing marks or small kana
    _starts: frozenset[int] = field(default=frozenset(), repr=False)
    wishes: bool = False  # a verb wished for (移したい, 張り替えたい, かけたいんじゃ): something is asked

    def __post_init__(self) -> None:
        self._pairs = frozenset(view[i : i + 2] for view in self.views for i in range(len(view) - 1))
        self._inside_kanji_words = frozenset(
            i for m in self.morphemes[0] if m.kanji for i in range(m.start + 1, m.end)
        )
        self._one_char_words = frozenset(m.start for m in self.morphemes[0] if m.end - m.start == 1)
        self._loose = self.views[KANA].translate(_LOOSE)
        self._starts = frozenset(m.start for m in self.morphemes[0])
        if self._loose != self.views[KANA]:
            self._pairs |= {self._loose[i : i + 2] for i in range(len(self._loose) - 1)}

    def find(self, word: Word) -> list[Span]:
        found = self._memo.get(id(word))
        if found is None:
            found = self._memo[id(word)] = self._find(word)
        return found

    def _find(self, word: Word) -> list[Span]:
        spans: list[Span] = []
        searches = [(WRITTEN, word.text), (KANA, word.kana)]
        if not word.hiragana:
            if word.reading:
                searches.append((READING, word.reading))
            searches.append((LEMMA, word.text))
        for view, needle in searches:
            if not needle or (len(needle) > 1 and needle[:2] not in self._pairs):
                continue
            haystack = self.views[view]
            start = haystack.find(needle)
            while start >= 0:
                end = start + len(needle)
                span = (start, end) if view < READING else self._written(view, word, start, end)
                if span is not None and view < READING and self._not_a_word(word, start, end):
                    span = None
                if span is not None and view < READING and word.noun and self.predicates.get(start, 0) > end:
                    span = None  # ぼや in ぼやける, ぼやく: the start of a longer verb, not the noun
                if span is not None and view < READING and word.lone and start not in self._one_char_words:
                    span = None  # 足 inside 運動不足 or 足りない, 手 in 手伝う, 薬 in 薬局
                if span is not None and not word.digits and self._counter(span):
                    span = None  # ごうとう in 7ごうとう (7号棟): kana right after a number is its counter
                if span is not None and (not word.digits or _stands_alone(haystack, start, end)):
                    spans.append(span)
                start = haystack.find(needle, start + 1)
        if word.loose and word.loose[:2] in self._pairs:
            spans += self._find_loose(word)
        return spans

    def _counter(self, span: Span) -> bool:
        written = self.views[WRITTEN]
        start = span[0]
        return start > 0 and written[start - 1].isdigit() and _all_kana(written[start])

    def _not_a_word(self, word: Word, start: int, end: int) -> bool:
        """Found as characters but not as the word: けが inside 片付けが and 中で倒れて in
        脳卒中で倒れて (the tail of a kanji word), がす in においがする (a particle and the start of
        a verb)."""
        if (word.short or word.kanji_phrase) and start in self._inside_kanji_words:
            return True
        written = self.views[WRITTEN]
        if end < len(written) and written[end] in _SMALL_KANA:
            return True  # かじ in とかじゃなくて: the last kana is half of a sound
        if _mixes_kana(written[start:end]) and not _mixes_kana(word.text):
            return True  # たおれ in またオレオレ: hiragana then katakana is two words
        inside_katakana = start > 0 and _katakana(written[start - 1]) and _katakana(written[start])
        if inside_katakana and not _katakana(word.text[0]):
            return True  # たん取 in ボタン取れて: the middle of a word typed in katakana
        if word.noun and start not in self._starts:
            return True  # けが in タオルかけが: inside another word
        return (
            word.short
            and word.kana[:1] in _PARTICLE_KANA
            and any(start < p < end < p_end for p, p_end in self.predicates.items())
        )

    def _find_loose(self, word: Word) -> list[Span]:
        spans = []
        start = self._loose.find(word.loose)
        while start >= 0:
            end = start + len(word.loose)
            kana = self.views[KANA]
            typed = kana[start:end]
            # A match whose last kana is half of a sound is not the word (きゅうに in ぎゅうにゅう, 牛乳).
            half = end < len(kana) and kana[end] in _SMALL_KANA
            # 東北 voicing is never a word's first sound: がかれて in きがかれて is the particle が.
            voiced_first = _VOICED_KT.get(typed[:1]) == word.kana_form[:1]
            if (
                start in self._starts
                and not half
                and not voiced_first
                and _all_kana(typed)
                and _typo_or_voiced(typed, word.kana_form)
            ):
                spans.append((start, end))
            start = self._loose.find(word.loose, start + 1)
        return spans

    def _written(self, view: int, word: Word, start: int, end: int) -> Span | None:
        """Where a reading or lemma match lies in the written sentence, if it is a fair match."""
        covered = [m for m in self.morphemes[view - READING] if m.view_start < end and m.view_end > start]
        if not covered or covered[0].view_start != start or covered[0].suffix:
            return None  # けーじそうじ does not hold 耳掃除 (read じそうじ) from the suffix じ
        if word.whole and (len(covered) != 1 or covered[0].view_end != end):
            return None
        if sum(m.kanji for m in covered) >= _kanji_count(word.text):
            return None
        return covered[0].start, covered[-1].end

    def has(self, words: tuple[Word, ...]) -> bool:
        return bool(self.spans(words))

    def spans(self, words: tuple[Word, ...]) -> list[Span]:
        found = self._memo.get(id(words))
        if found is None:
            found = self._memo[id(words)] = [span for w in self._candidates(words) for span in self.find(w)]
        return found

    def _candidates(self, words: tuple[Word, ...]) -> Iterable[Word]:
        index = self.indexes.get(id(words))
        if index is None:
            return words
        if self._chosen is None:
            self._chosen = {}
            for pair in self._pairs:
                for list_id, word in self.by_pair.get(pair, ()):
                    self._chosen.setdefault(list_id, {})[id(word)] = word
        chosen = self._chosen.get(id(words), {})
        return [*chosen.values(), *index.short] if index.short else chosen.values()


# Small kana that make one sound with the kana before (じゃ); not ぃ or ぇ, which lengthen (血ぃ, すごぃ).
_SMALL_KANA = frozenset("ゃゅょゎャュョヮ")


def _katakana(ch: str) -> bool:
    return "ァ" <= ch <= "ヺ" or ch == "ー"


def _mixes_kana(text: str) -> bool:
    """Hiragana followed by katakana: a new word begins (また|オレオレ). Katakana followed by hiragana
    is one word typed that way (タオレ|た, イタイ|けど)."""
    return any("ぁ" <= a <= "ゖ" and "ァ" <= b <= "ヺ" for a, b in pairwise(text))


def _all_kana(text: str) -> bool:
    return all("ぁ" <= ch <= "ゖ" or "ァ" <= ch <= "ヺ" or ch == "ー" for ch in text)


def _kanji_count(text: str) -> int:
    return sum("一" <= ch <= "鿿" or ch == "々" for ch in text)


def _stands_alone(text: str, start: int, end: int) -> bool:
    """119 written as a call (119番, 119に電話), not digits inside a phone number, price or address
    (110号室, 110ごうしつ, 119番地)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if to_hiragana(text[end:]).startswith(_COUNTERS_AFTER):
        return False
    return (before == "" or before not in _DIGIT_BEFORE) and (after == "" or after not in _DIGIT_AFTER)


# --- loading ----------------------------------------------------------------------------------


def _has_kana_only(text: str) -> bool:
    return all("ぁ" <= ch <= "ゖ" or ch in "ー!?、" for ch in text)


def _word(
    raw: str,
    data: SafetyData,
    *,
    by_reading: bool = True,
    lone: bool = False,
    said: bool = False,
    part: bool = False,
    loose: bool = True,
) -> Word:
    """One word of a list; `part`: it is what a rule fires on (not a cue or a cancelling word);
    `loose`: also found with a voicing mark dropped or added, as people type kana."""
    text = standardise(normalize(raw, {}, fold=False).replace(" ", ""), data, patterns=False)
    hiragana = _has_kana_only(text)
    digits = any(ch.isdigit() for ch in text)
    tokens = tokenize(text)
    short = (
        _all_kana(text)
        and len(text) <= SHORT_KANA
        and bool(tokens)
        and tokens[0].pos not in ("助詞", "助動詞")
    )
    lone = lone and len(text) == 1 and _kanji_count(text) == 1 and bool(tokens) and tokens[0].pos == "名詞"
    reading = ""
    if by_reading and not hiragana and not digits:
        reading = _reading_of(text, tokens)
        if len(reading) < MIN_READING:
            reading = ""
    return Word(
        text=text,
        kana=to_hiragana(text),
        reading=reading,
        hiragana=hiragana,
        whole=len(tokens) == 1,
        digits=digits,
        short=short,
        lone=lone,
        noun=said and short and len(tokens) == 1 and tokens[0].pos == "名詞",
        kanji_phrase=part and len(tokens) > 1 and bool(_kanji_count(text[:1])),
        loose=_loose_form(reading or to_hiragana(text)) if loose else "",
        kana_form=reading or to_hiragana(text),
    )


# Endings tried after a verb stem cut short (車椅子に移, ドアを叩, 燃え移): the analyser cannot read it alone.
_OKURIGANA = "うすくるつむぶぐ"


def _reading_of(text: str, tokens: tuple[Token, ...]) -> str:
    """The word's reading in kana; a stem cut short is read with an ending the analyser can read, which
    is then cut again (車椅子に移 -> くるまいすにうつす -> くるまいすにうつ), so that kana typed by people
    (べっどから くるまいすに うつして) still finds it. Empty when no reading is all kana."""
    reading = "".join(t.reading for t in tokens)
    if not _kanji_count(reading):
        return reading
    for ending in _OKURIGANA:
        read = tokenize(text + ending)
        # The stem and the ending must make one verb (移す), not a noun and a stray kana.
        # ... of two kana at least before the ending: け (蹴る) would be found in どあけて (ドア開けて).
        verb = (
            read[-1].pos == "動詞"
            and read[-1].surface.endswith(text[-1] + ending)
            and len(read[-1].reading) - len(ending) >= 2
        )
        longer = "".join(t.reading for t in read)
        if verb and longer.endswith(ending) and not _kanji_count(longer):
            return longer[: -len(ending)]
    return ""


_VOICED_KT = dict(zip("がぎぐげごだぢづでど", "かきくけこたちつてと", strict=True))
_DAKUTEN = dict(
    zip(
        "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽ",
        "かきくけこさしすせそたちつてとはひふへほはひふへほ",
        strict=True,
    )
)
_SMALL = dict(zip("ぁぃぅぇぉゃゅょゎ", "あいうえおやゆよわ", strict=True))


def _typo_or_voiced(typed: str, kana: str) -> bool:
    """Whether typed kana differs from a word only as people write it: 東北 voicing of か and た
    rows (いぎ for いき, たすげで), a dropped voicing mark (ちか for ちが), small for large kana
    (なぃ). Never a voiced さ or は row (はいぜん is 配膳, not 配線)."""
    changes = 0
    for t, k in zip(typed, kana, strict=True):
        if t == k:
            continue
        changes += 1
        if not (_VOICED_KT.get(t) == k or _DAKUTEN.get(k) == t or _SMALL.get(t) == k or _SMALL.get(k) == t):
            return False
    return 0 < changes <= 2


def _loose_form(kana: str) -> str:
    """A word's kana without voicing marks or small kana, when it is long enough to be told apart."""
    loose = kana.translate(_LOOSE)
    return loose if len(loose) >= MIN_LOOSE and _all_kana(loose) else ""


def _expand(
    raws: Iterable[str], classes: Mapping[str, list[str]], seen: frozenset[str] = frozenset()
) -> list[str]:
    """Words of a list, with "@name" replaced by the words of that class."""
    out: list[str] = []
    for raw in raws:
        if raw.startswith("@"):
            name = raw[1:]
            if name not in classes or name in seen:
                raise ValueError(f"unknown or circular word class {raw!r} in safety.toml")
            out += _expand(classes[name], classes, seen | {name})
        else:
            out.append(raw)
    return list(dict.fromkeys(out))


def standardise(text: str, data: SafetyData, *, patterns: bool = True) -> str:
    """Regional and elderly forms to standard ones: literal pairs, then patterns, then pairs again.

    The second literal pass catches what a pattern produced (返事ねぇ -> 返事ない -> 返事がない).
    Patterns are for whole texts: a rule's word is a fragment (おかね would read as おかない).
    """
    text = _replace_all(text, data.dialect)
    if not patterns:
        return text
    text = _object_ba(_polite_negatives(text))
    for pattern, standard in data.patterns:
        if pattern.search(text):
            text = _sub_outside_nouns(pattern, standard, text)
    return _replace_all(text, data.dialect)


# Godan verbs in -ます form move to the a-row before ない: つながります -> つながらない.
_I_TO_A = dict(zip("きぎしちにびみりい", "かがさたなばまらわ", strict=True))


def _polite_negatives(text: str) -> str:
    """Polite negatives to plain ones by the verb's conjugation (つながりません -> つながらない),
    which a pattern cannot do: 見えません keeps its え, 戻りません needs ら."""
    if "ません" not in text:
        return text
    out, last = [], 0
    morphemes = list(tokenizer().tokenize(text))
    for verb, masu, nu in zip(morphemes, morphemes[1:], morphemes[2:], strict=False):
        pos = verb.part_of_speech()
        if pos[0] != "動詞" or masu.surface() != "ませ" or nu.surface() != "ん":
            continue
        stem = verb.surface()
        if pos[4].startswith("五段") and stem and stem[-1] in _I_TO_A:
            stem = stem[:-1] + _I_TO_A[stem[-1]]
        out.append(text[last : verb.begin()] + stem + "ない")
        last = nu.end()
    return "".join(out) + text[last:]


def _object_ba(text: str) -> str:
    """博多 ば marking an object (着替えば手伝うて, お金ば貸して) to を: after a noun or a verb's
    noun form and before a verb; after a conditional form (すれば) it stays."""
    if "ば" not in text:
        return text
    morphemes = list(tokenizer().tokenize(text))
    chars = list(text)
    for before, ba, after in zip(morphemes, morphemes[1:], morphemes[2:], strict=False):
        if ba.surface() != "ば" or ba.part_of_speech()[0] != "助詞" or after.part_of_speech()[0] != "動詞":
            continue
        pos = before.part_of_speech()
        if pos[0] == "名詞" or (pos[0] == "動詞" and pos[5].startswith("連用形")):
            chars[ba.begin()] = "を"
    return "".join(chars)


# Words whose ん is their own (やかん, すいどうかん's suffix かん, the pronoun かん), never a negative.
_NOUNLIKE = ("名詞", "接尾辞", "代名詞")


def _sub_outside_nouns(pattern: re.Pattern[str], standard: str, text: str) -> str:
    """A dialect pattern applied where it is not the inside of a noun: the ん of やかん, みかん or
    すいどうかん is no negative, though 動かん's is."""
    nouns = [(t.begin, t.end) for t in tokenize(text) if t.pos in _NOUNLIKE and t.end - t.begin > 1]

    def replace(match: re.Match[str]) -> str:
        start = match.start()
        if any(begin < start < end for begin, end in nouns):
            return match.group(0)
        return match.expand(standard)

    return pattern.sub(replace, text)


def _replace_all(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for variant, standard in pairs:
        if variant in text:
            text = text.replace(variant, standard)
    return text


_PARTICLE = re.compile(r"(?<=.)[がを](?=.)")


def _without_particles(raws: list[str]) -> list[str]:
    """Each phrase also without が/を, as voice input and quick typing drop them (意識ない, お金貸して)."""
    out = []
    for raw in raws:
        bare = _PARTICLE.sub("", raw)
        # In a short kana word が may be part of the word: まがって is not まって.
        if bare != raw and len(bare) >= (4 if _has_kana_only(raw) else 3):
            out.append(bare)
    return out


_NEEDED_CLASSES = ("person", "thing", "body", "past", "reason", "now", "learn", "request")


def load(data: Mapping[str, Any]) -> SafetyData:
    """Prepare the rules from parsed TOML (tests use this with small tables)."""
    pairs: dict[str, str] = {}
    for variant, standard in cast(dict[str, str], data.get("dialect", {})).items():
        key = normalize(variant, {}, fold=False)
        pairs[key] = standard
        pairs.setdefault(to_hiragana(key), to_hiragana(standard))
    shell = SafetyData(
        near=int(data.get("near", 16)),
        symbols=MappingProxyType(dict(cast(dict[str, str], data.get("symbols", {})))),
        dialect=tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0]))),
        patterns=tuple(
            (re.compile(pattern), standard)
            for pattern, standard in cast(dict[str, str], data.get("dialect_patterns", {})).items()
        ),
        classes=MappingProxyType({}),
        rules=(),
    )
    raw_classes = cast(dict[str, list[str]], data.get("classes", {}))
    missing = [name for name in _NEEDED_CLASSES if name not in raw_classes]
    if missing:
        raise ValueError(f"safety.toml needs the word classes {', '.join(missing)}")
    lone_words = frozenset(_expand([f"@{name}" for name in data.get("whole_word_classes", [])], raw_classes))
    exact_words = frozenset(cast(list[str], data.get("exact_words", [])))

    def words(raws: Iterable[str], *, said: bool = False, part: bool = False) -> tuple[Word, ...]:
        expanded = _expand(raws, raw_classes)
        # Without their particle, phrases are looked for as written only: by reading, 手あげ would
        # be found in のませてあげて.
        bare = [
            _word(r, shell, by_reading=False, part=part)
            for r in _without_particles(expanded)
            if r not in expanded
        ]
        whole = [
            _word(r, shell, lone=r in lone_words, said=said, part=part, loose=r not in exact_words)
            for r in expanded
        ]
        return tuple(w for w in [*whole, *bare] if w.text)

    rules = []
    for entry in cast(list[dict[str, Any]], data.get("rule", [])):
        if entry.get("tier") not in TIERS:
            raise ValueError(f"unknown safety tier {entry.get('tier')!r}")
        over = entry.get("over", "reason")
        if over not in ("told", "past", "reason", "never"):
            raise ValueError(f"unknown 'over' {over!r} in rule {entry['kind']!r}")
        rules.append(
            Rule(
                tier=entry["tier"],
                kind=entry["kind"],
                any=words(entry.get("any", []), said=True, part=True),  # phrases said whole, not stems
                all=tuple(words(group, part=True) for group in entry.get("all", [])),
                unless=words(entry.get("unless", [])),
                subject=bool(entry.get("subject", False)),
                over=over,
                alone=bool(entry.get("alone", False)),
                learnable=bool(entry.get("learnable", True)),
                things_cancel=bool(entry.get("things_cancel", False)),
                body_subject=bool(entry.get("body_subject", False)),
                unless_asked=tuple(entry.get("unless_asked", [])),
                near=int(entry["near"]) if "near" in entry else None,
                unless_anywhere=words(entry.get("unless_anywhere", [])),
                unless_no_other=words(entry.get("unless_no_other", [])),
                across=bool(entry.get("across", False)),
            )
        )
    classes = {name: words(raws) for name, raws in raw_classes.items()}
    lists = [
        *classes.values(),
        *(w for r in rules for w in (r.any, r.unless, r.unless_anywhere, r.unless_no_other, *r.all)),
    ]
    return SafetyData(
        near=shell.near,
        symbols=shell.symbols,
        dialect=shell.dialect,
        patterns=shell.patterns,
        classes=MappingProxyType(classes),
        rules=tuple(rules),
        indexes=MappingProxyType({id(w): _index(w) for w in lists}),
        by_pair=_by_pair(lists),
        errand_verbs=frozenset(data.get("errand_verbs", [])),
        errand_nouns=frozenset(data.get("errand_nouns", [])),
    )


@cache
def safety_data() -> SafetyData:
    """The packaged rules, parsed and prepared on first use."""
    raw = resources.files("matching").joinpath("safety.toml").read_text(encoding="utf-8")
    return load(tomllib.loads(raw))


# --- reading ----------------------------------------------------------------------------------


def sentences(raw: str, data: SafetyData) -> list[Sentence]:
    """The text's sentences, each in its four views (spaces dropped: 「ちが とまらない」)."""
    text = raw if isinstance(raw, str) else ""
    for symbol, meaning in data.symbols.items():
        text = text.replace(symbol, meaning)
    text = normalize(text, {}, fold=False).replace(" ", "")
    if _typed_in_katakana(text):
        text = to_hiragana(text)  # the analyser reads ﾑﾈｶﾞｲﾀｲ and 出ｻﾚﾃ best as hiragana
    text = standardise(text, data)
    out = []
    parts = [part for part in _SENTENCE_END.split(text) if part]
    if len(parts) > 1 and len(text) <= SHORT_TEXT:
        parts.append(text)  # ちょっと来て！はやく！ is one call, whatever its marks
    for part in parts:
        tokens = tokenize(part)
        kana = to_hiragana(part)  # same length: positions line up with the written view
        readings = [t.reading for t in tokens]
        lemmas = [t.normalized if t.pos != "補助記号" else t.surface for t in tokens]
        out.append(
            Sentence(
                views=(part, kana, "".join(readings), "".join(lemmas)),
                morphemes=(_morphemes(tokens, readings), _morphemes(tokens, lemmas)),
                indexes=data.indexes,
                by_pair=data.by_pair,
                predicates={t.begin: t.end for t in tokens if t.pos in ("動詞", "形容詞")},
                wishes=_wishes(tokens),
            )
        )
    return out


def _wishes(tokens: tuple[Token, ...]) -> bool:
    """A verb followed by たい (ベッドを移したい, 網戸を張り替えたいんじゃ): in a request to neighbours a
    wish asks for that help, as したい already does. Not a past wish (行きたかった), a refusal (したくない),
    or いたい, which typed in kana is as often 痛い as 居たい."""
    return any(
        verb.pos == "動詞"
        and verb.normalized != "居る"
        and aux.pos == "助動詞"
        and aux.normalized == "たい"
        and aux.surface == "たい"
        for verb, aux in pairwise(tokens)
    )


def _typed_in_katakana(text: str) -> bool:
    """Kana typed as katakana throughout (ムネガイタイ, 隣ノ子供 外ニ出サレテ): no hiragana at all."""
    kata = sum("ァ" <= ch <= "ヺ" for ch in text)
    return kata >= 3 and not any("ぁ" <= ch <= "ゖ" for ch in text)


def _morphemes(tokens: tuple[Token, ...], pieces: list[str]) -> tuple[Morpheme, ...]:
    """Each token's piece (reading or lemma) placed in their concatenation and in the written text."""
    found, at = [], 0
    for token, piece in zip(tokens, pieces, strict=True):
        kanji = _kanji_count(token.surface)
        found.append(Morpheme(at, at + len(piece), token.begin, token.end, kanji, token.pos == "接尾辞"))
        at += len(piece)
    return tuple(found)


@dataclass(frozen=True)
class Situation:
    """Cues read once over the whole text."""

    clear_category: bool  # the text names an ordinary kind of help (detail: not たすけて alone)
    requested: bool  # something is asked for (ほしい, お願い, …てもらえ)
    asks_ordinary_help: bool  # an ordinary category and a request (…ので買い物をお願い)
    now: bool
    past: bool
    reason: bool
    not_happening: bool  # learning, preparing, preventing, or saying it is not that bad
    asked: str = ""  # the lemma of the verb the text asks for (買う in おむつを買ってきてください)
    # An errand done to things is asked for (ボタンを付けてほしい, てんぷらを揚げて, ボタン付けをお願い),
    # though no category names it: a past emergency given as the reason is over, as with a category.
    errand: bool = False
    # Sentences up to this one thank for help already given (救急車を呼んでいただき、ありがとう
    # ございました): what they tell is over. -1 when nothing is thanked for.
    thanked_upto: int = -1
    # A past time and a since-clause (去年…倒れてから、わし一人で): the emergency began how things are.
    history: bool = False
    # Sentences that ask for help and name its kind themselves (玄関前の雪かき頼めねべか), when the
    # caller can score a sentence's kind of help (matching.understand does); only looked for where
    # work volunteers may not do is told as where someone was hurt.
    named_asks: frozenset[int] = frozenset()


def _situation(
    parts: list[Sentence],
    data: SafetyData,
    category_score: float,
    sentence_score: SentenceScore | None = None,
) -> Situation:
    classes = data.classes
    last = _last_words(parts[-1])
    requested = (
        any(s.has(classes["request"]) or s.wishes for s in parts)
        or bool(_REQUEST_AT_END.search(parts[-1].views[WRITTEN]))
        or _ends_in_te(last)
    )
    # A short text is also read whole (its last part): thanks there cover it only if they close it.
    whole = len(parts) > 1 and parts[-1].views[WRITTEN] == "".join(s.views[WRITTEN] for s in parts[:-1])
    sentences_only = parts[:-1] if whole else parts
    thanked = [i for i, s in enumerate(sentences_only) if s.has(classes.get("thanked", ()))]
    if whole and thanked and max(thanked) == len(parts) - 2:
        thanked.append(len(parts) - 1)
    past = False
    now = False
    for index, s in enumerate(parts):
        # 救急車を呼んだときに, 119番の時に, 救急車を呼ぶ騒ぎになった: the call is a time told, not now.
        told = s.spans(classes.get("call_told", ()))
        if told:
            past = True
        # 先日は救急車を呼んでいただき、ありがとうございました: a call thanked for was made, not now.
        if index not in thanked:
            now = now or any(not _near_any(span, told) for span in s.spans(classes["now"]))
        past = past or _tells_past(s, data)
        for start, _end in s.spans(classes.get("past_opening", ())):
            # 前に熱中症で倒れた, 主人が前に… open with it; 家の前に, 寝る前に are a place and a time.
            if start == 0 or s.views[KANA][start - 1] in _CLAUSE_BREAK:
                past = True
    asked = asked_verb(last)
    errand = requested and (
        asked in data.errand_verbs or any(_errand_asked(_last_words(s), data) for s in parts)
    )
    since = any(s.has(classes.get("since", ())) for s in parts) and any(
        s.has(classes.get("long_ago", ())) for s in parts
    )
    return Situation(
        clear_category=category_score >= CLEAR_CATEGORY,
        requested=requested,
        asks_ordinary_help=requested and (category_score >= SOME_CATEGORY or errand),
        now=now,
        past=past,
        reason=any(s.has(classes["reason"]) for s in parts),
        not_happening=any(s.has(classes["learn"]) for s in parts),
        asked=asked,
        errand=errand,
        thanked_upto=max(thanked) if thanked and past and not now else -1,
        history=past and since and category_score >= CLEAR_CATEGORY,
        named_asks=_named_asks(parts, data, sentence_score),
    )


def _named_asks(
    parts: list[Sentence], data: SafetyData, sentence_score: SentenceScore | None
) -> frozenset[int]:
    if sentence_score is None or not any(s.has(data.classes.get("hurt_told", ())) for s in parts):
        return frozenset()
    return frozenset(
        i
        for i, s in enumerate(parts)
        if s.has(data.classes["request"]) and sentence_score(s.views[WRITTEN]) >= CLEAR_CATEGORY
    )


def _near_any(span: Span, others: list[Span], gap: int = 2) -> bool:
    """A span overlapping or right beside one of the others."""
    return any(o[0] <= span[1] + gap and o[1] >= span[0] - gap for o in others)


_REQUEST_LEMMAS = frozenset(
    ["貰う", "貰える", "呉れる", "下さる", "頂く", "頂ける", "欲しい", "頂戴", "願う"]
)


def _errand_asked(tokens: tuple[Token, ...], data: SafetyData) -> bool:
    """An errand asked for anywhere in a sentence: a verb (縫ってもらえたら助かる, 付けてくれんか) or a
    noun (ボタン付けをお願い, 網戸の張り替えを頼みたい, 電池を交換してほしい)."""
    for i, first in enumerate(tokens):
        second, third, fourth = (tokens[i + k] if i + k < len(tokens) else None for k in (1, 2, 3))
        if second is None:
            break
        if first.pos == "動詞" and first.normalized in data.errand_verbs:
            if second.surface.startswith(("てけ", "てく", "でけ")):
                return True  # 付けてけろ
            if second.surface in ("て", "で") and third is not None and third.normalized in _REQUEST_LEMMAS:
                return True
        if first.pos != "名詞" or first.surface not in data.errand_nouns or third is None:
            continue
        if second.surface == "を" and (
            third.normalized in ("御", "願う", "頼む") or third.surface.startswith("頼")
        ):
            return True
        asked_by_suru = second.normalized == "為る" and third.surface in ("て", "で")  # 交換して
        if asked_by_suru and fourth is not None and fourth.normalized in _REQUEST_LEMMAS:
            return True
    return False


# Verbs that only help another (買って「きて」「もらえ」「ください」) are not what is asked for.
_HELPER_VERBS = frozenset(
    [
        "来る",
        "くる",
        "居る",
        "いる",
        "おる",
        "貰う",
        "貰える",
        "もらう",
        "もらえる",
        "呉れる",
        "くれる",
        "下さる",
        "くださる",
        "頂く",
        "頂ける",
        "いただく",
        "仕舞う",
        "しまう",
        "置く",
        "おく",
        "行く",
        "いく",
        "為る",
        "する",
        "有る",
        "ある",
        "成る",
        "なる",
        "思う",
        "おもう",
        "出来る",
        "できる",
        "願う",
        "見る",
        "みる",
    ]
)
_AFTER_REQUEST = frozenset(
    ["ね", "よ", "な", "か", "わ", "の", "じゃ", "ぞ", "さ", "ー", "〜", "~", "!", "?", "。", "、", "."]
)


def _last_words(s: Sentence) -> tuple[Token, ...]:
    """The last sentence's words; typed katakana (カッテキテ) is read folded to hiragana."""
    written = s.views[WRITTEN]
    return tokenize(s.views[KANA] if any("ァ" <= ch <= "ヺ" for ch in written) else written)


def _ends_in_te(tokens: tuple[Token, ...]) -> bool:
    """A sentence ending in a て-form asks for something: 買ってきて, 手伝うて, 見てね."""
    rest = [t for t in tokens if t.surface not in _AFTER_REQUEST and t.pos != "補助記号"]
    return (
        len(rest) > 1
        and rest[-1].surface in ("て", "で")
        and rest[-1].pos == "助詞"
        and rest[-2].pos == "動詞"  # 立てないらしくて tells, 買ってきて asks
    )


def asked_verb(tokens: tuple[Token, ...]) -> str:
    """The verb of the request: the last verb that is not a helper (買うてきてもらえんか -> 買う)."""
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if token.pos != "動詞":
            continue
        after_te = i > 0 and tokens[i - 1].surface in ("て", "で")
        if token.normalized in _HELPER_VERBS and (after_te or token.normalized not in ("見る", "みる")):
            continue
        # Asked for in its て-form (買ってきて, 替えていただけ); anything else is only told.
        te = i + 1 < len(tokens) and tokens[i + 1].surface in ("て", "で")
        return token.normalized if te else ""
    return ""


def _inside(span: Span, others: list[Span]) -> bool:
    """Strictly inside a longer span (人 in 人形)."""
    return any(o[0] <= span[0] and span[1] <= o[1] and o[1] - o[0] > span[1] - span[0] for o in others)


def _overlap(spans: tuple[Span, ...]) -> bool:
    """Parts of a combination are different words (おれ inside たおれ is not 俺)."""
    ordered = sorted(spans)
    return any(a[1] > b[0] for a, b in pairwise(ordered))


def _thing_end(s: Sentence, t_end: int, limit: int, persons: list[Span]) -> int:
    """Where a thing named before `limit` ends: with the rest of its compound (物干し台, 植木鉢,
    物干しスタンド) and a part named after its の (椅子の脚, トマトのシチュウが), unless a person is."""
    written = s.views[WRITTEN]

    def word_end(at: int, most: int) -> int:
        while at < min(limit, most) and (_kanji_count(written[at]) or _katakana(written[at])):
            at += 1
        return at

    t_end = word_end(t_end, limit)
    if written.startswith("の", t_end):
        part_end = word_end(t_end + 1, t_end + 1 + PART_OF_THING)
        if part_end == t_end + 1:
            part_end = _kana_part_end(written, t_end + 1, limit)
        names_a_person = any(t_end <= p[0] < part_end for p in persons)
        at_a_mark = part_end == limit or written[part_end : part_end + 1] in _SUBJECT_MARKS
        if part_end > t_end + 1 and at_a_mark and not names_a_person:
            return part_end
    return t_end


def _kana_part_end(written: str, at: int, limit: int) -> int:
    """The end of a short part typed in kana right before its subject mark (いすのあしが, ｲｽﾉ ｱｼｶﾞ read as
    hiragana): a particle inside it (まえで, うえに) makes it a place, not a part, so `at` is returned."""
    end = at
    while end < min(limit, at + KANA_PART + 1) and "ぁ" <= written[end] <= "ゖ":
        if written[end] in _PART_MARKS:
            return end if end > at else at
        if written[end] in _NOT_IN_PART:
            return at
        end += 1
    return at


def _about_a_thing(
    s: Sentence, hit: Span, things: list[Span], persons: list[Span], manner: list[Span]
) -> bool:
    """A thing, not a person, is what the hit happened to: テレビが倒れた, タブレットが反応しない,
    倒れた自転車 (the state describing the thing that follows it), 逃げてしまったインコ and
    変なにおいがする冷蔵庫 (a clause ending right before the thing it describes). How it happened
    (物干しスタンドが強風でバターンと倒れて) does not count towards the distance."""
    start, end = hit
    view = s.views[KANA]
    for t_start, _t_end in things:
        between = view[end:t_start]
        if 0 <= t_start - end <= MODIFIER_GAP and not any(mark in between for mark in "がはをにもで、"):
            return True
        describes = between[-1:] in _CLAUSE_ENDS and not any(mark in between for mark in "、。!?")
        person_between = any(end <= p[0] < t_start for p in persons)
        if 0 < t_start - end <= CLAUSE_GAP and describes and not person_between:
            return True
    for _t_start, t_end in things:
        t_end = _thing_end(s, t_end, start, persons)
        how = sum(m_end - m_start for m_start, m_end in manner if t_end <= m_start and m_end <= start)
        if t_end > start or start - t_end - how > SUBJECT_GAP:
            continue
        # A thing followed by から is where someone fell from (脚立から落ちて), not the subject.
        from_place = view.startswith(_PLACE_MARKS, t_end)
        marked = not from_place and (t_end == start or view[t_end : t_end + 1] in _SUBJECT_MARKS)
        person_between = any(t_end <= p[0] < start for p in persons)
        if marked and not person_between:
            return True
    return False


def _tried(s: Sentence, hit: Span, data: SafetyData, persons: list[Span]) -> bool:
    """A thing that does not move or respond however one tries (一人では動かない, わしの力では
    動かない, ねじを巻いても動かない, 押しても何も反応しない): the hit is a thing's 動かない
    right after an attempt, and the attempt is not made on a person or a body (肩を揺すっても)."""
    start, end = hit
    if not any(a < end and start < b for a, b in s.spans(data.classes.get("stuck", ()))):
        return False
    view = s.views[KANA]
    # Not the speaker (私一人では動かない is a thing too heavy for me).
    others = [*s.spans(data.classes.get("other", ())), *s.spans(data.classes.get("role", ()))]
    on_someone = others + s.spans(data.classes["body"])
    for e_start, e_end in s.spans(data.classes.get("effort", ())):
        between = view[e_end:start]
        if not 0 <= start - e_end <= EFFORT_GAP or any(mark in between for mark in "、,。!?"):
            continue
        # 肩を押しても, 腕引いても: tried on someone; 父が一人では: said of someone (not 母の力では,
        # someone's strength)
        if any(0 <= e_start - p_end <= 1 and view[p_end:e_start] in _ON_SOMEONE for _p, p_end in on_someone):
            continue
        if not any(e_end <= p < start for p, _e in persons):
            return True
    return False


@dataclass(frozen=True)
class Hit:
    what: Span  # what happened (the phrase, or the last part of a combination)
    reach: Span  # the whole combination, for the words that cancel it nearby


def _hits(rule: Rule, s: Sentence, near: int, not_parts: list[Span], things: list[Span]) -> list[Hit]:
    """Where the rule's phrases or combinations lie; a part inside `not_parts` (人 in 人形, in
    手伝ってくれる人) is not one, nor a phrase that begins inside a thing's name (けが in タオルかけが)."""
    hits = [Hit(sp, sp) for sp in s.spans(rule.any) if not any(t[0] < sp[0] < t[1] for t in things)]
    if rule.all:
        groups = [[sp for sp in s.spans(group) if not _inside(sp, not_parts)] for group in rule.all]
        for combo in product(*groups):
            if _overlap(combo):
                continue
            if max(sp[0] for sp in combo) - min(sp[1] for sp in combo) <= near:
                hits.append(Hit(combo[-1], (min(sp[0] for sp in combo), max(sp[1] for sp in combo))))
    return hits


def _cancelled(hit: Hit, unless: list[Span]) -> bool:
    """A cancelling word close to the hit (犬 in 犬の爪切り, 買って in おむつを買ってきて)."""
    start, end = hit.reach
    return any(u[0] <= end + UNLESS_GAP and u[1] >= start - UNLESS_GAP for u in unless)


def _fires(rule: Rule, parts: list[Sentence], data: SafetyData, situation: Situation) -> bool:
    if situation.asked and situation.asked in rule.unless_asked:
        return False
    if rule.alone and situation.clear_category:
        return False
    if rule.tier in ("now", "maybe", "referral") and rule.learnable and situation.not_happening:
        return False
    if rule.tier in ("now", "maybe") and _over(rule, situation):
        return False
    if rule.across:
        if any(s.has(rule.unless) for s in parts):
            return False
        if rule.all and all(any(s.has(group) for s in parts) for group in rule.all):
            return True
    resolved = rule.tier in ("now", "maybe") and rule.over != "never"
    for index, s in enumerate(parts):
        if resolved and index <= situation.thanked_upto:
            continue  # thanked for, so over (先日は救急車を呼んでいただき、ありがとうございました)
        things = s.spans(data.classes["thing"])
        if rule.things_cancel and things:
            continue
        if rule.unless_anywhere and s.has(rule.unless_anywhere):
            continue
        # The person asked to help (手伝ってくれる人) is not the one something happened to.
        not_persons = things + s.spans(data.classes.get("helper", ()))
        if rule.unless_no_other and s.has(rule.unless_no_other):
            others = [p for p in s.spans(data.classes["other"]) if not _inside(p, not_persons)]
            if not others:
                continue
        hits = _hits(rule, s, rule.near or data.near, not_persons, things)
        if hits and rule.unless:
            unless = s.spans(rule.unless)
            hits = [h for h in hits if not _cancelled(h, unless)]
        if hits:
            # 血の海…じゃなくてトマト缶: said and taken back at once.
            denied = [d[0] for d in s.spans(data.classes.get("taken_back", ()))]
            hits = [h for h in hits if not any(0 <= d - h.what[1] <= TAKEN_BACK_GAP for d in denied)]
        if hits and rule.tier == "not_allowed":
            hits = [
                h
                for h in hits
                if not _not_asked(s, h, data) and not _hurt_told(index, parts, h, data, situation)
            ]
        if hits and rule.subject:
            persons = [p for p in s.spans(data.classes["person"]) if not _inside(p, not_persons)]
            persons += s.spans(data.classes.get("role", ()))
            subjects = things + s.spans(data.classes["body"]) if rule.body_subject else things
            manner = s.spans(data.classes.get("manner", ()))
            hits = [h for h in hits if not _about_a_thing(s, h.what, subjects, persons, manner)]
            hits = [h for h in hits if not _tried(s, h.what, data, persons)]
        if hits:
            return True
    return False


def _not_asked(s: Sentence, hit: Hit, data: SafetyData) -> bool:
    """Work volunteers may not do, named but not asked for: said right after to be unneeded, not
    done or done by the writer (薬を飲ませる必要はない, 医療行為はいたさない, おむつ替えは済ませて行きます,
    暗証番号は自分で入力します); not when asked (飲ませる必要はないか) or denied (済ませてない)."""
    view = s.views[KANA]
    return any(
        0 <= start - hit.what[1] <= TAKEN_BACK_GAP
        and not _QUESTION.match(view, end)
        and not _NEGATED.match(view, end)
        for start, end in s.spans(data.classes.get("not_asked", ()))
    )


def _hurt_told(index: int, parts: list[Sentence], hit: Hit, data: SafetyData, situation: Situation) -> bool:
    """Work volunteers may not do, told as where someone was hurt long ago (去年屋根の雪下ろしで
    落ちて足を折った), in a sentence that asks nothing, when the text asks nothing or another sentence
    asks for a kind of help it names (玄関前の雪かき頼めねべか); 「今年も頼めんか」 asks for the same."""
    s = parts[index]
    told = [start for start, _end in s.spans(data.classes.get("hurt_told", ()))]
    if not any(0 <= start - hit.what[1] <= UNLESS_GAP for start in told):
        return False
    if s.has(data.classes["request"]) or s.has(data.classes["learn"]):
        return False
    if not (_tells_past(s, data) or s.has(data.classes.get("long_ago", ()))):
        return False
    return not situation.requested or any(i != index for i in situation.named_asks)


def _tells_past(s: Sentence, data: SafetyData) -> bool:
    """A past word in the sentence (昨日, 去年); 昨日から is still going on."""
    view = s.views[KANA]
    ongoing = ("から", "より", "ずっと")
    return any(not view.startswith(ongoing, end) for _start, end in s.spans(data.classes["past"]))


def _over(rule: Rule, situation: Situation) -> bool:
    """Whether the emergency is over and only the reason for an ordinary request.

    An event (a fire, `over = "told"`) told with a past word is over even without a request:
    「昨日近所で火事があって怖かった」 is small talk.
    """
    if rule.over == "never" or situation.now:
        return False
    if rule.over == "told" and situation.past:
        return True
    if situation.history:
        return True
    if not situation.asks_ordinary_help:
        return False
    return situation.past or (rule.over in ("reason", "told") and situation.reason)


def fired_rules(
    text: str,
    *,
    category_score: float,
    data: SafetyData | None = None,
    sentence_score: SentenceScore | None = None,
) -> list[Rule]:
    """Every rule that fires on the text, in file order (read() picks the most serious)."""
    data = data or safety_data()
    parts = sentences(text, data)
    if not parts:
        return []
    situation = _situation(parts, data, category_score, sentence_score)
    return [rule for rule in data.rules if _fires(rule, parts, data, situation)]


def read_all(
    text: str,
    *,
    category_score: float = 0.0,
    data: SafetyData | None = None,
    sentence_score: SentenceScore | None = None,
) -> list[Verdict]:
    """Every tier that fired, most serious first, each with the kind of its first rule in the file."""
    fired = fired_rules(text, category_score=category_score, data=data, sentence_score=sentence_score)
    return [
        Verdict(tier, next(rule.kind for rule in fired if rule.tier == tier))
        for tier in TIERS
        if any(rule.tier == tier for rule in fired)
    ]


def read(
    text: str,
    *,
    category_score: float = 0.0,
    data: SafetyData | None = None,
    sentence_score: SentenceScore | None = None,
) -> Verdict:
    """The most serious danger in a text; category_score: how clearly it names an ordinary kind of help
    (sentence_score: the same for one sentence, where the situation needs it)."""
    verdicts = read_all(text, category_score=category_score, data=data, sentence_score=sentence_score)
    return verdicts[0] if verdicts else Verdict()
