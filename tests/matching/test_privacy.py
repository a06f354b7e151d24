"""Masking personal details: nothing in the labelled set leaks, and ordinary request texts stay as written."""

from __future__ import annotations

import unicodedata

import pytest

from matching.privacy import MASK, has_personal_details, mask_personal
from tests.matching.devset import personal_details, requests


def _leaks(text: str, secrets: tuple[str, ...]) -> list[str]:
    masked = mask_personal(text)
    return [s for s in secrets if unicodedata.normalize("NFKC", s) in masked]


def test_the_set_is_broad_enough() -> None:
    assert len(personal_details()) >= 100


@pytest.mark.parametrize("name", ["personal_details.tsv", "personal_details_holdout.tsv"])
def test_nothing_in_the_personal_details_sets_leaks(name: str) -> None:
    leaked = {text: _leaks(text, secrets) for text, secrets in personal_details(name)}
    assert {text: found for text, found in leaked.items() if found} == {}


def test_ordinary_requests_stay_readable() -> None:
    """Over-masking hides what a supporter needs: almost every plain request keeps its words."""
    rows = [r.text for r in [*requests(), *requests("requests_holdout.tsv")]]
    changed = [t for t in rows if mask_personal(t) != unicodedata.normalize("NFKC", t)]
    assert len(changed) / len(rows) <= 0.02, changed


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "ハイツ三軒茶屋の203に住んでいる、やまもとです",
            f"{MASK}の{MASK}に住んでいる、{MASK}です",
        ),
        ("山本と申します。電話は090-1234-5678", f"{MASK}と申します。電話は{MASK}"),
        ("となりのたなかさんに聞きました", f"となりの{MASK}さんに聞きました"),
        ("大家さんに言われた", "大家さんに言われた"),
        ("60ワットの電球が2個切れた", "60ワットの電球が2個切れた"),
        ("100円ショップで買った電球", "100円ショップで買った電球"),
        ("電球が一番困っている", "電球が一番困っている"),
        ("いつでも大丈夫です", "いつでも大丈夫です"),
        ("世田谷区の庭の草むしり", "世田谷区の庭の草むしり"),
    ],
)
def test_examples(text: str, masked: str) -> None:
    assert mask_personal(text) == masked


def test_the_display_name_is_masked_wherever_it_appears() -> None:
    assert mask_personal("佐藤花子の家の電球", ["佐藤 花子"]) == f"{MASK}の家の電球"
    assert has_personal_details("佐藤の家の電球", ["佐藤花子"])
    assert not has_personal_details("電球が切れた", ["佐藤花子"])
    assert mask_personal("") == ""
