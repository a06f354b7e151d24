"""db/places.py: the week a need is for, and food offers, every one or those waiting (real database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from db import places
from db.models import FoodGift
from matching.opening import JST
from tests.db.repo import NOW, member


def test_all_gifts_keeps_those_passed_on_and_waiting_gifts_does_not(session: Session) -> None:
    giver = member(session, "giver")
    passed = FoodGift(member_id=giver.id, text="野菜", foods=["野菜"], passed_on_at=NOW)
    waiting = FoodGift(member_id=giver.id, text="お米", foods=["お米"])
    session.add_all([passed, waiting])
    session.flush()
    assert places.all_gifts(session) == [passed, waiting]
    assert places.waiting_gifts(session) == [waiting]


@pytest.mark.parametrize(
    ("now", "monday"),
    [
        (datetime(2026, 11, 25, 10, tzinfo=JST), date(2026, 11, 23)),  # a Wednesday
        (datetime(2026, 11, 23, 0, 0, tzinfo=JST), date(2026, 11, 23)),  # Monday itself
        (datetime(2026, 11, 29, 23, 59, tzinfo=JST), date(2026, 11, 23)),  # the Sunday ends it
        (datetime(2026, 11, 29, 15, 30, tzinfo=UTC), date(2026, 11, 30)),  # already Monday in Tokyo
        (datetime(2027, 1, 1, 12, tzinfo=JST), date(2026, 12, 28)),  # across the year's end
    ],
)
def test_week_of_is_the_local_monday(now: datetime, monday: date) -> None:
    assert places.week_of(now) == monday
