"""The learned category reader: better than the rules for a writer it never read, silent on small talk."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from matching import skills_from_text, understand
from matching.category_reader import (
    NONE,
    CategoryReader,
    category_of,
    category_reader,
    load_or_fit,
    packaged_examples,
)
from matching.matcher import prepare
from matching.second_reader import example_rows, example_sources
from matching.understand import category_scores
from tests.matching import devset

# Sets written by different people; each is held out in turn while the reader learns from the rest.
AUTHORS = ["safety_nurse.tsv", "safety_family.tsv", "safety_dialects.tsv"]


def _rules(text: str) -> dict[str, float]:
    return dict(sorted(category_scores(prepare(text)).items(), key=lambda kv: -kv[1]))


@pytest.mark.parametrize("held_out", AUTHORS)
def test_an_author_it_never_read_gets_more_kinds_right(held_out: str) -> None:
    held_texts = {line.text for line in devset.safety(held_out)}
    reader = CategoryReader(e for e in packaged_examples() if e.text not in held_texts)
    named = before = after = 0
    for line in devset.safety(held_out):
        if line.expect != "ordinary":
            continue
        rules = _rules(line.text)
        old, new = category_of(rules, {}), category_of(rules, reader.read(line.text))
        if line.kind == NONE:
            assert new == old, line.text  # small talk gets no category the rules did not give
            continue
        named += 1
        before += old == line.kind
        after += new == line.kind
    # Measured 88.1 -> 88.7, 86.2 -> 88.7, 88.6 -> 89.9 (%).
    assert after > before
    assert after / named >= 0.88


def test_everyday_step_texts_get_no_category_from_the_reader() -> None:
    everyday = [
        row[column - 1]
        for name, column in example_sources()["everyday"].items()
        for row in example_rows(name)
    ]
    for text in everyday[::4]:
        rules = _rules(text)
        if category_of(rules, {}) is None:
            assert category_of(rules, category_reader().read(text)) is None, text


def test_the_held_out_requests_do_not_get_worse() -> None:
    """requests_holdout.tsv is never learnt from. 役所の手続きに行きたいが一人では不安 now reads as
    outing (labelled errands there; safety.tsv labels 市役所の手続きに付き添って outing), and two
    lines the rules missed were right with the reader: 76 -> 78 of 91 with a category, flagged lines included.
    Since then the rules read 年金をおろしてきて (errands) alone, and the whole reading stands at 77: the
    reader must cost no line the rules read right, and the set must not fall below that."""
    rows = [r for r in devset.requests("requests_holdout.tsv") if r.category]
    before = sum(category_of(_rules(r.text), {}) == r.category for r in rows)
    after = sum(understand(r.text).category == r.category for r in rows)
    assert after >= before
    assert after >= 77


def test_a_sure_reader_overrules_the_rules_and_keeps_their_pick_as_an_alternative() -> None:
    # 雨どい is a repair word; cleaning the gutter is housework in the labelled sets. (The reader once
    # read knife sharpening as repair; with more authors it agrees with the taxonomy: housework.)
    text = "雨どいの掃除をしてほしい"
    assert category_of(_rules(text), {}) == "repair"
    u = understand(text)
    assert (u.category, u.alternatives) == ("housework", ("repair",))
    assert u.confidence >= 0.6
    assert u.scores[0][0] == "repair"  # scores stay the rules' evidence


def test_the_reader_alone_names_a_kind_only_when_very_sure() -> None:
    assert understand("母の通帳記入だけ一緒に銀行に行ってほしい").category == "outing"
    assert understand("今日はいい天気ですね").category is None


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("母の通帳記入だけ一緒に銀行に行ってほしい", set()),
        ("包丁が切れなくなったので、研いでいただけませんか", {"housework"}),
    ],
)
def test_supporters_skills_are_read_by_the_rules_alone(text: str, skills: set[str]) -> None:
    assert skills_from_text(text) == skills


def test_the_packaged_reader_is_built_once_whichever_thread_asks_first() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        readers = list(pool.map(lambda _: category_reader(), range(16)))
    assert all(reader is readers[0] for reader in readers)
    assert len(packaged_examples()) >= 1200


def test_empty_or_odd_input_reads_as_nothing() -> None:
    assert category_reader().read("") == {}
    assert category_reader().read("   ") == {}
    assert understand("😀").category is None


def test_a_fitted_reader_is_kept_and_loaded_by_the_next_process(tmp_path: Path) -> None:
    examples = packaged_examples()[::3]
    first = load_or_fit(examples, tmp_path)
    (kept,) = tmp_path.iterdir()
    assert kept.name.startswith("category-reader-") and kept.suffix == ".joblib"
    again = load_or_fit(examples, tmp_path)
    assert again is not first and list(tmp_path.iterdir()) == [kept]
    for text in ("包丁を研いでほしい", "次へ", "こたつを出したい"):
        assert again.read(text) == first.read(text)
