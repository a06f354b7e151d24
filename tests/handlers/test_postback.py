"""handlers/postback.py: postback data is parsed strictly, as a table (forged data is never ours)."""

from __future__ import annotations

import pytest

from handlers.postback import MAX_ID, decode, encode, int_field


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ("a=acc&r=12", {"a": "acc", "r": "12"}),
        ("a=cancel", {"a": "cancel"}),
        ("a=rq&s=&r=3", {"a": "rq", "s": "", "r": "3"}),
        ("", None),
        ("r=12", None),  # no action
        ("a=acc&a=pass", None),  # a field twice
        ("a=acc&r", None),  # not key=value
        ("a=x&" + "&".join(f"k{i}=1" for i in range(8)), None),  # more than 8 fields
        ("a=" + "x" * 400, None),  # longer than LINE allows
    ],
)
def test_decode(data: str, fields: dict[str, str] | None) -> None:
    assert decode(data) == fields


def test_encode_round_trips_and_refuses_what_line_would() -> None:
    assert decode(encode("ci", r=7, v="done")) == {"a": "ci", "r": "7", "v": "done"}
    with pytest.raises(ValueError):
        encode("x", t="y" * 400)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12", 12),
        ("0", 0),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),  # not a row id (a 32-bit column)
        ("-1", None),
        ("１２", None),  # full-width digits
        ("²", None),
        ("12a", None),
        ("", None),
    ],
)
def test_int_field(raw: str, value: int | None) -> None:
    assert int_field({"r": raw}, "r") == value
    assert int_field({}, "r") is None
