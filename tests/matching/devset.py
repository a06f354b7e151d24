"""Loading the labelled development set in tests/data/ (shared by tests and bench)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Labelled:
    text: str
    category: str | None
    flag: str | None
    flag_reason: str | None


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def requests(name: str = "requests.tsv") -> list[Labelled]:
    return [
        Labelled(text, category or None, flag or None, reason or None)
        for text, category, flag, reason in _rows(name)
    ]


def skills() -> list[tuple[str, frozenset[str]]]:
    return [(text, frozenset(ids.split(","))) for text, ids in _rows("skills.tsv")]


@dataclass(frozen=True)
class SafetyLine:
    text: str
    expect: str  # emergency | maybe_urgent | not_allowed | referral | ordinary
    kind: str  # an emergency or not-allowed kind, uncertain, harassment, a category id, or none
    style: str  # kanji, hiragana, halfwidth, voice, emoji, kansai, tohoku, …


def safety(name: str = "safety.tsv") -> list[SafetyLine]:
    return [SafetyLine(*row) for row in _rows(name)]


def personal_details(name: str = "personal_details.tsv") -> list[tuple[str, tuple[str, ...]]]:
    """Request texts with personal details, and the parts that must never reach a card before accept."""
    return [(text, tuple(secrets.split("|"))) for text, secrets in _rows(name)]


@dataclass(frozen=True)
class AfterSend:
    context: str
    text: str
    meaning: str
    categories: frozenset[str]


def after_send(name: str = "after_send.tsv") -> list[AfterSend]:
    """Typed messages after a request was sent, with the context they were typed in and what they meant."""
    return [
        AfterSend(row[0], row[1], row[2], frozenset((row[3] if len(row) > 3 else "repair").split(",")))
        for row in _rows(name)
    ]
