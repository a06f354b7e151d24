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


def test_the_sample_town_has_a_master_with_a_coming_class(db_session: Session, database_url: str) -> None:
    from bot.dev.demo.personas import PERSONAS
    from bot.dev.demo.seed import seed
    from db.engine import make_engine, make_session_factory
    from db.models import Master, MasterClass

    engine = make_engine(database_url)
    try:
        for _ in range(2):
            seed(make_session_factory(engine), PERSONAS)
    finally:
        engine.dispose()
    masters = db_session.scalars(select(Master)).all()
    assert [(m.skill, m.member.display_name, m.active) for m in masters] == [
        ("しめ縄づくり", "渡辺 昭", True)
    ]
    lessons = db_session.scalars(select(MasterClass)).all()
    assert [(c.title, c.capacity, c.place_text) for c in lessons] == [
        ("しめ縄づくりの教室", 5, "みんなのおうち しもうま")
    ]
