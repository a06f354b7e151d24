"""The learned second reader: it generalises to an author it never learnt from, and only ever raises."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from matching import safety, understand
from matching.second_reader import (
    ASK_FROM,
    REFUSE_FROM,
    Example,
    SecondReader,
    load_or_fit,
    packaged_examples,
    second_reader,
)
from tests.matching import devset

# Sets written by different people; each is held out in turn while the reader learns from the rest.
AUTHORS = ["safety_nurse.tsv", "safety_family.tsv", "safety_dialects.tsv"]
URGENT = ("emergency", "maybe_urgent")


def _rules(text: str) -> str | None:
    """What the rules alone answer (as matching.understand reads them)."""
    scores = understand(text).scores
    verdict = safety.read(text, category_score=scores[0][1] if scores else 0.0)
    if verdict.tier is None:
        return None
    return {"now": "emergency", "maybe": "maybe_urgent"}.get(verdict.tier, verdict.tier)


def _count_of(rows: list[tuple[str, str, str]], expects: tuple[str, ...]) -> int:
    return sum(row[0] in expects for row in rows)


def _raised(reader: SecondReader, text: str) -> str:
    """What the reader makes of a text the rules let through."""
    seen = reader.read(text)
    if seen.danger >= ASK_FROM:
        return "maybe_urgent"
    return "not_allowed" if seen.not_allowed >= REFUSE_FROM else "ordinary"


@pytest.mark.parametrize("held_out", AUTHORS)
def test_an_author_it_never_read_is_understood(held_out: str) -> None:
    """Learnt without one writer's set, the reader still lifts that set's emergencies and refusals."""
    learnt = [
        Example(line.text, line.expect, line.kind)
        for name in ["safety.tsv", "safety_extra.tsv", *AUTHORS]
        if name != held_out
        for line in devset.safety(name)
    ]
    reader = SecondReader(learnt)
    rows = []  # (expect, rules alone, rules and reader)
    named = []  # emergencies the reader names a kind for: (labelled kind, named kind)
    for line in devset.safety(held_out):
        alone = _rules(line.text)
        rows.append((line.expect, alone or "ordinary", alone or _raised(reader, line.text)))
        if line.expect == "emergency" and (kind := reader.read(line.text).emergency_kind):
            named.append((line.kind, kind))

    def share(expects: tuple[str, ...], answers: tuple[str, ...], column: int) -> float:
        chosen = [row for row in rows if row[0] in expects]
        return sum(row[column] in answers for row in chosen) / len(chosen)

    assert share(URGENT, URGENT, 2) >= 0.97
    assert share(URGENT, URGENT, 2) > share(URGENT, URGENT, 1)
    assert share(("not_allowed",), ("not_allowed",), 2) > share(("not_allowed",), ("not_allowed",), 1)
    # A named kind decides the answer to はい: it is named for most emergencies, and right.
    assert len(named) >= 0.8 * _count_of(rows, URGENT[:1])
    assert sum(label == kind for label, kind in named) / len(named) >= 0.95
    # What the reader adds on ordinary lines stays small (the rules' own false alarms are theirs).
    assert share(("ordinary",), ("ordinary",), 1) - share(("ordinary",), ("ordinary",), 2) <= 0.02


@pytest.mark.parametrize(
    "text",
    [
        "じいちゃんが庭でうずくまったまま声をかけても黙っとる",
        "近所のおじいさんが夜中に裸足で歩いてた、家がわからないみたい",
    ],
)
def test_what_the_rules_miss_but_reads_like_an_emergency_is_asked_about(text: str) -> None:
    assert safety.read(text).tier is None  # the rules alone would let it through
    u = understand(text)
    assert (u.flag, u.urgency) == ("emergency", "maybe")


@pytest.mark.parametrize(
    "text",
    ["こんにちは、今日はいい天気ですね", "電球を替えてほしいです", "父が入院したので犬の散歩をお願いしたい"],
)
def test_everyday_requests_are_left_alone(text: str) -> None:
    seen = second_reader().read(text)
    assert seen.danger < ASK_FROM and seen.not_allowed < REFUSE_FROM
    assert understand(text).flag is None


def test_the_reader_never_lowers_what_the_rules_found() -> None:
    for line in devset.safety("safety.tsv")[::5]:
        verdict = safety.read(line.text, category_score=0.0)
        u = understand(line.text)
        if verdict.tier == "now":
            assert u.urgency == "now", line.text
        elif verdict.tier == "not_allowed":
            assert u.flag == "not_allowed", line.text


def test_the_packaged_reader_is_built_once_whichever_thread_asks_first() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        readers = list(pool.map(lambda _: second_reader(), range(16)))
    assert all(reader is readers[0] for reader in readers)
    assert len(packaged_examples()) >= 2500


def _few() -> list[Example]:
    lines = devset.safety("safety.tsv")
    return [Example(line.text, line.expect, line.kind) for line in lines]


def test_a_fitted_reader_is_kept_and_loaded_by_the_next_process(tmp_path: Path) -> None:
    examples = _few()
    first = load_or_fit(examples, tmp_path)
    kept = list(tmp_path.iterdir())
    assert [path.suffix for path in kept] == [".joblib"]  # no .part left behind
    again = load_or_fit(examples, tmp_path)
    assert again is not first and list(tmp_path.iterdir()) == kept
    for text in ("むねがいたい", "電球を替えてほしい", "次へ"):
        assert again.read(text) == first.read(text)
    # Other examples are another reader: a file of its own.
    load_or_fit(examples[:-1], tmp_path)
    assert len(list(tmp_path.iterdir())) == 2


def test_a_broken_or_unwritable_cache_only_means_fitting(tmp_path: Path) -> None:
    examples = _few()
    load_or_fit(examples, tmp_path)
    (kept,) = tmp_path.iterdir()
    kept.write_bytes(b"not a reader")
    assert load_or_fit(examples, tmp_path).read("むねがいたい").danger >= ASK_FROM
    assert kept.stat().st_size > 1000  # replaced by a good one
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert load_or_fit(examples, blocked / "cache").read("むねがいたい").danger >= ASK_FROM


def test_empty_or_odd_input_reads_as_nothing() -> None:
    for raw in ("", "   ", "😀"):
        seen = second_reader().read(raw)
        assert seen.danger < ASK_FROM
