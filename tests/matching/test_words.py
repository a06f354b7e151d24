"""The words people say that steer the bot (matching/words.toml), read as tables."""

from __future__ import annotations

import pytest

from matching.words import (
    asks_for_a_person,
    asks_what_now,
    command_key,
    command_words,
    ends_relay,
    hints_a_request,
    is_no,
    is_pleasantry,
    is_trouble,
    is_unsure,
    is_yes,
    offers_to_do,
    says_stop_supporting,
    words,
)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("やめる", "やめる"),
        (" や める ", "やめる"),
        ("ＣＡＮＣＥＬ", "cancel"),
        ("Help", "help"),
        ("ﾒﾆｭｰ", "めにゅー"),
        ("メニュー！", "めにゅー"),
        ("やめます。", "やめます"),
        ("ﾔﾒﾙ🙇\u200d♀️", "やめる"),
        ("退会したいです", "退会したい"),
        ("です", "です"),
    ],
)
def test_command_keys_ignore_width_spaces_case_marks_and_a_last_desu(typed: str, key: str) -> None:
    assert command_key(typed) == key


def test_every_command_has_words_and_no_word_belongs_to_two_commands() -> None:
    seen: dict[str, str] = {}
    for name, said in words().commands.items():
        assert said, name
        for word in said:
            assert seen.setdefault(command_key(word), name) == name, word


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("cancel", "やめる"),
        ("said_stop", "もういい"),
        ("checkin_done", "終わりました"),
        ("desk", "ようたいおう"),
    ],
)
def test_command_words(name: str, word: str) -> None:
    assert word in command_words(name)


@pytest.mark.parametrize(
    ("text", "offer"),
    [
        ("料理を教えたい", True),
        ("子ども食堂を手伝ってみたい", True),
        ("ボランティアしたい", True),
        ("スマホを使ってみたいけど、わからない", False),
        ("電球が切れて困っている", False),
        ("こんにちは", False),
    ],
)
def test_offers_to_do(text: str, offer: bool) -> None:
    assert offers_to_do(text) is offer


@pytest.mark.parametrize(
    ("text", "category", "trouble"),
    [
        ("電球が切れて困っている", "repair", True),
        ("電球が切れて困っている", None, False),
        ("電球の交換を手伝いたい", "repair", False),
        ("電球を替えてみたい", "repair", False),
    ],
)
def test_is_trouble(text: str, category: str | None, trouble: bool) -> None:
    assert is_trouble(text, category) is trouble


@pytest.mark.parametrize(
    ("text", "hint"),
    [("助けてください", True), ("お願いがあります", True), ("できない", True), ("天気がいい", False)],
)
def test_hints_a_request(text: str, hint: bool) -> None:
    assert hints_a_request(text) is hint


@pytest.mark.parametrize(
    ("text", "pleasantry"),
    [
        ("よろしくお願いします", True),
        ("ありがとうございました！", True),
        ("はい", True),
        ("🙏", True),
        ("ＯＫ", True),
        ("", False),
        ("   ", False),
        ("よろしく、電球を替えて", False),
    ],
)
def test_is_pleasantry(text: str, pleasantry: bool) -> None:
    assert is_pleasantry(text) is pleasantry


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        ("はい", True),
        ("はい、お願いします！", True),
        ("OK", True),
        ("それで", True),
        ("いいです", False),  # often "no, thank you"
        ("はいけん", False),
        ("", False),
        # As typed by elderly people, in the regions, with emoji and punctuation.
        ("そうです", True),
        ("ええ、そうです。", True),
        ("うん、たのむ", True),
        ("はいっ！🙏", True),
        ("そやそや", True),
        ("んだ", True),
        ("ほうじゃ", True),
        ("はよ来て", True),
        ("いのちにかかわります", True),
        ("大丈夫じゃない", True),
        ("だいじょうぶやない", True),
        ("そうじゃない", False),
        ("そうじ", False),
    ],
)
def test_is_yes(text: str, yes: bool) -> None:
    assert is_yes(text) is yes


@pytest.mark.parametrize(
    ("text", "no"),
    [
        ("いいえ", True),
        ("大丈夫です", True),
        ("急ぎじゃないです", True),
        ("はい", False),
        ("いいえ、倒れた", False),
        ("いや、だいじょうぶ", True),
        ("ちがうちがう", True),
        ("いいや", True),
        ("いんや", True),
        ("ううん", True),
        ("大丈夫です、ありがとう", True),
        ("いいえ大丈夫です。ありがとうございます", True),
        ("へいきです😊", True),
        ("急ぎません", True),
        ("命にはかかわりません", True),
        ("そうじゃない", True),
        ("大丈夫や", True),
        ("大丈夫じゃない", False),  # not fine at all
        ("大丈夫やない", False),
        ("大丈夫やけど", False),  # "fine, but …"
        ("うん", False),
    ],
)
def test_is_no(text: str, no: bool) -> None:
    assert is_no(text) is no


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("わからん", True),
        ("よくわからん…", True),
        ("分かりません", True),
        ("どうかな", True),
        ("まよってる", True),
        ("わかりました", False),
        ("スマホがわからん", False),
    ],
)
def test_is_unsure(text: str, unsure: bool) -> None:
    assert is_unsure(text) is unsure


@pytest.mark.parametrize(
    ("text", "person", "what_now"),
    [
        ("コーディネーターさんにつないで", True, False),
        ("ほかの人にたのめんかね", True, False),
        ("だれか相談できる人はおらんかね", True, False),
        ("じゃあどうしたらいい", False, True),
        ("どこに電話したらいい？", False, True),
        ("わかりました", False, False),
    ],
)
def test_follow_ups_after_a_refusal(text: str, person: bool, what_now: bool) -> None:
    assert (asks_for_a_person(text), asks_what_now(text)) == (person, what_now)


@pytest.mark.parametrize(
    ("text", "stop"),
    [
        ("サポーターをやめたい", True),
        ("サポーター登録を解除して", True),
        ("さぽーたー やめます", True),
        ("サポーターになりたい", False),
        ("やめたい", False),
    ],
)
def test_says_stop_supporting(text: str, stop: bool) -> None:
    assert says_stop_supporting(text) is stop


@pytest.mark.parametrize(
    ("text", "ends"),
    [("おわる", True), (" 終わる ", True), ("おわり", True), ("終わりました", False), ("終", False)],
)
def test_ends_relay(text: str, ends: bool) -> None:
    assert ends_relay(text, "おわる") is ends
