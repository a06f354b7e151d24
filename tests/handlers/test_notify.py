"""handlers/notify.py: the card a supporter gets never carries the personal details written in a request
(name, room, phone, e-mail) before accept; every message received is inspected, lists of nearby needs too."""

from __future__ import annotations

import json

import pytest

from tests.handlers.dialogue import (
    MID,
    NEAR,
    RESIDENT_ADDRESS,
    RESIDENT_HOME,
    register_supporter,
    tap_label,
)
from tests.support import Chat

DETAILS = ("三軒茶屋", "203", "やまもと", "山本", "090", "1234", "5678", "yamamoto@example.jp")
REQUEST = (
    "ハイツ三軒茶屋の203に住んでいる、やまもとです。電球が切れて替えられない。"
    "電話は090-1234-5678、メールはyamamoto@example.jpです"
)


# Pushes the worker would send within seconds are read as sent (see SweptChat).
pytestmark = pytest.mark.swept


def _everything_received(chat: Chat, user: str) -> str:
    return json.dumps(chat.stub.messages_for(user), ensure_ascii=False)


def test_cards_and_lists_hide_names_rooms_and_numbers_until_accept(chat: Chat) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", MID)
    resident = chat.user("yamamoto", "山本花子")
    chat.follow(resident)
    chat.say(resident, REQUEST)
    chat.location(resident, *RESIDENT_HOME, address=RESIDENT_ADDRESS)
    tap_label(chat, resident, "いつでも")
    answer = tap_label(chat, resident, "依頼する")
    assert answer[-1].endswith("お名前や住所・電話番号は、引き受けた方にだけお伝えします。")

    for supporter in (sato, suzuki):
        received = _everything_received(chat, supporter)
        assert "お手伝いのお願い" in received
        assert [d for d in DETAILS if d in received] == []
        assert "電球が切れて替えられない" in received  # what the help is stays readable

    # Someone who would like to help lists nearby needs: the same rule.
    ito = chat.user("ito", "伊藤")
    chat.follow(ito)
    chat.say(ito, "サポーターになる")
    chat.say(ito, "電球の交換")
    tap_label(chat, ito, "次へ")
    chat.location(ito, *NEAR, address="東京都世田谷区")
    tap_label(chat, ito, "3km")
    tap_label(chat, ito, "登録する")
    tap_label(chat, ito, "同意する")
    assert "近くに、こんな困りごとがあります" in chat.say(ito, "電球の交換を手伝ってみたい")[0]
    assert [d for d in DETAILS if d in _everything_received(chat, ito)] == []

    details = tap_label(chat, sato, "引き受ける")[-2]
    assert "やまもと" in details and "090-1234-5678" in details
    assert [d for d in DETAILS if d in _everything_received(chat, suzuki)] == []
