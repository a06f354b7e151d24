"""A small town of community places around the dialogue residents' home, for the places dialogues."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.places import PlaceRow, save_places
from matching.opening import parse_opening
from tests.handlers.dialogue import MID, NEAR, RESIDENT_HOME

OSAKA = (34.6937, 135.5023)


def _row(kind: str, name: str, point: tuple[float, float], opening: str, **extra: str) -> PlaceRow:
    return PlaceRow(
        0, kind, name, f"{name}の住所", point[0], point[1], opening, parse_opening(opening), "", **extra
    )


def seed_town(session: Session) -> None:
    """The clock of the tests starts on Wednesday 2026-11-25, 10:00 in Tokyo."""
    save_places(
        session,
        [
            _row(
                "kodomo_shokudo",
                "ひまわりこども食堂",
                NEAR,
                "毎週水曜 17:00-19:00、祝日は休み",
                price="子ども無料・大人300円",
            ),
            _row(
                "chiiki_shokudo",
                "みんなの食堂さくら",
                MID,
                "毎月第2・第4土曜 11:30～13:30",
                audience="どなたでも",
            ),
            _row("minna_no_ouchi", "みんなのおうち せたがや", RESIDENT_HOME, "平日 10:00-16:00"),
            _row(
                "food_dropoff",
                "まちの食品受付",
                MID,
                "月・水・金 10:00-15:00",
                accepts_food="野菜、米、缶詰、乾物",
            ),
            _row("kodomo_shokudo", "なにわこども食堂", OSAKA, "毎週水曜 17:00-19:00"),
        ],
    )
    session.commit()
