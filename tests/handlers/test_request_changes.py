"""Changing a request from 自分の依頼, in typed words: its day and time, its place, a detail."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from tests.handlers.cycle import carded, matched
from tests.handlers.dialogue import tap_label
from tests.support import Chat

# Pushes the worker would send within seconds are read as sent (see SweptChat).
pytestmark = pytest.mark.swept


def _request(db_session: Session) -> HelpRequest:
    db_session.expire_all()
    request = db_session.scalar(select(HelpRequest))
    assert request is not None
    return request


def test_a_new_time_typed_reaches_the_supporter_who_may_give_it_back(chat: Chat, db_session: Session) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    chat.say(match.resident, "自分の依頼")
    asked = tap_label(chat, match.resident, "日時を変える")
    assert asked[0].startswith("今は「11月26日(木) 14:00」です。いつに変えますか？")
    assert chat.say(match.resident, "あしたの15時") == [
        "日時を「11月26日(木) 15:00」に変えました。\n佐藤一郎さんにも、伝えました。"
    ]
    assert chat.new_texts(match.supporter) == [
        "【電球・修理】の依頼の日時が、「11月26日(木) 15:00」に変わりました。\n"
        "都合が悪くなったときは、「行けなくなった」を押してください。"
    ]
    assert _request(db_session).wanted_at is not None
    confirm = tap_label(chat, match.supporter, "行けなくなった")
    assert confirm[0].startswith("【電球・修理】（11月26日(木) 15:00）の引き受けを、やめますか？")


def test_place_and_detail_on_an_open_request(chat: Chat, db_session: Session) -> None:
    waiting = carded(chat, when=None)
    chat.say(waiting.resident, "自分の依頼")
    tap_label(chat, waiting.resident, "場所を変える")
    changed = chat.say(waiting.resident, "世田谷区太子堂")
    assert changed[0].endswith("場所を「世田谷区太子堂」に変えました。")
    assert _request(db_session).area == "世田谷区太子堂"

    chat.say(waiting.resident, "自分の依頼")
    assert tap_label(chat, waiting.resident, "書き足す")[0].startswith("付け足すことを書いて送ってください。")
    chat.say(waiting.resident, "脚立はうちにあります")
    assert _request(db_session).text.endswith("（追加）脚立はうちにあります")

    chat.say(waiting.resident, "自分の依頼")
    tap_label(chat, waiting.resident, "日時を変える")
    assert chat.say(waiting.resident, "いつでもいいです") == ["日時を「いつでも」に変えました。"]
    assert chat.say(waiting.resident, "やめる")[0].startswith("今、進めている手続きはありません。")


@pytest.mark.parametrize("typed", ["あさってにしてほしい", "ひにちかえたい", "時間かえてほしいんやけど"])
def test_a_new_day_asked_for_in_words_asks_when_and_passes_nothing_on(chat: Chat, typed: str) -> None:
    """These were written on the request as a detail and passed to the supporter as one."""
    match = matched(chat, when="2026-11-26T14:00")
    asked = chat.say(match.resident, typed)
    assert asked[0].startswith("今は「11月26日(木) 14:00」です。いつに変えますか？")
    assert chat.new_texts(match.supporter) == []
    assert chat.say(match.resident, "あさってのにじ") == [
        "日時を「11月27日(金) 14:00」に変えました。\n佐藤一郎さんにも、伝えました。"
    ]


def test_a_wish_made_nicer_is_still_a_detail(chat: Chat) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    assert chat.say(match.resident, "きれいにしてほしい")[0].startswith(
        "【電球・修理】の依頼に、書き加えました。"
    )
