"""handlers/commands.py: which words run which command, as a table."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest, RequestStatus
from handlers import commands, texts
from matching.words import words
from tests.handlers.dialogue import submit_request
from tests.support import Chat, actions_in


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("やめる", "cancel"),
        (" キャンセル ", "cancel"),
        ("もういい", "said_stop"),
        ("使い方", "help"),
        ("HELP", "help"),
        ("登録情報", "my_data"),
        ("退会", "leave"),
        ("自分の依頼", "my_requests"),
        ("サポーターになる", "become_supporter"),
        ("サポーター", "supporter_tile"),
        ("お休みする", "pause"),
        ("再開", "resume"),
        ("やってみたい", "offer"),
        ("困りごとを相談", "request"),
        ("メッセージを送る", "relay"),
        ("シフト", "shifts"),
        ("行けなくなった", "drop"),
        ("完了した", "checkin_done"),
        ("まだ", "checkin_later"),
        ("来なかった", "checkin_noshow"),
        ("電球が切れた", None),
        ("やめたいけど", None),
    ],
)
def test_words_run_their_command(typed: str, name: str | None) -> None:
    found = commands.command_of(typed)
    assert (found.name if found else None) == name


def test_every_button_of_the_main_menu_is_a_command() -> None:
    for label in (
        texts.MENU_REQUEST,
        texts.MENU_OFFER,
        texts.MENU_SUPPORTER,
        texts.MENU_ACCEPTED,
        texts.MENU_SUPPORTER_SETTINGS,
        texts.MENU_MY_REQUESTS,
        texts.MENU_HELP,
    ):
        assert commands.command_of(label) is not None, label


def test_every_word_list_runs_a_command() -> None:
    named = {command.name for command in commands.COMMANDS.values()}
    # The desk's words are read by their own route (coordinators only).
    assert set(words().commands) - {"desk"} <= named


def _requests_with(session: Session, status: RequestStatus) -> int:
    return session.scalar(select(func.count()).where(HelpRequest.status == status)) or 0


def test_wanting_to_stop_can_be_said_in_ones_own_words(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    for said in ("やめたい", "キャンセルしたい", "もういい", "やっぱりやめます", "もういいです"):
        chat.say(user, "電球が切れた")
        assert chat.say(user, said) == ["わかりました。やめました。\nまた、いつでも送ってください。"], said
    assert _requests_with(db_session, RequestStatus.DRAFT) == 0
    submit_request(chat, user, "電球が切れた")
    # Nothing half-done: the words are about the request sent, which is named and confirmed with a tap.
    assert chat.say(user, "キャンセルしたい") == ["【電球・修理】の依頼を、取り消しますか？"]
    assert [a["label"] for a in actions_in(chat.stub.messages_for(user)[-1])] == ["取り消す", "取り消さない"]
    assert _requests_with(db_session, RequestStatus.OPEN) == 1
    # 「やめる」 alone may leave the question or say yes to it: asked once more, nothing cancelled.
    assert chat.say(user, "やめる") == [
        "ごめんなさい。どちらか分かりませんでした。\n「取り消す」か「取り消さない」を押してください。"
    ]
    assert _requests_with(db_session, RequestStatus.OPEN) == 1
    assert chat.say(user, "やめる") == [
        "今、進めている手続きはありません。\n出した依頼を取り消すときは、「自分の依頼」を押してください。"
    ]
    assert chat.stub.messages_for(user)[-1]["quickReply"]["items"][0]["action"]["text"] == "自分の依頼"


@pytest.mark.parametrize(
    "said",
    [
        "やめます。",
        "やめる！",
        "やっぱりやめときます",
        "やめておきます",
        "ｷｬﾝｾﾙします",
        "とりけし🙇",
        "もうええわ",
        "ヤメル",
    ],
)
def test_stopping_at_a_step_as_people_type_it(chat: Chat, db_session: Session, said: str) -> None:
    """With a 。, an emoji, in katakana or dialect: the step is left, never asked again and again."""
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, 35.6466, 139.6532)
    assert chat.say(user, said) == ["わかりました。やめました。\nまた、いつでも送ってください。"]
    assert _requests_with(db_session, RequestStatus.DRAFT) == 0


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("place", "やっぱりやめとくわ"),
        ("when", "やめときますね"),
        ("when", "ごめん、やっぱりやめときます"),
        ("confirm", "もうええです、すんません"),
        ("confirm", "キャンセルでお願いしますね"),
        ("when", "もういいよ😢"),
    ],
)
def test_stopping_with_a_word_of_courtesy_or_a_dialect_ending(
    chat: Chat, db_session: Session, step: str, said: str
) -> None:
    """The stop words said with a わ, ね or よ at the end, or a すんません or ごめん beside them, were not
    heard: the step's hint came back (「場所が分かりませんでした」), again and again, and the draft stayed."""
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    if step != "place":
        chat.location(user, 35.6466, 139.6532)
    if step == "confirm":
        chat.say(user, "いつでも")
    assert chat.say(user, said) == ["わかりました。やめました。\nまた、いつでも送ってください。"]
    assert _requests_with(db_session, RequestStatus.DRAFT) == 0


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("place", "やめじゃ"),
        ("place", "もうやめや"),
        ("when", "やめだ"),
        ("when", "やめやめ"),
        ("when", "やっぱやめるわ"),
        ("confirm", "もうけっこうです"),
        ("confirm", "取り消してください"),
        ("place", "やめとこうかのう"),
        ("when", "やめにしとく"),
    ],
)
def test_stopping_with_the_noun_yame_or_in_other_words_elders_type(
    chat: Chat, db_session: Session, step: str, said: str
) -> None:
    """「やめじゃ」「やめや」 (やめ with a 広島 or 関西 copula), 「やっぱやめるわ」, 「もうけっこうです」,
    「取り消してください」 got the step's hint back (「場所が分かりませんでした」) and the draft stayed."""
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    if step != "place":
        chat.location(user, 35.6466, 139.6532)
    if step == "confirm":
        chat.say(user, "いつでも")
    assert chat.say(user, said) == ["わかりました。やめました。\nまた、いつでも送ってください。"]
    assert _requests_with(db_session, RequestStatus.DRAFT) == 0


def test_a_stop_word_inside_other_words_is_still_no_stop() -> None:
    for typed in ("やめたいけど", "やめといてって言われた", "もういいよって言ったのに"):
        assert commands.command_of(typed) is None, typed


@pytest.mark.parametrize("said", ["メニュー！", "めにゅー", "使い方。", "退会したいです", "ﾍﾙﾌﾟ"])
def test_commands_with_marks_kana_or_a_polite_desu(chat: Chat, said: str) -> None:
    user = chat.user("alice")
    answer = chat.say(user, said)
    assert answer[0].startswith(("使い方です。", "退会すると")), answer


@pytest.mark.parametrize(
    ("typed", "first_line"),
    [
        # The rich menu's words typed, in kana or half-width katakana, as elders type them.
        ("たのみたい", "困りごとを、そのまま書いて送ってください。"),
        ("ﾀﾉﾐﾀｲ", "困りごとを、そのまま書いて送ってください。"),
        ("そうだんしたいことがあるんやけど", "困りごとを、そのまま書いて送ってください。"),
        (
            "てつだいたい",
            "どんなことを、やってみたいですか？",
        ),  # was read as いたい: 今すぐ命にかかわりますか？
        ("なにかてつだいたい", "どんなことを、やってみたいですか？"),
        ("なんかやってみてえな", "どんなことを、やってみたいですか？"),
        ("いらいをみたい", "今、出している依頼はありません。"),
        ("たのんだことどうなった", "今、出している依頼はありません。"),
        ("いらいをとりけしたい", "今、出している依頼はありません。"),
        ("つかいかたがわからん", "使い方です。"),  # was a スマホ・パソコン request
        ("どげんすればよかと", "使い方です。"),
        ("たすかりましたありがとう", "ご連絡ありがとうございます。"),
        ("こんにちは げんきです", "ご連絡ありがとうございます。"),
    ],
)
def test_menu_words_typed_as_elders_type_them(chat: Chat, typed: str, first_line: str) -> None:
    """Each got 「ごめんなさい。よく分かりませんでした。」, a request flow, or the emergency question."""
    user = chat.user("alice")
    chat.follow(user)
    answer = chat.say(user, typed)
    assert len(answer) >= 1 and answer[0].startswith(first_line), answer


@pytest.mark.parametrize(
    ("typed", "first_line"),
    [
        ("わたしのじょうほうをみたい", "「お互いさま」が記録している"),
        ("じぶんのとうろくをみたい", "「お互いさま」が記録している"),
    ],
)
def test_own_data_asked_for_in_kana_is_shown(chat: Chat, typed: str, first_line: str) -> None:
    user = chat.user("alice")
    chat.follow(user)
    assert chat.say(user, typed)[0].startswith(first_line)


@pytest.mark.parametrize(
    "typed", ["わたしのでーたをけしてほしい", "たいかいしたい", "とうろくをけして", "りようをやめたい"]
)
def test_erasing_asked_for_in_words_is_asked_once_more_and_not_now_keeps_it(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """「わたしのでーたをけしてほしい」 started a request; the others got 「よく分かりませんでした」."""
    user = chat.user("alice")
    chat.follow(user)
    submit_request(chat, user, "電球が切れて替えられない")
    answer = chat.say(user, typed)
    assert answer[0].startswith("退会すると、") and answer[0].endswith(texts.LEAVE_CONFIRM_QUESTION)
    assert chat.say(user, "あとで") == [texts.LEAVE_KEPT]
    assert db_session.scalar(select(func.count()).where(HelpRequest.status == RequestStatus.OPEN)) == 1
