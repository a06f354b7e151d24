"""The resident's お礼 after 完了: one tap, written words or a sticker, passed on once."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from db.models import HelpRequest
from tests.handlers.cycle import Match, at, conversation_of, jst, matched, tap_newest
from tests.handlers.dialogue import tap_label
from tests.support import Chat, FakeClock

THANKS_PROMPT = "お礼のことばを書いて送ってください。\nスタンプでも大丈夫です。"
THANKS_SENT = "佐藤一郎さんに、お礼を伝えました。\nまた困ったときは、いつでも送ってください。"
THANKS_SKIPPED = "わかりました。\nまた困ったときは、いつでも送ってください。"
THANKS_ALREADY = "お礼は、もう佐藤一郎さんに伝えてあります。\nまた困ったときは、いつでも送ってください。"
STICKER_REPLY = "スタンプ、ありがとうございます。\n困ったときは、いつでも文字で書いて送ってください。"


def _done(app: Flask, chat: Chat, clock: FakeClock) -> Match:
    """A matched request, checked in after its time and answered 完了した; both inboxes read."""
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.tap(match.resident, "a=ci&v=done")
    chat.new_texts(match.resident)
    chat.new_texts(match.supporter)
    return match


def _pushes(chat: Chat) -> int:
    return sum(
        1 for r in chat.stub.requests if r.path in ("/v2/bot/message/push", "/v2/bot/message/multicast")
    )


def test_a_written_thank_you(app: Flask, chat: Chat, clock: FakeClock, db_session: Session) -> None:
    match = _done(app, chat, clock)
    assert tap_label(chat, match.resident, "自分で書く") == [THANKS_PROMPT]
    assert chat.say(match.resident, "電気が明るくなりました。本当にありがとう") == [THANKS_SENT]
    assert chat.new_texts(match.supporter) == [
        "依頼した山田花子さんから、お礼が届きました。\n「電気が明るくなりました。本当にありがとう」"
    ]
    assert conversation_of(db_session, match.resident) is None
    # After one thank-you the resident is back to normal chat: a sticker gets one kind answer.
    chat.send(ev.sticker_event(match.resident, chat.token(match.resident)))
    assert chat.new_texts(match.resident) == [STICKER_REPLY]
    assert chat.new_texts(match.supporter) == []


def test_a_sticker_thank_you(app: Flask, chat: Chat, clock: FakeClock, db_session: Session) -> None:
    match = _done(app, chat, clock)
    tap_label(chat, match.resident, "自分で書く")
    chat.send(ev.sticker_event(match.resident, chat.token(match.resident)))
    assert chat.new_texts(match.resident) == [THANKS_SENT]
    words, sticker = chat.new_messages(match.supporter)
    assert words["text"] == "依頼した山田花子さんから、お礼のスタンプが届きました。"
    assert (sticker["type"], sticker["packageId"], sticker["stickerId"]) == ("sticker", "446", "1988")
    assert conversation_of(db_session, match.resident) is None


def test_not_sending_thanks_passes_nothing_on(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = _done(app, chat, clock)
    tap_label(chat, match.resident, "自分で書く")
    # 送らない under the prompt, as LINE taps it.
    assert tap_newest(chat, match.resident, "送らない") == [THANKS_SKIPPED]
    assert chat.new_texts(match.supporter) == []
    assert conversation_of(db_session, match.resident) is None
    # Typed instead of tapped, it is not a thank-you either.
    tap_label(chat, match.resident, "自分で書く")
    assert chat.say(match.resident, "送らない") == [THANKS_SKIPPED]
    assert chat.new_texts(match.supporter) == []
    assert conversation_of(db_session, match.resident) is None
    # Stopping in one's own words is not a thank-you either.
    tap_label(chat, match.resident, "自分で書く")
    assert chat.say(match.resident, "キャンセルしたい")[0].startswith("わかりました。やめました。")
    assert chat.new_texts(match.supporter) == []
    assert conversation_of(db_session, match.resident) is None
    # おわる, the relay's word for stopping, ends the writing as it ends a relay.
    tap_label(chat, match.resident, "自分で書く")
    assert chat.say(match.resident, "おわる") == ["メッセージのやりとりを終わりました。"]
    assert chat.new_texts(match.supporter) == []
    assert conversation_of(db_session, match.resident) is None


def test_thanks_reach_the_supporter_once(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = _done(app, chat, clock)
    assert tap_label(chat, match.resident, "ありがとうを送る") == [THANKS_SENT]
    assert len(chat.new_texts(match.supporter)) == 1
    pushed = _pushes(chat)
    # Tapped again (or choosing to write one after all): told kindly, and nothing is pushed.
    assert tap_label(chat, match.resident, "ありがとうを送る") == [THANKS_ALREADY]
    assert tap_label(chat, match.resident, "自分で書く") == [THANKS_ALREADY]
    assert conversation_of(db_session, match.resident) is None
    assert chat.new_texts(match.supporter) == []
    assert _pushes(chat) == pushed
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.thanked_at is not None


@pytest.mark.parametrize("thanked_by", ["ありがとうを送る", "はい", "自分で書く"])
def test_a_sticker_right_after_the_thanks_reply_gets_exactly_one_answer(
    app: Flask, chat: Chat, clock: FakeClock, thanked_by: str
) -> None:
    """A bow sticker after 「お礼を伝えました」 got two bubbles, the second 「よく分かりませんでした」."""
    match = _done(app, chat, clock)
    if thanked_by == "ありがとうを送る":
        assert tap_label(chat, match.resident, thanked_by) == [THANKS_SENT]
    elif thanked_by == "はい":
        assert chat.say(match.resident, thanked_by) == [THANKS_SENT]
    else:
        tap_label(chat, match.resident, thanked_by)
        assert chat.say(match.resident, "たすかりました") == [THANKS_SENT]
    assert len(chat.new_texts(match.supporter)) == 1
    for _ in range(2):
        chat.send(ev.sticker_event(match.resident, chat.token(match.resident)))
        assert chat.new_texts(match.resident) == [STICKER_REPLY]
        assert "quickReply" in chat.stub.messages_for(match.resident)[-1]
    assert chat.new_texts(match.supporter) == []  # thanked once, not again for each sticker


def test_a_sticker_under_the_thanks_question_is_the_thank_you(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    """「お礼を伝えませんか？」 answered with a bow sticker: it got two bubbles and reached nobody."""
    match = _done(app, chat, clock)
    chat.send(ev.sticker_event(match.resident, chat.token(match.resident)))
    assert chat.new_texts(match.resident) == [THANKS_SENT]
    words, sticker = chat.new_messages(match.supporter)
    assert words["text"] == "依頼した山田花子さんから、お礼のスタンプが届きました。"
    assert (sticker["type"], sticker["packageId"], sticker["stickerId"]) == ("sticker", "446", "1988")
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.thanked_at is not None
    chat.send(ev.sticker_event(match.resident, chat.token(match.resident)))
    assert chat.new_texts(match.resident) == [STICKER_REPLY]
    assert chat.new_messages(match.supporter) == []


def test_an_unwritten_thank_you_lapses(app: Flask, chat: Chat, clock: FakeClock, db_session: Session) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.tap(match.resident, "a=ci&v=done")
    tap_label(chat, match.resident, "自分で書く")
    chat.new_texts(match.supporter)
    clock.advance(hours=2)
    # A new 困りごと, not a thank-you: the request flow takes over from the lapsed thanks.
    assert chat.say(match.resident, "電球が切れて替えられない") == [
        "「電球が切れて替えられない」ですね。\n【電球・修理】のお手伝いをさがします。",
        "どこで手伝ってほしいですか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。",
    ]
    assert chat.new_texts(match.supporter) == []
    state = conversation_of(db_session, match.resident)
    assert state is not None and state.flow == "request"


@pytest.mark.parametrize(
    ("typed", "passed_on"),
    [
        ("ほんまにたすかりました", "「ほんまにたすかりました」"),
        ("ありがとね😊", "「ありがとね😊」"),
        ("電気が明るくなりました", "「電気が明るくなりました」"),
        ("はい", "「ありがとうございました。とても助かりました。」"),
    ],
)
def test_thanks_typed_under_the_question_is_the_thank_you(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, typed: str, passed_on: str
) -> None:
    """Asked 「お礼を伝えませんか？」, an older resident types it rather than tapping 自分で書く first:
    it was answered 「よく分かりませんでした」 (or taken for a new 電球 request) and never passed on."""
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    chat.new_texts(match.resident)
    assert chat.say(match.resident, "はい、きてくれました") == [
        "完了ですね。ありがとうございました！\n佐藤一郎さんに、お礼を伝えませんか？"
    ]
    chat.new_texts(match.supporter)
    assert chat.say(match.resident, typed) == [THANKS_SENT]
    assert chat.new_texts(match.supporter) == [f"依頼した山田花子さんから、お礼が届きました。\n{passed_on}"]
    assert db_session.scalar(select(func.count()).select_from(HelpRequest)) == 1  # no new request


def test_a_typed_no_thanks_and_later_words_are_not_taken_for_it(
    app: Flask, chat: Chat, clock: FakeClock
) -> None:
    match = _done(app, chat, clock)
    assert chat.say(match.resident, "いいえ") == [THANKS_SKIPPED]
    chat.say(match.resident, "ありがとうございました")  # the question is over: small talk
    assert chat.new_texts(match.supporter) == []


def test_the_write_it_yourself_label_typed_works_as_the_button(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    """「自分で書く」 typed under 「お礼を伝えませんか？」 was read as a detail of nothing (or small talk)."""
    match = _done(app, chat, clock)
    assert chat.say(match.resident, "自分で書く") == [THANKS_PROMPT]
    assert chat.say(match.resident, "ほんとうに助かりました") == [THANKS_SENT]
    assert chat.new_texts(match.supporter) == [
        "依頼した山田花子さんから、お礼が届きました。\n「ほんとうに助かりました」"
    ]
    assert conversation_of(db_session, match.resident) is None


@pytest.mark.parametrize("typed", ["自分で書きます", "じぶんでかく"])
def test_the_write_it_yourself_verb_in_another_form_works_as_the_button(
    app: Flask, chat: Chat, clock: FakeClock, typed: str
) -> None:
    """These got 「よく分かりませんでした。困りごとは、文字で書いて送ってください。」."""
    match = _done(app, chat, clock)
    assert chat.say(match.resident, typed) == [THANKS_PROMPT]
    assert chat.say(match.resident, "ほんまにたすかりました") == [THANKS_SENT]


def test_hello_passed_on_in_kansai_is_the_thank_you(app: Flask, chat: Chat, clock: FakeClock) -> None:
    """「よろしくいうといて」 got 「よく分かりませんでした」 and the question was over."""
    match = _done(app, chat, clock)
    assert chat.say(match.resident, "よろしくいうといて") == [THANKS_SENT]
    assert chat.new_texts(match.supporter) == [
        "依頼した山田花子さんから、お礼が届きました。\n「よろしくいうといて」"
    ]


def test_wanting_to_say_thanks_opens_the_writing(app: Flask, chat: Chat, clock: FakeClock) -> None:
    """「おれいをいいたい」 was read as いたい (pain): 今すぐ命にかかわりますか？"""
    match = _done(app, chat, clock)
    assert chat.say(match.resident, "おれいをいいたい") == [THANKS_PROMPT]
    assert chat.say(match.resident, "でんきがあかるうなりました") == [THANKS_SENT]


def test_later_under_the_thanks_question_sends_nothing(app: Flask, chat: Chat, clock: FakeClock) -> None:
    match = _done(app, chat, clock)
    assert chat.say(match.resident, "あとで") == [THANKS_SKIPPED]
    assert chat.new_texts(match.supporter) == []
