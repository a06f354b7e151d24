"""handlers/common.py: what a supporter may read of a request before accepting, and category labels."""

from __future__ import annotations

import pytest

from handlers.common import label_of, redact


@pytest.mark.parametrize(
    ("text", "name", "shown"),
    [
        ("山田です。電球が切れた", "山田 花子", "＊＊＊です。電球が切れた"),  # the family name of a full name
        ("山田です。電球が切れた", "山田", "＊＊＊です。電球が切れた"),
        ("電話は090-1234-5678です", None, "電話は＊＊＊です"),
        ("電球が切れた", None, "電球が切れた"),  # nothing personal: unchanged
    ],
)
def test_redact_hides_the_name_and_numbers_but_not_the_need(text: str, name: str | None, shown: str) -> None:
    assert redact(text, name) == shown


@pytest.mark.parametrize(
    ("category", "label"), [("repair", "電球・修理"), ("garden", "庭・草むしり"), (None, "その他")]
)
def test_label_of_a_category_and_of_none(category: str | None, label: str) -> None:
    assert label_of(category) == label
