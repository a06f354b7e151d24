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


@pytest.mark.parametrize("said", ["メニュー！", "めにゅー", "使い方。", "退会したいです", "ﾍﾙﾌﾟ"])
def test_commands_with_marks_kana_or_a_polite_desu(chat: Chat, said: str) -> None:
    user = chat.user("alice")
    answer = chat.say(user, said)
    assert answer[0].startswith(("使い方です。", "退会すると")), answer
