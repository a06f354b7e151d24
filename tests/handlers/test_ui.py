"""handlers/ui.py: text is measured and cut the way LINE counts it (UTF-16 code units)."""

from __future__ import annotations

import pytest

from handlers.ui import clip, utf16_len


@pytest.mark.parametrize(
    ("text", "units"),
    [("", 0), ("abc", 3), ("あいう", 3), ("😀", 2), ("👍🏻", 4), ("電球😀", 4)],
)
def test_length_is_counted_in_utf16_code_units(text: str, units: int) -> None:
    assert utf16_len(text) == units


@pytest.mark.parametrize(
    ("text", "limit", "clipped"),
    [
        ("abc", 3, "abc"),  # it fits: unchanged, no ellipsis
        ("あいうえお", 3, "あい…"),
        ("😀😀😀", 4, "😀…"),  # never half an emoji
        ("a😀b", 2, "a…"),
        ("a😀b", 3, "a…"),  # the emoji would need two units with the ellipsis
        ("電球が切れた", 5, "電球が切…"),
    ],
)
def test_clip_cuts_to_the_limit_without_splitting_a_character(text: str, limit: int, clipped: str) -> None:
    assert clip(text, limit) == clipped
    assert utf16_len(clip(text, limit)) <= limit


def test_clip_takes_another_ellipsis() -> None:
    assert clip("あいうえお", 4, ellipsis="...") == "あ..."
