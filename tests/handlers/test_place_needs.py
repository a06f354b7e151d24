"""A place's needs this week: set by command, food offers pointed to it first, coordinators see what waits."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import CommunityPlace, FoodGift
from tests.handlers.dialogue import RESIDENT_HOME
from tests.handlers.places_town import seed_town
from tests.support import Chat, FakeClock


def _cli(database_url: str, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    return result.stdout


def _card(chat: Chat, user: str) -> dict[str, Any]:
    return next(m for m in reversed(chat.stub.messages_for(user)) if m["type"] == "flex")


def _names(card: dict[str, Any]) -> list[str]:
    return [bubble["body"]["contents"][0]["text"] for bubble in card["contents"]["contents"]]


def test_food_goes_first_to_a_place_that_needs_it_this_week(
    chat: Chat, db_session: Session, database_url: str, clock: FakeClock
) -> None:
    seed_town(db_session)
    himawari = db_session.scalar(select(CommunityPlace.id).where(CommunityPlace.name == "ひまわりこども食堂"))
    # The test clock's week (Wednesday 25 November 2026).
    out = _cli(
        database_url,
        "places",
        "needs",
        str(himawari),
        "野菜",
        "お米",
        "--note",
        "夕方に",
        "--week",
        "2026-11-25",
    )
    assert out.strip() == "ひまわりこども食堂 needs this week: 野菜・米 夕方に"
    farmer = chat.user("nouka", "農家")
    chat.say(farmer, "大根がとれすぎて食べきれない")
    answer = chat.location(farmer, *RESIDENT_HOME)
    assert answer[0] == (
        "ありがとうございます！\nひまわりこども食堂が、今週「野菜」をほしがっています。\n"
        "開いている時間に、持って行ってください。"
    )
    card = _card(chat, farmer)
    assert _names(card)[:2] == ["ひまわりこども食堂", "まちの食品受付"]
    body = json.dumps(card, ensure_ascii=False)
    assert "今週ほしいもの" in body and "野菜・米 夕方に" in body and "今日 17:00〜19:00" in body
    # Soy sauce is not needed anywhere: the places that take it, as before.
    soy = chat.say(farmer, "醤油を寄付したい")
    assert soy[0].startswith("ありがとうございます！\n「調味料」を受け付けている")
    listing = _cli(database_url, "places", "needs", "--week", "2026-11-23")
    gift = db_session.scalars(select(FoodGift).order_by(FoodGift.id)).first()
    assert gift is not None and gift.place_id == himawari
    assert f"ひまわりこども食堂\t野菜・米\t夕方に\tfood offers waiting: {gift.id}" in listing
    # Next week the need has lapsed: the drop-off comes first again.
    clock.advance(days=7)
    chat.say(farmer, "野菜が余ってます")
    assert _names(_card(chat, farmer))[0] == "まちの食品受付"
    assert "今週ほしいもの" not in json.dumps(_card(chat, farmer), ensure_ascii=False)


def test_needs_need_a_food_a_place_can_take(database_url: str, db_session: Session) -> None:
    seed_town(db_session)
    result = CliRunner().invoke(main, ["places", "needs", "1", "ほげ"], env={"DATABASE_URL": database_url})
    assert result.exit_code == 2 and "野菜、米、果物" in result.output
