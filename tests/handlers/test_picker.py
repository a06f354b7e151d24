"""handlers/picker.py: the one rule for which requests a 「どの依頼ですか？」 picker shows, as a table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from db.models import HelpRequest
from handlers.picker import SHOWN, shown

MONDAY = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def _request(request_id: int, days: int | None) -> HelpRequest:
    wanted = None if days is None else MONDAY + timedelta(days=days)
    return HelpRequest(id=request_id, text="", wanted_at=wanted, anytime=wanted is None)


@pytest.mark.parametrize(
    ("made", "order"),
    [
        ([(1, 3), (2, 1), (3, 2)], [2, 3, 1]),  # soonest first, whenever they were made
        ([(1, None), (2, 5), (3, None)], [2, 1, 3]),  # いつでも after the dated, in the order made
        ([(5, 1), (4, 1)], [4, 5]),  # the same time: the order they were made
        ([], []),
    ],
)
def test_soonest_first_then_anytime(made: list[tuple[int, int | None]], order: list[int]) -> None:
    assert [r.id for r in shown([_request(i, d) for i, d in made])] == order


def test_at_most_twelve_leaving_a_button_for_cancel() -> None:
    many = [_request(i, i) for i in range(1, 21)]
    assert SHOWN == 12
    assert [r.id for r in shown(list(reversed(many)))] == list(range(1, 13))
