"""The category taxonomy and safety signals, loaded once from taxonomy.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal, cast

from matching.normalize import normalize, to_hiragana, tokenize

Flag = Literal["emergency", "not_allowed", "harmful"]
FLAGS: tuple[Flag, ...] = ("emergency", "harmful", "not_allowed")  # precedence when several fire

STRONG_WEIGHT = 3.0
WEAK_WEIGHT = 1.0


@dataclass(frozen=True)
class CategoryInfo:
    id: str
    label: str
    examples: str
    quick: bool = False


@dataclass(frozen=True)
class Term:
    """One signal word prepared for every matching channel."""

    text: str  # normalised surface
    kana: str  # hiragana reading ("" when the analyser has none)
    lemmas: tuple[str, ...]  # Sudachi normalized forms of its morphemes
    synonyms: tuple[int, ...]  # synonym group ids when the term is a single morpheme
    weight: float


@dataclass(frozen=True)
class Category:
    info: CategoryInfo
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Signal:
    kind: Flag
    reason: str
    phrases: tuple[Term, ...]
    together: tuple[tuple[str, ...], ...]
    unless: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]
    signals: tuple[Signal, ...]
    variants: MappingProxyType[str, str]

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.info.id == category_id), None)


def _term(raw: str, weight: float, variants: MappingProxyType[str, str]) -> Term:
    text = normalize(raw, variants)
    tokens = tokenize(text)
    return Term(
        text=text,
        kana=to_hiragana("".join(t.reading for t in tokens)),
        lemmas=tuple(t.normalized for t in tokens),
        synonyms=tokens[0].synonyms if len(tokens) == 1 else (),
        weight=weight,
    )


def _unique(raws: list[str]) -> list[str]:
    return list(dict.fromkeys(raws))


def load(data: dict[str, object]) -> Taxonomy:
    """Build a taxonomy from parsed TOML (tests use this with small tables)."""
    variants = MappingProxyType({str(k): str(v) for k, v in cast(dict, data.get("variants", {})).items()})
    categories = []
    for entry in cast(list[dict], data["category"]):
        info = CategoryInfo(
            id=entry["id"], label=entry["label"], examples=entry["examples"], quick=bool(entry.get("quick"))
        )
        if len(info.label) > 20:
            raise ValueError(f"category label too long for a button: {info.label}")
        terms = [_term(t, STRONG_WEIGHT, variants) for t in _unique(entry.get("strong", []))]
        terms += [_term(t, WEAK_WEIGHT, variants) for t in _unique(entry.get("weak", []))]
        categories.append(Category(info=info, terms=tuple(t for t in terms if t.text)))
    signals = []
    for entry in cast(list[dict], data.get("signal", [])):
        if entry["kind"] not in FLAGS:
            raise ValueError(f"unknown signal kind {entry['kind']!r}")
        signals.append(
            Signal(
                kind=entry["kind"],
                reason=entry["reason"],
                phrases=tuple(_term(p, 1.0, variants) for p in _unique(entry.get("phrases", []))),
                together=tuple(
                    tuple(normalize(w, variants) for w in group) for group in entry.get("together", [])
                ),
                unless=tuple(normalize(w, variants) for w in entry.get("unless", [])),
            )
        )
    if sum(c.info.quick for c in categories) > 12:
        raise ValueError("at most 12 categories may be quick-reply buttons")
    return Taxonomy(categories=tuple(categories), signals=tuple(signals), variants=variants)


@cache
def taxonomy() -> Taxonomy:
    """The packaged taxonomy, parsed and prepared on first use."""
    raw = resources.files("matching").joinpath("taxonomy.toml").read_text(encoding="utf-8")
    return load(tomllib.loads(raw))


def categories() -> list[CategoryInfo]:
    """All categories in taxonomy order."""
    return [c.info for c in taxonomy().categories]


def quick_categories() -> list[CategoryInfo]:
    """The categories offered as quick-reply buttons (at most 12), in taxonomy order."""
    return [c.info for c in taxonomy().categories if c.info.quick]


def category_label(category_id: str) -> str:
    """The Japanese label of a category; the id itself when unknown (never raises)."""
    found = taxonomy().category(category_id)
    return found.info.label if found else category_id
