"""The demo's sample town has two cafeterias, a hub and a food drop-off, seeded again without duplicates."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dev.demo.seed import seed_places
from db.models import CommunityPlace, PlaceShift


def test_the_sample_town_has_its_places_once(db_session: Session) -> None:
    for _ in range(2):
        seed_places(db_session)
        db_session.commit()
    kinds = sorted(db_session.scalars(select(CommunityPlace.kind)))
    assert kinds == ["chiiki_shokudo", "food_dropoff", "kodomo_shokudo", "minna_no_ouchi"]
    assert [shift.role for shift in db_session.scalars(select(PlaceShift))] == ["配膳"]
