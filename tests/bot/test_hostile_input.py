"""Signed bodies LINE would never send: each odd event gets a polite answer or is ignored, never a 500,
and the other events of the same body are still answered."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from db.models import Member, OutboundMessage, ProcessedEvent
from handlers import texts
from tests.support import Chat

SORRY = texts.ERROR_SORRY


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _post_raw(chat: Chat, body: bytes) -> int:
    response = chat.client.post(
        "/callback",
        data=body,
        headers={"x-line-signature": ev.signature(chat.secret, body), "content-type": "application/json"},
    )
    return response.status_code


def test_a_65_character_event_id_costs_no_one_an_answer(chat: Chat, db_session: Session) -> None:
    alice, bob = chat.user("alice"), chat.user("bob")
    odd = ev.text_event(alice, "使い方", chat.token(alice))
    odd["webhookEventId"] = "0" * 65
    assert chat.post(odd, ev.text_event(bob, "使い方", chat.token(bob))) == 200
    assert chat.new_texts(alice)[0].startswith("使い方です。")
    assert chat.new_texts(bob)[0].startswith("使い方です。")
    assert _count(db_session, ProcessedEvent) == 1  # only bob's id could be kept


def test_nul_and_lone_surrogates_in_texts_and_ids(chat: Chat, db_session: Session) -> None:
    alice, bob, carol = chat.user("alice"), chat.user("bob"), chat.user("carol")
    nul_text = ev.text_event(alice, "電球が\x00切れた", chat.token(alice))
    nul_id = ev.text_event(bob, "使い方", chat.token(bob))
    nul_id["webhookEventId"] = "01J\x00X"
    body = ev.body(nul_text, nul_id)
    # An escaped lone surrogate is valid JSON but cannot be encoded as UTF-8 (nor stored).
    surrogate = ev.text_event(carol, "SURROGATE", chat.token(carol))
    body = (
        body[:-2]
        + b", "
        + json.dumps(surrogate).replace("SURROGATE", "\\ud800\\udfff\\ud83d").encode()
        + b"]}"
    )
    assert _post_raw(chat, body) == 200
    assert "ですね" in chat.new_texts(alice)[0]
    assert chat.new_texts(bob)[0].startswith("使い方です。")
    answer = chat.new_texts(carol)
    assert answer and SORRY not in answer
    assert _count(db_session, Member) == 3


def test_a_malformed_user_id_is_an_event_without_a_user(chat: Chat, db_session: Session) -> None:
    bob = chat.user("bob")
    odd = ev.text_event("U" + "x" * 80, "使い方", chat.token(bob))
    assert chat.post(odd, ev.text_event(bob, "使い方", chat.token(bob))) == 200
    assert chat.new_texts(bob)[0].startswith("使い方です。")
    assert _count(db_session, Member) == 1


def test_json_nested_a_thousand_deep_is_400_and_nothing_stored(chat: Chat, db_session: Session) -> None:
    alice = chat.user("alice")
    event = ev.text_event(alice, "使い方", chat.token(alice))
    event["message"]["emojis"] = json.loads("[" * 900 + "]" * 900)
    assert chat.post(event) == 400
    deeper = b'{"events": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    assert _post_raw(chat, deeper) == 400
    assert _count(db_session, ProcessedEvent) == 0 and chat.new_texts(alice) == []


def test_button_ids_that_are_not_ascii_digits_below_2_31(chat: Chat) -> None:
    alice = chat.user("alice")
    for data in ("a=acc&r=²", "a=acc&r=99999999999", "a=acc&r=2147483648", "a=acc&r=١٢", "a=acc&r=-1"):
        answer = chat.tap(alice, data)
        assert answer and answer[0].startswith("ごめんなさい。このボタンは使え"), (data, answer)


def test_coordinates_of_1e400_are_asked_again_politely(chat: Chat) -> None:
    alice = chat.user("alice")
    event = ev.location_event(alice, chat.token(alice), 35.0, 139.0)
    body = json.dumps({"events": [event]}).replace("35.0", "1e400").replace("139.0", "-1e400").encode()
    assert _post_raw(chat, body) == 200
    answer = chat.new_texts(alice)
    assert answer and SORRY not in answer


def test_an_event_that_fails_twice_still_lets_the_next_one_through(chat: Chat, db_session: Session) -> None:
    alice, bob = chat.user("alice"), chat.user("bob")
    # A reply token longer than its column: dropped at the edge, so the event is handled without a reply.
    odd = ev.text_event(alice, "使い方", "t" * 300)
    assert chat.post(odd, ev.text_event(bob, "使い方", chat.token(bob))) == 200
    assert chat.new_texts(bob)[0].startswith("使い方です。")
    assert _count(db_session, OutboundMessage) == 1
