"""db/places.py: food offers, every one or those waiting, on a real database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db import places
from db.models import FoodGift
from tests.db.repo import NOW, member


def test_all_gifts_keeps_those_passed_on_and_waiting_gifts_does_not(session: Session) -> None:
    giver = member(session, "giver")
    passed = FoodGift(member_id=giver.id, text="野菜", foods=["野菜"], passed_on_at=NOW)
    waiting = FoodGift(member_id=giver.id, text="お米", foods=["お米"])
    session.add_all([passed, waiting])
    session.flush()
    assert places.all_gifts(session) == [passed, waiting]
    assert places.waiting_gifts(session) == [waiting]
