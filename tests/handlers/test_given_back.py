"""A request given back (行けなくなった, 来なかった, blocking the bot) goes back to everyone who fits."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from bot.dev.line_stub import events as ev
from tests.handlers.cycle import at, jst, submit
from tests.handlers.dialogue import FAR, MID, NEAR, last, register_supporter, tap_label
from tests.support import Chat, FakeClock, action_data

CARD = "お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"


# Pushes the worker would send within seconds are read as sent (see SweptChat).
pytestmark = pytest.mark.swept


@dataclass(frozen=True)
class Round:
    resident: str
    taker: str
    other: str
    passer: str
    old_card: str  # the taker's 引き受ける, as it stays in his chat


def _first_round(chat: Chat, when: str | None = "2026-11-26T14:00") -> Round:
    """Three supporters get the card: one passes, one accepts, the third is told it was taken."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", MID)
    kato = register_supporter(chat, "kato", "加藤三郎", "電球の交換", (35.6480, 139.6550))
    register_supporter(chat, "endo", "遠藤四郎", "電球の交換", FAR, km=1)  # too far: never asked
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    assert "サポーター3人" in submit(chat, resident, "電球が切れて替えられない", when)[0]
    tap_label(chat, kato, "見送る")
    old_card = action_data(last(chat, sato), "引き受ける")
    tap_label(chat, sato, "引き受ける")
    assert chat.new_texts(suzuki)[-1].startswith("この依頼は、ほかの方が引き受けました。")
    for user in (resident, sato, suzuki, kato):
        chat.new_texts(user)
    return Round(resident, sato, suzuki, kato, old_card)


def test_given_back_the_first_rounds_other_supporter_gets_a_fresh_card(chat: Chat) -> None:
    first = _first_round(chat)
    chat.say(first.taker, "行けなくなった")
    assert tap_label(chat, first.taker, "引き受けをやめる")[0].startswith(
        "わかりました。依頼した方に伝えました。"
    )

    assert chat.new_texts(first.other) == [CARD]
    assert chat.new_texts(first.passer) == []  # he said no: not asked again
    told = chat.new_texts(first.resident)
    assert told == [
        "佐藤一郎さんが、都合で行けなくなりました。\nごめんなさい。もう一度、サポーターをさがします。\n"
        "近くのサポーター1人に、お知らせしました。\n決まったら、お知らせします。"
    ]
    # The one who gave it back is not asked again; his old card says why, kindly.
    assert chat.new_texts(first.taker) == []
    assert chat.tap(first.taker, first.old_card) == [
        "この依頼は、お返しいただいたので、ほかの方にお願いしています。\n知らせてくださって、ありがとうございました。"
    ]
    # The fresh card works, and only he is told it was taken this time.
    accepted = tap_label(chat, first.other, "引き受ける")
    assert accepted[0].startswith("ありがとうございます！ 引き受けました。")
    assert chat.new_texts(first.taker) == [] and chat.new_texts(first.passer) == []
    assert chat.new_texts(first.resident)[0].startswith("鈴木次郎さんが、引き受けてくれました。")


def test_a_no_show_goes_back_to_the_others_but_not_to_who_did_not_come(
    app: Flask, chat: Chat, clock: FakeClock
) -> None:
    first = _first_round(chat)
    at(app, clock, jst(26, 16))
    chat.new_texts(first.resident)
    reply = chat.say(first.resident, "来なかった")
    assert "近くのサポーター1人に、お知らせしました。" in reply[0]
    assert chat.new_texts(first.other) == [CARD]
    assert chat.new_texts(first.passer) == []
    assert chat.new_texts(first.taker)[0].startswith(
        "【電球・修理】の依頼について、依頼した方から「来なかった」"
    )
    assert chat.tap(first.taker, first.old_card)[0].startswith("この依頼は、お返しいただいたので")


def test_a_supporter_who_blocks_the_bot_gives_the_request_back_to_the_others(chat: Chat) -> None:
    first = _first_round(chat, when=None)
    chat.send(ev.unfollow_event(first.taker))
    assert chat.new_texts(first.other) == [CARD]
    assert chat.new_texts(first.passer) == []
    told = chat.new_texts(first.resident)
    assert told[0].startswith("佐藤一郎さんは、サポーターをやめました。")
    assert "近くのサポーター1人に、お知らせしました。" in told[0]
