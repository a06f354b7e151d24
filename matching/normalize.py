"""Japanese text normalisation and morphological analysis (SudachiPy) for matching."""

from __future__ import annotations

import re
import threading
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sudachipy import Dictionary, Tokenizer

# Sudachi refuses inputs over 49,149 bytes; requests are short, so analysing the first
# couple of thousand characters is plenty and bounds the cost of a pasted essay.
MAX_ANALYSED_CHARS = 2000

# Katakana -> hiragana is a fixed code-point offset; a dependency (jaconv) for one
# str.translate table would be more weight than it is worth.
_KATA_TO_HIRA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}

# Hyphens and dashes of every width are typed interchangeably (addresses: 2−21−1).
_DASHES = str.maketrans({"−": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "―": "-"})
# A wave dash inside a kana word is a long vowel (ぱそこ〜ん); anywhere else it is decoration.
_WAVE_IN_KANA = re.compile(r"(?<=[ぁ-ヺ])[〜~](?=[ぁ-ヺ])")
_WAVE = re.compile(r"[〜~]+")
_SPACES = re.compile(r"\s+")
# Parts of speech whose Sudachi normalized form is a safe spelling fold (付添い -> 付き添い).
_FOLDED_POS = frozenset({"名詞"})


def to_hiragana(text: str) -> str:
    """Fold katakana to hiragana, leaving everything else untouched (same length)."""
    return text.translate(_KATA_TO_HIRA)


def _drop_symbol(ch: str) -> str:
    # Emoji, pictographs and private-use characters carry no request meaning; a space keeps
    # the words on either side apart.
    category = unicodedata.category(ch)
    if category in ("So", "Sk", "Cs", "Co", "Cn", "Cf") or ch in "\ufe0f\u200d":
        return " "
    return ch


def normalize_chars(text: str) -> str:
    """Character-level pass: NFKC, case, dashes, emoji removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text if isinstance(text, str) else "").lower().translate(_DASHES)
    text = _WAVE.sub(" ", _WAVE_IN_KANA.sub("ー", text))
    text = "".join(_drop_symbol(ch) for ch in text)
    return _SPACES.sub(" ", text).strip()


# SudachiPy (core dictionary, split mode C) was chosen over fugashi with unidic-lite after comparing
# them on what matching needs: both fold 17 of 20 spelling-variant pairs when lemma and reading are
# used together, both read kana-only input equally (でんきゅう is split into nonsense by both, hence
# the kana channel); Sudachi analyses the dev set faster (0.17 vs 0.26 ms a text), keeps compounds
# whole in mode C (草むしり, 粗大ゴミ) and gives normalized forms directly; fugashi loads faster and
# touches less memory (114 vs 163 MB peak RSS), both well inside the start-up budget.
@cache
def _dictionary() -> Dictionary:
    """The Sudachi dictionary, loaded once per process (start-up time and memory matter); shared."""
    from sudachipy import Dictionary

    return Dictionary(dict="core")


_per_thread = threading.local()


def tokenizer() -> Tokenizer:
    """This thread's Sudachi tokenizer (split mode C).

    A Tokenizer is not reentrant: two threads analysing at once get "Tokenizer is already in use"
    (the web process runs threads). Tokenizers are cheap views of the one shared dictionary, so each
    thread builds its own on first use.
    """
    own: Tokenizer | None = getattr(_per_thread, "tokenizer", None)
    if own is None:
        from sudachipy import SplitMode

        own = _per_thread.tokenizer = _dictionary().tokenizer(SplitMode.C)
    return own


@dataclass(frozen=True)
class Token:
    surface: str
    normalized: str
    reading: str  # hiragana
    pos: str
    pos_detail: tuple[str, ...]  # finer part-of-speech levels, e.g. 非自立可能 for して, ほしい
    begin: int
    end: int


def tokenize(text: str) -> tuple[Token, ...]:
    """Morphemes of already character-normalised text, with hiragana readings."""
    if not text:
        return ()
    morphemes = tokenizer().tokenize(text[:MAX_ANALYSED_CHARS])
    return tuple(
        Token(
            surface=m.surface(),
            normalized=m.normalized_form(),
            reading=to_hiragana(m.reading_form()),
            pos=m.part_of_speech()[0],
            pos_detail=tuple(m.part_of_speech()[1:3]),
            begin=m.begin(),
            end=m.end(),
        )
        for m in morphemes
    )


def _is_kana(text: str) -> bool:
    return all("ぁ" <= ch <= "ゖ" or "ァ" <= ch <= "ヺ" or ch == "ー" for ch in text)


def _kana_count(text: str) -> int:
    return sum(_is_kana(ch) for ch in text)


def _fold_spelling(text: str) -> str:
    # Only nouns written with kanji are folded, and only when the fold keeps or adds kana
    # (付添い -> 付き添い, 買物 -> 買い物): Sudachi also maps kana to rare kanji (ゴミ出し -> 塵出し)
    # and latin to its own casing (line -> LINE), which would hide them from matching.
    parts = []
    for token in tokenize(text):
        if (
            token.pos in _FOLDED_POS
            and token.normalized
            and any("一" <= ch <= "鿿" for ch in token.surface)
            and _kana_count(token.normalized) >= _kana_count(token.surface)
        ):
            parts.append(token.normalized)
        else:
            parts.append(token.surface)
    return "".join(parts)


def _apply_variants(text: str, variants: Mapping[str, str]) -> str:
    for variant, canonical in variants.items():
        if variant in text:
            text = text.replace(variant, canonical)
    return text


_NO_VARIANTS: Mapping[str, str] = MappingProxyType({})


@cache
def spelling_variants() -> Mapping[str, str]:
    """The [variants] table of taxonomy.toml, read here rather than through matching.taxonomy (which
    normalises its own terms with this module): reading one table needs neither the analyser nor the
    categories."""
    raw = resources.files("matching").joinpath("taxonomy.toml").read_text(encoding="utf-8")
    table = tomllib.loads(raw).get("variants", {})
    return MappingProxyType({str(k): str(v) for k, v in table.items()})


def normalize(text: str, variants: Mapping[str, str] | None = None, *, fold: bool = True) -> str:
    """NFKC, case, width and dash folding, emoji removed, spelling variants unified.

    `variants` defaults to the taxonomy's [variants] table (ゴミ/ごみ, スマートフォン/スマホ …);
    the analyser folds the rest (付添い -> 付き添い, 買物 -> 買い物) unless `fold` is off, which
    fragments of words need (Sudachi would read "おむつを買" as the noun 買い).
    """
    if not isinstance(text, str):
        return ""
    if variants is None:
        variants = spelling_variants()
    text = normalize_chars(text)[:MAX_ANALYSED_CHARS]
    text = _apply_variants(text, variants or _NO_VARIANTS)
    return _fold_spelling(text) if fold else text
