"""Searches for the community's places in many ways of writing, and texts that are not searches."""

from __future__ import annotations

import pytest

from matching.community import place_query

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
