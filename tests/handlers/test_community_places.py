"""Finding the community's places in chat: whole dialogues through signed webhooks, the clock moved; food
offered goes first to a place that needs it this week."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from db.models import CommunityPlace, FoodGift
from handlers.community_places import distance_text
from tests.handlers.dialogue import RESIDENT_HOME, tap_label
from tests.handlers.places_town import seed_town
from tests.support import Chat, FakeClock


def _cli(database_url: str, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    return result.stdout


def _flex(chat: Chat, user: str) -> dict[str, Any]:
    return next(m for m in reversed(chat.stub.messages_for(user)) if m["type"] == "flex")


def _names(message: dict[str, Any]) -> list[str]:
    return [bubble["body"]["contents"][0]["text"] for bubble in message["contents"]["contents"]]


def test_a_search_in_kana_asks_where_then_shows_the_nearest_with_the_next_opening(
    chat: Chat, db_session: Session
) -> None:
    seed_town(db_session)
    user = chat.user("hana", "花")
    assert chat.say(user, "こどもしょくどう　どこ？") == [
        "どのあたりで探しますか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
    ]
    answer = chat.location(user, *RESIDENT_HOME, address="東京都世田谷区世田谷4丁目21-27")
    assert answer[0].endswith("「行き方」を押すと、地図を送ります。")
    card = _flex(chat, user)
    assert _names(card) == ["ひまわりこども食堂"]  # only cafeterias for children, and not the one in Osaka
    body = json.dumps(card, ensure_ascii=False)
    for shown in (
        "こども食堂",
        "約600m",
        "今日 17:00〜19:00",
        "子ども無料・大人300円",
        "毎週水曜 17:00-19:00",
    ):
        assert shown in body, shown
    assert tap_label(chat, user, "行き方") == ["[location] ひまわりこども食堂の住所"]


def test_today_only_and_then_the_next_day(chat: Chat, db_session: Session, clock: FakeClock) -> None:
    seed_town(db_session)
    user = chat.user("ken", "健")
    chat.say(user, "今日やってる食堂ある？")
    chat.location(user, *RESIDENT_HOME)
    assert _names(_flex(chat, user)) == ["ひまわりこども食堂"]  # the Saturday cafeteria is not open today
    clock.advance(days=1)  # Thursday: nothing opens today; the nearest are shown with their next day
    answer = chat.say(user, "きょうやってるしょくどう")  # the place given once is remembered
    assert answer[0].startswith("今日開くところは、近くにありませんでした。")
    body = json.dumps(_flex(chat, user), ensure_ascii=False)
    assert "12月2日（水） 17:00〜19:00" in body
    assert "11月28日（土） 11:30〜13:30" in body


def test_a_location_alone_shows_every_kind_of_place_nearby(chat: Chat, db_session: Session) -> None:
    seed_town(db_session)
    user = chat.user("yoko", "陽子")
    chat.location(user, *RESIDENT_HOME)
    card = _flex(chat, user)
    assert _names(card)[0] == "みんなのおうち せたがや"
    assert "いま開いています（16:00まで）" in json.dumps(card, ensure_ascii=False)
    assert "なにわこども食堂" not in _names(card)


def test_a_typed_town_and_nothing_of_that_kind_nearby(chat: Chat, db_session: Session) -> None:
    seed_town(db_session)
    user = chat.user("taro", "太郎")
    chat.say(user, "近所のサロンを教えて")
    assert chat.say(user, "ほげほげ")[0].startswith("ごめんなさい。場所が分かりませんでした。")
    answer = chat.say(user, "世田谷区太子堂")
    assert answer[0].startswith("ごめんなさい。近く（15km以内）に、登録されている場所がありませんでした。")


def test_a_town_name_in_several_places_is_asked_about_when_searching(chat: Chat, db_session: Session) -> None:
    """「太子堂」 alone got 「場所が分かりませんでした」 (six places have that name): the 区 or 市 is asked
    for."""
    seed_town(db_session)
    user = chat.user("taro", "太郎")
    chat.say(user, "近くの食堂を教えて")
    assert chat.say(user, "太子堂")[0].startswith("「太子堂」という町は、いくつかの場所にあります。")
    chat.say(user, "世田谷区")
    assert "こども食堂" in json.dumps(_flex(chat, user), ensure_ascii=False)


def test_an_offer_to_help_at_a_cafeteria_is_still_an_offer(chat: Chat, db_session: Session) -> None:
    seed_town(db_session)
    user = chat.user("alice")
    assert "すてきです" in chat.say(user, "子ども食堂を手伝ってみたい")[0]


def test_food_offers_are_pointed_to_a_place_that_takes_that_food_and_kept_for_coordinators(
    chat: Chat, db_session: Session, database_url: str
) -> None:
    seed_town(db_session)
    farmer = chat.user("nouka", "農家")
    assert chat.say(farmer, "畑の野菜が余ってます")[0].startswith(
        "ありがとうございます！「野菜」を受け付けている場所を探します。"
    )
    answer = chat.location(farmer, *RESIDENT_HOME)
    assert answer[0].startswith("ありがとうございます！\n「野菜」を受け付けている、近くの場所です。")
    card = _flex(chat, farmer)
    assert _names(card)[0] == "まちの食品受付"
    assert "月・水・金 10:00-15:00" in json.dumps(card, ensure_ascii=False)
    # Canned food: the drop-off takes it; the place pointed to is kept with the offer.
    chat.say(farmer, "缶詰を寄付したい")
    assert _names(_flex(chat, farmer))[0] == "まちの食品受付"
    gifts = db_session.scalars(select(FoodGift).order_by(FoodGift.id)).all()
    assert [(g.foods, g.place_id is not None, g.passed_on_at) for g in gifts] == [
        (["野菜"], True, None),
        (["缶詰"], True, None),
    ]
    assert "waiting\t野菜\tまちの食品受付" in _cli(database_url, "places", "food")
    _cli(database_url, "places", "food-done", str(gifts[0].id))
    waiting = _cli(database_url, "places", "food")
    assert "野菜" not in waiting and "缶詰" in waiting
    everything = _cli(database_url, "places", "food", "--all")
    assert "passed on\t野菜" in everything and "waiting\t缶詰" in everything
    report = CliRunner().invoke(
        main, ["report", "--month", "2026-11", "--json"], env={"DATABASE_URL": database_url}
    )
    # November 2026: 4 + 4 Wednesdays (two cafeterias), 2 Saturdays, 21 weekdays, 13 drop-off days.
    assert json.loads(report.stdout)["places"] | {"food_passed_on": 0} == {
        "openings": 44,
        "food_offers": 2,
        "food_passed_on": 0,
        "shifts": 0,
        "shifts_filled": 0,
        "shift_helpers": 0,
        "classes": 0,
        "class_seats": 0,
    }


def test_asking_for_food_is_a_request_not_an_offer(chat: Chat, db_session: Session) -> None:
    seed_town(db_session)
    user = chat.user("ume", "うめ")
    chat.say(user, "野菜を買ってきてほしい")
    assert db_session.scalar(select(FoodGift)) is None


def test_erasing_a_giver_keeps_the_count_but_not_the_words(
    chat: Chat, db_session: Session, database_url: str
) -> None:
    seed_town(db_session)
    giver = chat.user("mika", "美香")
    chat.say(giver, "みかんがたくさんとれたので寄付したいです。美香")
    result = CliRunner().invoke(
        main, ["members", "erase", giver, "--yes"], env={"DATABASE_URL": database_url}
    )
    assert result.exit_code == 0, result.output
    gift = db_session.scalar(select(FoodGift))
    assert gift is not None and (gift.text, gift.member_id, gift.foods) == ("", None, ["果物"])


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
    card = _flex(chat, farmer)
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
    assert _names(_flex(chat, farmer))[0] == "まちの食品受付"
    assert "今週ほしいもの" not in json.dumps(_flex(chat, farmer), ensure_ascii=False)


@pytest.mark.parametrize(
    ("km", "said"),
    [
        (0.0, "約100m"),
        (0.04, "約100m"),
        (0.26, "約300m"),
        (0.84, "約800m"),
        (1.0, "約1.0km"),
        (2.46, "約2.5km"),
    ],
)
def test_a_distance_is_said_in_hundreds_of_metres_then_kilometres(km: float, said: str) -> None:
    assert distance_text(km) == said
