"""Evaluation: ordinary top-1 by the rules alone and with the learned category reader, one author held out.

Usage:
    .venv/bin/python bench/category_reader.py

For each independent author's safety set the reader is fitted without that file and scored on its
ordinary lines: top-1 where a category is labelled, and how many 'none' lines (small talk) get a
category. requests_holdout.tsv (never trained on) is scored with the packaged reader, and so are the
everyday step texts: how many get a category the rules did not give them. Timings: the packaged fit
(after the safety rules are built) and the reader's cost per text.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching import understand  # noqa: E402
from matching.category_reader import (  # noqa: E402
    NONE,
    TEACHING,
    CategoryReader,
    category_of,
    category_reader,
    packaged_examples,
)
from matching.second_reader import example_rows, example_sources, second_reader  # noqa: E402
from matching.words import offers_to_teach  # noqa: E402

AUTHORS = [
    "safety_nurse.tsv",
    "safety_family.tsv",
    "safety_dialects.tsv",
    "safety_care.tsv",
    "safety_slips.tsv",
    "safety_danchi.tsv",
    "safety_visits.tsv",
    "safety_estate.tsv",
    "safety_village.tsv",
    "safety_minsei.tsv",
    "safety_shotengai.tsv",
    "safety_snow.tsv",
    "safety_newtown.tsv",
    "safety_kitakyushu.tsv",
    "safety_salon.tsv",
    "safety_nagaya.tsv",
    "safety_yamazato.tsv",
    "safety_sapporo.tsv",
    "safety_kumamoto.tsv",
    "safety_port.tsv",
    "safety_carers.tsv",
    "safety_okinawa.tsv",
    "safety_gunma.tsv",
    "safety_oyaji.tsv",
    "safety_kodomo.tsv",
    "safety_kagoshima.tsv",
    "safety_nagoya.tsv",
    "safety_niigata.tsv",
    "safety_osaka.tsv",
]


def rules_of(text: str) -> dict[str, float]:
    return dict(understand(text).scores)


def rules_category(rules: dict[str, float]) -> str | None:
    return category_of(rules, {})


def score(reader: CategoryReader, rows: list[tuple[str, str]]) -> tuple[int, int, int, int, int, int]:
    """(named, right before, right after, none lines, given a category before, after)."""
    named = before = after = nones = none_before = none_after = 0
    for text, label in rows:
        rules = rules_of(text)
        old, new = rules_category(rules), category_of(rules, reader.read(text))
        if offers_to_teach(text):  # an offer to teach decides over its subject, as the bot reads it
            old = new = TEACHING
        if label == NONE:
            nones += 1
            none_before += old is not None
            none_after += new is not None
        else:
            named += 1
            before += old == label
            after += new == label
    return named, before, after, nones, none_before, none_after


def main() -> None:
    second_reader()  # the safety rules and their reader, as warm-up builds them first
    start = time.perf_counter()
    packaged = category_reader()
    print(f"packaged fit: {time.perf_counter() - start:.2f} s ({len(packaged_examples())} lines)")
    examples = packaged_examples()
    sums = [0] * 6
    for held in AUTHORS:
        held_texts = {row[0] for row in example_rows(held)}
        reader = CategoryReader(e for e in examples if e.text not in held_texts)
        rows = [(text, kind) for text, expect, kind, *_ in example_rows(held) if expect == "ordinary"]
        got = score(reader, rows)
        sums = [a + b for a, b in zip(sums, got, strict=True)]
        named, before, after, nones, nb, na = got
        print(
            f"{held}: top-1 {before}/{named} = {before / named:.1%} -> {after}/{named} = {after / named:.1%};"
            f" none lines given a category {nb}/{nones} -> {na}/{nones}"
        )
    named, before, after, nones, nb, na = sums
    print(
        f"{len(AUTHORS)} authors: top-1 {before / named:.1%} -> {after / named:.1%};"
        f" none lines given a category {nb}/{nones} -> {na}/{nones}"
    )
    holdout_path = ROOT / "tests" / "data" / "requests_holdout.tsv"
    holdout = [
        (row[0], row[1])
        for row in (line.split("\t") for line in holdout_path.read_text("utf-8").splitlines())
        if row[0] and not row[0].startswith("#") and row[1]
    ]
    named, before, after, *_ = score(packaged, holdout)
    print(
        f"requests_holdout.tsv: top-1 {before}/{named} = {before / named:.1%}"
        f" -> {after}/{named} = {after / named:.1%}"
    )
    everyday = [
        row[column - 1]
        for name, column in example_sources()["everyday"].items()
        for row in example_rows(name)
    ]
    invented = sum(
        rules_category(rules_of(text)) is None
        and category_of(rules_of(text), packaged.read(text)) is not None
        for text in everyday
    )
    print(f"everyday step texts given a category the rules did not give: {invented}/{len(everyday)}")
    costs = []
    for text, _ in holdout:
        tick = time.perf_counter()
        packaged.read(text)
        costs.append(time.perf_counter() - tick)
    print(f"reader per text: median {statistics.median(costs) * 1000:.2f} ms, max {max(costs) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
