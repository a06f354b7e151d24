"""matching/community.py: searches for the community's places in many ways of writing, texts that are not
searches, and food offers."""

from __future__ import annotations

import pytest

from matching.community import accepts, food_offer, place_query

KODOMO = ("kodomo_shokudo",)
CAFETERIAS = ("kodomo_shokudo", "chiiki_shokudo")

SEARCHES = [
    ("近くのこども食堂", KODOMO, False),
    ("近くの子ども食堂は？", KODOMO, False),
    ("ちかくの子供食堂ありますか", KODOMO, False),
    ("こどもしょくどう どこ", KODOMO, False),
    ("コドモショクドウ　ドコ", KODOMO, False),
    ("ｺﾄﾞﾓｼｮｸﾄﾞｳ どこ", KODOMO, False),
    ("子ども食堂", KODOMO, False),
    ("子ども食堂ある？", KODOMO, False),
    ("こども食堂😊", KODOMO, False),
    ("今日やってる食堂", CAFETERIAS, True),
    ("きょうやってるしょくどうある？", CAFETERIAS, True),
    ("今日開いてる子ども食堂ありますか", KODOMO, True),
    ("この辺に地域食堂ってある？", ("chiiki_shokudo",), False),
    ("みんなのおうちはどこですか", ("minna_no_ouchi",), False),
    ("近所のサロンを教えて", ("salon",), False),
    ("フードバンクの場所を知りたい", ("food_dropoff",), False),
    ("子ども食堂どこにあるん？", KODOMO, False),
    ("こども食堂どこやろか", KODOMO, False),
    ("こども食堂さ行きてえんだども、どこだべ", KODOMO, False),
    ("近くで無料でご飯食べられるところないかな", CAFETERIAS, False),
    ("子ども食堂に行ってみたい", KODOMO, False),
    ("居場所をさがしています", ("minna_no_ouchi",), False),
]

NOT_SEARCHES = [
    "子ども食堂を手伝ってみたい",
    "こども食堂でボランティアしたい",
    "子ども食堂まで送ってほしい",
    "子ども食堂に野菜を寄付したい",
    "電球が切れた",
    "こんにちは",
    "近くのスーパーまで買い物を頼みたい",
    "食堂で配膳を手伝いたい",
    "こども食堂を始めたい",
    "",
]


@pytest.mark.parametrize(("text", "kinds", "today"), SEARCHES)
def test_searches_are_read(text: str, kinds: tuple[str, ...], today: bool) -> None:
    query = place_query(text)
    assert query is not None, text
    assert set(query.kinds) == set(kinds), text
    assert query.today is today, text


@pytest.mark.parametrize("text", NOT_SEARCHES)
def test_offers_and_requests_are_not_searches(text: str) -> None:
    assert place_query(text) is None


FOOD = [
    ("野菜が余ってます", ("野菜",)),
    ("やさいがあまってます", ("野菜",)),
    ("お米を寄付したい", ("米",)),
    ("おこめ きふしたい", ("米",)),
    ("畑で大根がとれすぎて食べきれない🥕", ("野菜",)),
    ("みかんをたくさんもらって、おすそわけしたいです", ("果物",)),
    ("缶詰とお米を寄付します", ("米", "缶詰")),
    ("キャベツ余っとるけん、だれかもらってくれんね", ("野菜",)),
    ("食べ物を寄付したい", ("食品",)),
    ("玉ねぎ余っとるんよ", ("野菜",)),
]


@pytest.mark.parametrize(("text", "foods"), FOOD)
def test_food_offers_are_read(text: str, foods: tuple[str, ...]) -> None:
    offer = food_offer(text)
    assert offer is not None, text
    assert set(offer.foods) == set(foods), text


@pytest.mark.parametrize(
    "text",
    ["野菜を買ってきてほしい", "お米が重くて運べない", "近くのこども食堂", "電球が切れた", "寄付したい"],
)
def test_not_food_offers(text: str) -> None:
    assert food_offer(text) is None


def test_a_place_takes_the_foods_it_lists_or_any_when_it_lists_none() -> None:
    assert accepts("野菜、米", ("米",))
    assert not accepts("野菜、米", ("缶詰",))
    assert accepts("", ("缶詰",))
