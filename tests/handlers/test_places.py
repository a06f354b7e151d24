"""handlers/places.py: a location is checked and given a town-level area; a typed place keeps its words."""

from __future__ import annotations

import math

import pytest

from handlers import texts
from handlers.places import Place, place_from_location, typed_place
from matching.geocode import Located
from tests.handlers.dialogue import last, tap_label
from tests.support import Chat, actions_in

SETAGAYA = (35.6466, 139.6532)


@pytest.mark.parametrize(
    ("lat", "lon", "address", "title", "expected"),
    [
        (
            *SETAGAYA,
            "〒154-0017 東京都世田谷区世田谷4丁目21-27",
            None,
            Place(*SETAGAYA, "〒154-0017 東京都世田谷区世田谷4丁目21-27", "東京都世田谷区世田谷"),
        ),
        (*SETAGAYA, None, "三軒茶屋駅", Place(*SETAGAYA, "三軒茶屋駅", "")),  # the title when no address
        (*SETAGAYA, "  ", None, Place(*SETAGAYA, "", "")),
        (0.0, 0.0, "x", None, None),  # the null island a broken phone sends
        (91.0, 139.0, "x", None, None),
        (37.77, -122.4, "San Francisco", None, None),  # outside Japan
        (math.nan, 139.0, "x", None, None),
    ],
)
def test_a_location_is_checked_and_given_a_town_level_area(
    lat: float, lon: float, address: str | None, title: str | None, expected: Place | None
) -> None:
    assert place_from_location(lat, lon, address, title) == expected


def test_a_long_address_is_cut_to_what_is_stored() -> None:
    place = place_from_location(*SETAGAYA, "東京都世田谷区" + "あ" * 400, None)
    assert place is not None and len(place.address) == 300


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("世田谷区太子堂2丁目のあたり", "世田谷区太子堂2丁目のあたり"),  # more than the town: kept as written
        ("太子堂", "東京都世田谷区太子堂"),  # no more than the town: the town in full
    ],
)
def test_a_typed_place_keeps_the_words_and_shows_only_the_town(typed: str, address: str) -> None:
    located = Located(35.6436, 139.6710, "東京都", "世田谷区", "太子堂", "town")
    place = typed_place(typed, located)
    assert (place.address, place.area) == (address, located.label)


def test_near_home_with_no_place_saved_asks_for_the_area_at_every_place_step(chat: Chat) -> None:
    """「うちのちかく」 before any place was saved: the place search, 名人登録 and supporter registration
    answered 「場所が分かりませんでした」, as if the words were wrong; each now asks for the area, as the
    request's place step does."""
    alice = chat.user("alice")
    chat.say(alice, "うちのちかくのこども食堂")
    assert chat.say(alice, "うちのちかく") == [texts.PLACE_NO_HOME]
    assert [a["type"] for a in actions_in(last(chat, alice))] == ["location", "postback"]  # やめる too
    chat.say(alice, "やめる")
    chat.say(alice, "電球が切れて替えられない")
    assert chat.say(alice, "ｳﾁﾉﾁｶｸ") == [texts.PLACE_NO_HOME]
    chat.say(alice, "やめる")
    chat.say(alice, "サポーターになる")
    chat.say(alice, "買い物")
    tap_label(chat, alice, "次へ")
    assert chat.say(alice, "うちの近く") == [texts.PLACE_NO_HOME]
    assert chat.say(alice, "三茶")[0] == "世田谷区三軒茶屋のあたりですね。"
    bob = chat.user("bob")
    chat.say(bob, "名人登録")
    chat.say(bob, "しめ縄づくり")
    chat.say(bob, "公民館・集会所")
    assert chat.say(bob, "季節のときだけ")[0].startswith("お住まいのあたりを教えてください。")
    assert chat.say(bob, "自宅の近く") == [texts.PLACE_NO_HOME]
    assert [a["type"] for a in actions_in(last(chat, bob))] == ["location", "postback"]
    assert chat.say(bob, "154-0004") == ["名人・達人の登録：しめ縄づくり"]
