"""The category taxonomy, loaded once from taxonomy.toml (safety is read from safety.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal, cast

from matching.normalize import normalize, to_hiragana, tokenize

Flag = Literal["emergency", "not_allowed", "harmful"]

# Evidence per tier: a `key` word decides on its own (灯油, 犬), `strong` usually does, `weak` only hints.
# A `general` word (教えて, やってみたい) is strong when nothing more specific is named, and only a hint
# beside a clearly named kind of help (スマホの文字入力を教えて is digital, not teaching).
TIER_WEIGHTS = {"key": 5.0, "strong": 3.0, "weak": 1.0, "general": 3.0}
STRONG_WEIGHT = TIER_WEIGHTS["strong"]
WEAK_WEIGHT = TIER_WEIGHTS["weak"]


@dataclass(frozen=True)
class CategoryInfo:
    id: str
    label: str
    examples: str
    quick: bool = False


@dataclass(frozen=True)
class Term:
    """One category word prepared for every matching channel."""

    text: str  # normalised as written (no spelling fold), the term's identity
    forms: tuple[str, ...]  # text, and its spelling-folded form when that differs (付添い, 付き添い)
    kana: str  # hiragana reading ("" when the analyser has none)
    lemmas: tuple[str, ...]  # Sudachi normalized forms of its morphemes


@dataclass(frozen=True)
class Category:
    info: CategoryInfo
    weights: MappingProxyType[str, float]  # normalised term -> evidence weight
    actions: frozenset[str] = frozenset()  # lemmas of verbs that ask for this help (買う, 運ぶ)


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]
    variants: MappingProxyType[str, str]
    vocabulary: tuple[Term, ...]  # every category term once, however many categories list it
    owners: MappingProxyType[str, tuple[tuple[str, float], ...]]  # term -> (category id, weight)
    actions: MappingProxyType[str, tuple[str, ...]] = field(  # verb lemma -> category ids
        default_factory=lambda: MappingProxyType({})
    )
    general: frozenset[tuple[str, str]] = frozenset()  # (term, category id) listed as `general`

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.info.id == category_id), None)


def _term(raw: str, variants: MappingProxyType[str, str]) -> Term:
    text = normalize(raw, variants, fold=False)
    folded = normalize(raw, variants)
    tokens = tokenize(text)
    return Term(
        text=text,
        forms=tuple(dict.fromkeys((text, folded))),
        kana=to_hiragana("".join(t.reading for t in tokens)),
        lemmas=tuple(t.normalized for t in tokens),
    )


def _weights(entry: dict, variants: MappingProxyType[str, str]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for tier, weight in TIER_WEIGHTS.items():
        for raw in entry.get(tier, []):
            text = normalize(raw, variants, fold=False)
            if text:
                weights[text] = max(weights.get(text, 0.0), weight)
    return weights


def _infos(data: dict[str, object]) -> tuple[CategoryInfo, ...]:
    """What users see of each category, checked; needs no analyser."""
    infos = tuple(
        CategoryInfo(id=e["id"], label=e["label"], examples=e["examples"], quick=bool(e.get("quick")))
        for e in cast(list[dict], data["category"])
    )
    for info in infos:
        if len(info.label) > 20:
            raise ValueError(f"category label too long for a button: {info.label}")
    if sum(info.quick for info in infos) > 12:
        raise ValueError("at most 12 categories may be quick-reply buttons")
    return infos


def load(data: dict[str, object]) -> Taxonomy:
    """Build a taxonomy from parsed TOML (tests use this with small tables)."""
    variants = MappingProxyType({str(k): str(v) for k, v in cast(dict, data.get("variants", {})).items()})
    categories = []
    vocabulary: dict[str, Term] = {}
    owners: dict[str, list[tuple[str, float]]] = {}
    general: set[tuple[str, str]] = set()
    for entry, info in zip(cast(list[dict], data["category"]), _infos(data), strict=True):
        weights = _weights(entry, variants)
        general.update((normalize(raw, variants, fold=False), info.id) for raw in entry.get("general", []))
        for text, weight in weights.items():
            if text not in vocabulary:
                vocabulary[text] = _term(text, variants)
            owners.setdefault(text, []).append((info.id, weight))
        actions = frozenset(str(a) for a in entry.get("actions", []))
        categories.append(Category(info=info, weights=MappingProxyType(weights), actions=actions))
    by_action: dict[str, list[str]] = {}
    for category in categories:
        for action in category.actions:
            by_action.setdefault(action, []).append(category.info.id)
    return Taxonomy(
        categories=tuple(categories),
        variants=variants,
        vocabulary=tuple(vocabulary.values()),
        owners=MappingProxyType({text: tuple(found) for text, found in owners.items()}),
        actions=MappingProxyType({verb: tuple(ids) for verb, ids in by_action.items()}),
        general=frozenset(general),
    )


@cache
def _packaged() -> dict[str, object]:
    raw = resources.files("matching").joinpath("taxonomy.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


@cache
def taxonomy() -> Taxonomy:
    """The packaged taxonomy, parsed and prepared on first use."""
    return load(_packaged())


# Labels and buttons come straight from the TOML: showing them must not load the analyser's
# dictionary (~150 MB mapped), which a worker that only sends cards never needs.
@cache
def _packaged_infos() -> tuple[CategoryInfo, ...]:
    return _infos(_packaged())


@cache
def _labels() -> MappingProxyType[str, str]:
    return MappingProxyType({info.id: info.label for info in _packaged_infos()})


def categories() -> list[CategoryInfo]:
    """All categories in taxonomy order."""
    return list(_packaged_infos())


def quick_categories() -> list[CategoryInfo]:
    """The categories offered as quick-reply buttons (at most 12), in taxonomy order."""
    return [info for info in _packaged_infos() if info.quick]


def category_label(category_id: str) -> str:
    """The Japanese label of a category; the id itself when unknown (never raises)."""
    return _labels().get(category_id, category_id)
