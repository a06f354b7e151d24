"""A supporter stops being one, in words or with the button; what they held goes back to others."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Member
from tests.handlers.cycle import matched
from tests.handlers.dialogue import MID, register_supporter, tap_label
from tests.support import Chat

# Pushes the worker would send within seconds are read as sent (see SweptChat).
pytestmark = pytest.mark.swept


def _is_supporter(db_session: Session, user: str) -> bool:
    db_session.expire_all()
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    return member is not None and member.is_supporter


def test_stopping_in_words_gives_back_what_they_held(chat: Chat, db_session: Session) -> None:
    match = matched(chat, when=None)
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", MID)
    asked = chat.say(match.supporter, "サポーターをやめたいです")
    assert asked == [
        "サポーターを、やめますか？\nこれからは、お手伝いのお知らせが届かなくなります。\n"
        "引き受けている依頼（1件）は、ほかの方にお願いします。"
    ]
    assert _is_supporter(db_session, match.supporter)
    assert tap_label(chat, match.supporter, "やめる")[0].startswith("サポーターをやめました。")
    assert not _is_supporter(db_session, match.supporter)
    told = chat.new_texts(match.resident)
    assert told[0].startswith("佐藤一郎さんは、サポーターをやめました。")
    assert chat.new_texts(suzuki)[-1].startswith("お手伝いのお願い")
    # No more cards, and the menu offers サポーターになる again.
    items = chat.stub.messages_for(match.supporter)[-1]["quickReply"]["items"]
    assert "サポーターになる" in [i["action"]["label"] for i in items]


def test_the_settings_button_and_changing_ones_mind(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", MID)
    chat.say(sato, "サポーター設定")
    assert chat.say(sato, "サポーターをやめる")[0].startswith("サポーターを、やめますか？")
    assert tap_label(chat, sato, "続ける") == ["わかりました。これからも、よろしくお願いします。"]
    assert _is_supporter(db_session, sato)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    assert chat.say(resident, "サポーターやめます") == [
        "まだサポーターに登録していません。\n「サポーターになる」を押してください。"
    ]


@pytest.mark.parametrize("typed", ["もうてつだえん", "もう手伝えません", "お手伝いをやめたい"])
def test_stopping_without_the_word_supporter_is_asked_once_more(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """「もうてつだえん」 started a request (「どんなお手伝いですか？」)."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", MID)
    assert chat.say(sato, typed)[0].startswith("サポーターを、やめますか？")
    assert chat.say(sato, "また今度") == ["わかりました。これからも、よろしくお願いします。"]
    member = db_session.scalar(select(Member).where(Member.line_user_id == sato))
    assert member is not None and member.is_supporter
