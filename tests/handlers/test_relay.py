"""Relay chat: both ways, text, photo, sticker and place, never a LINE id; it ends with the request."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from handlers.settings import Settings
from tests.handlers.cycle import at, conversation_of, jst, matched, run_due
from tests.handlers.dialogue import (
    last,
    register_supporter,
    say_request,
    tap_label,
)
from tests.support import Chat, FakeClock

PUBLIC_URL = "https://otagai.example.org"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(public_url=PUBLIC_URL)


def _start(chat: Chat, user: str) -> list[str]:
    return chat.say(user, "メッセージを送る")


def test_both_ways_with_who_and_which_request_and_no_line_ids(chat: Chat) -> None:
    match = matched(chat)
    assert _start(chat, match.resident) == [
        "佐藤一郎さんへのメッセージを、書いて送ってください。\n写真やスタンプも送れます。\n"
        "終わるときは「おわる」を押してください。"
    ]
    assert chat.say(match.resident, "玄関の鍵はあけておきます") == ["佐藤一郎さんに送りました。"]
    assert chat.new_texts(match.supporter) == [
        "【電球・修理の依頼】山田花子さんから：\n玄関の鍵はあけておきます"
    ]
    # The supporter answers with the button under the message.
    assert tap_label(chat, match.supporter, "返事を送る")[0].startswith("山田花子さんへのメッセージを")
    assert chat.say(match.supporter, "14時少し前に着きます") == ["山田花子さんに送りました。"]
    assert chat.new_texts(match.resident) == ["【電球・修理の依頼】佐藤一郎さんから：\n14時少し前に着きます"]
    relayed = [r.json for r in chat.stub.requests if r.path == "/v2/bot/message/push"]
    for body in relayed:
        shown = json.dumps(body["messages"], ensure_ascii=False)
        assert match.resident not in shown and match.supporter not in shown
    # Words that are commands elsewhere are passed on while relaying.
    chat.say(match.supporter, "まだです")
    assert chat.new_texts(match.resident) == ["【電球・修理の依頼】佐藤一郎さんから：\nまだです"]
    assert chat.say(match.supporter, "おわる") == ["メッセージのやりとりを終わりました。"]
    chat.say(match.supporter, "ありがとう")
    assert chat.new_texts(match.resident) == []


def test_stickers_photos_and_places_are_passed_on(chat: Chat, client: FlaskClient) -> None:
    match = matched(chat)
    _start(chat, match.supporter)
    chat.send(ev.sticker_event(match.supporter, chat.token(match.supporter)))
    received = chat.new_messages(match.resident)
    assert received[0]["text"] == "【電球・修理の依頼】佐藤一郎さんから、スタンプが届きました。"
    assert received[1] == {
        "type": "sticker",
        "packageId": "446",
        "stickerId": "1988",
        "quickReply": received[1]["quickReply"],
    }

    photo = ev.image_event(match.supporter, chat.token(match.supporter))
    chat.stub.add_content(photo["message"]["id"], b"\xff\xd8jpeg-bytes", "image/jpeg")
    chat.send(photo)
    text, image = chat.new_messages(match.resident)
    assert text["text"] == "【電球・修理の依頼】佐藤一郎さんから、写真が届きました。"
    url = image["originalContentUrl"]
    assert url.startswith(f"{PUBLIC_URL}/relay/media/") and match.supporter not in url
    served = client.get(url.removeprefix(PUBLIC_URL))
    assert served.status_code == 200 and served.data == b"\xff\xd8jpeg-bytes"
    assert served.mimetype == "image/jpeg"
    assert client.get("/relay/media/not-a-token").status_code == 404

    chat.location(match.supporter, 35.65, 139.66, address="世田谷駅")
    text, place = chat.new_messages(match.resident)
    assert text["text"] == "【電球・修理の依頼】佐藤一郎さんから、場所が届きました。"
    assert place["type"] == "location" and place["address"] == "世田谷駅"


def test_with_several_active_requests_the_user_chooses(chat: Chat) -> None:
    first = matched(chat)
    second = matched(chat, supporter=("suzuki", "鈴木次郎"), resident=("ito", "伊藤"))
    # Sato also takes Ito's second request, so Sato has two.
    ito = second.resident
    say_request(chat, ito, "電球が切れて替えられない")
    chat.location(ito, 35.6466, 139.6532, address="東京都世田谷区世田谷4丁目21-27")
    tap_label(chat, ito, "日時をえらぶ", {"datetime": "2026-11-27T10:00"})
    tap_label(chat, ito, "依頼する")
    tap_label(chat, first.supporter, "引き受ける")
    chat.new_texts(ito)

    assert _start(chat, first.supporter) == ["どの依頼について送りますか？"]
    labels = [item["action"]["label"] for item in last(chat, first.supporter)["quickReply"]["items"]]
    assert labels == ["電球・修理 11月26日(木)", "電球・修理 11月27日(金)", "やめる"]
    tap_label(chat, first.supporter, "電球・修理 11月27日(金)")
    chat.say(first.supporter, "27日に伺います")
    assert chat.new_texts(ito) == ["【電球・修理の依頼】佐藤一郎さんから：\n27日に伺います"]
    assert chat.new_texts(first.resident) == []


def test_relay_ends_when_the_request_closes(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    _start(chat, match.supporter)
    chat.tap(match.resident, "a=ci&v=done")
    chat.new_texts(match.resident)
    chat.new_texts(match.supporter)
    assert chat.say(match.supporter, "また何かあれば") == ["この依頼は終わったので、メッセージは送れません。"]
    assert chat.new_texts(match.resident) == []
    assert conversation_of(db_session, match.supporter) is None
    assert _start(chat, match.supporter)[0].startswith("今、メッセージを送れる依頼はありません。")
    # The old 返事を送る button says the same, kindly.
    assert chat.tap(match.resident, f"a=relay&r={match.request_id}") == [
        "この依頼は終わったので、メッセージは送れません。"
    ]


def test_cancelling_ends_the_relay_for_both(chat: Chat, db_session: Session) -> None:
    match = matched(chat)
    _start(chat, match.supporter)
    chat.say(match.resident, "自分の依頼")
    tap_label(chat, match.resident, "取り消す")
    tap_label(chat, match.resident, "取り消す")  # confirmed
    chat.new_texts(match.supporter)
    assert chat.say(match.supporter, "了解しました") == [
        "この依頼は取り消されたので、メッセージは送れません。"
    ]
    assert chat.new_texts(match.resident) == []
    assert conversation_of(db_session, match.supporter) is None


def test_after_a_no_show_each_side_is_told_what_happened(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", (35.6480, 139.6550))
    at(app, clock, jst(26, 16))
    _start(chat, match.supporter)
    _start(chat, match.resident)
    tap_label(chat, match.resident, "来なかった")
    chat.new_texts(match.supporter)
    # The supporter who did not come: the request went to someone else, it did not end.
    assert chat.say(match.supporter, "すみません、遅れました") == [
        "この依頼は、ほかのサポーターにお願いすることになりました。\nメッセージは送れません。"
    ]
    assert conversation_of(db_session, match.supporter) is None
    tap_label(chat, suzuki, "引き受ける")
    chat.new_texts(match.resident)
    # The resident still writing to the old supporter: nothing goes to anyone, and they learn who is next.
    assert chat.say(match.resident, "もう来なくていいです") == [
        "サポーターが鈴木次郎さんに変わりました。\nこのメッセージは送っていません。\n"
        "鈴木次郎さんには「メッセージを送る」から送れます。"
    ]
    assert conversation_of(db_session, match.resident) is None
    assert chat.new_texts(match.supporter) == [] and chat.new_texts(suzuki) == []


def test_after_a_drop_the_resident_is_told_a_new_supporter_is_sought(chat: Chat, db_session: Session) -> None:
    match = matched(chat)
    _start(chat, match.resident)
    chat.say(match.supporter, "行けなくなりました")
    tap_label(chat, match.supporter, "引き受けをやめる")
    chat.new_texts(match.resident)
    assert chat.say(match.resident, "わかりました") == [
        "今、新しいサポーターをさがしています。\nこのメッセージは送っていません。\n決まったら、お知らせします。"
    ]
    assert conversation_of(db_session, match.resident) is None
    assert chat.new_texts(match.supporter) == []
    # The old 返事を送る button says the same.
    assert chat.tap(match.resident, f"a=relay&r={match.request_id}")[0].startswith("今、新しいサポーターを")


def test_relay_mode_lapses_after_half_an_hour_of_silence(chat: Chat, clock: FakeClock) -> None:
    match = matched(chat)
    _start(chat, match.resident)
    clock.advance(minutes=31)
    assert chat.say(match.resident, "ありがとう") == [
        "ご連絡ありがとうございます。\n相手の方に伝えたいときは、「メッセージを送る」を押してから書いてください。"
    ]
    assert chat.new_texts(match.supporter) == []


def test_a_lapsed_relay_leaves_nothing_in_progress(chat: Chat, clock: FakeClock, db_session: Session) -> None:
    match = matched(chat)
    _start(chat, match.resident)
    clock.advance(minutes=31)
    assert chat.say(match.resident, "やめる")[0].startswith("今、進めている手続きはありません。")
    assert conversation_of(db_session, match.resident) is None


def test_at_night_the_sender_is_told_and_it_arrives_in_the_morning(
    app: Flask, chat: Chat, clock: FakeClock
) -> None:
    match = matched(chat)
    at(app, clock, jst(25, 18))
    chat.new_texts(match.supporter)  # the evening reminder
    clock.now = jst(25, 23)
    _start(chat, match.resident)
    assert chat.say(match.resident, "明日はよろしく") == [
        "佐藤一郎さんに送りました。\n夜の間は、朝8時ごろに届きます。"
    ]
    assert chat.new_texts(match.supporter) == []
    at(app, clock, jst(26, 8))
    assert chat.new_texts(match.supporter) == ["【電球・修理の依頼】山田花子さんから：\n明日はよろしく"]


def test_nothing_to_relay_without_a_match(chat: Chat) -> None:
    alone = chat.user("alone", "ひとり")
    chat.follow(alone)
    assert _start(chat, alone) == [
        "今、メッセージを送れる依頼はありません。\n引き受ける人が決まると、送れるようになります。"
    ]
    assert chat.tap(alone, "a=relay&r=1") == [
        "ごめんなさい。このボタンは使えなくなりました。\nもう一度、メニューから選んでください。"
    ]


def test_photos_cannot_be_passed_on_without_a_public_url(app: Flask, chat: Chat) -> None:
    match = matched(chat)
    app.extensions["otagai.processor"].settings = app.extensions["otagai.settings"].with_overrides(
        public_url=None
    )
    _start(chat, match.resident)
    chat.send(ev.image_event(match.resident, chat.token(match.resident)))
    assert chat.new_texts(match.resident) == ["ごめんなさい。今は写真を送れません。\n文字で送ってください。"]
    assert chat.new_texts(match.supporter) == []


def test_wanting_to_stop_is_passed_on_in_relay_chat(chat: Chat) -> None:
    match = matched(chat)
    chat.say(match.resident, "メッセージを送る")
    assert chat.say(match.resident, "もういいです")[0].startswith("佐藤一郎さんに送りました。")
    assert chat.new_texts(match.supporter) == ["【電球・修理の依頼】山田花子さんから：\nもういいです"]


def test_relay_messages_per_minute_are_limited(app: Flask, chat: Chat, clock: FakeClock) -> None:
    processor = app.extensions["otagai.processor"]
    processor.settings = processor.settings.with_overrides(relay_per_minute=3)
    match = matched(chat)
    chat.say(match.resident, "メッセージを送る")
    for word in ("こんにちは", "明日", "よろしく"):
        assert chat.say(match.resident, word) == ["佐藤一郎さんに送りました。"]
    assert chat.say(match.resident, "まだですか") == [
        "ごめんなさい。短い時間に、たくさんのメッセージが届きました。\n"
        "1分ほど待ってから、もう一度送ってください。\nこのメッセージは送っていません。"
    ]
    run_due(app, clock)
    assert len(chat.new_texts(match.supporter)) == 3
    clock.advance(minutes=1)
    assert chat.say(match.resident, "まだですか") == ["佐藤一郎さんに送りました。"]
