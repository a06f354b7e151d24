"""The same event arriving many times at once (LINE's duplicates, redeliveries racing): handled once."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import bot.webhook
from bot.dev.line_stub import events as ev
from db.models import HelpRequest, ProcessedEvent
from tests.support import Chat


def test_the_same_event_ten_times_at_once_is_answered_once(
    app: Flask, chat: Chat, db_session: Session
) -> None:
    user = chat.user("yamada", "山田花子")
    chat.follow(user)
    event = ev.text_event(user, "電球が切れて替えられない", chat.token(user))
    copies = 10
    bodies = [ev.body({**event, "deliveryContext": {"isRedelivery": n > 0}}) for n in range(copies)]
    assert chat.post_at_once(bodies) == [200] * copies
    answer = chat.new_texts(user)
    assert sum("ですね" in text for text in answer) == 1, answer
    assert db_session.scalar(select(func.count()).select_from(HelpRequest)) == 1
    assert db_session.scalar(select(func.count()).select_from(ProcessedEvent)) == 2  # the follow and this
    assert chat.stub.calls("/v2/bot/message/reply", 400) == 0  # nobody tried the token twice


def test_events_not_reached_by_the_deadline_are_left_for_redelivery(
    chat: Chat, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, bob = chat.user("alice"), chat.user("bob")
    events = [
        ev.text_event(alice, "使い方", chat.token(alice)),
        ev.text_event(bob, "使い方", chat.token(bob)),
    ]
    monkeypatch.setattr(bot.webhook, "DEADLINE_SECONDS", -1.0)  # already past when the body arrives
    assert chat.post(*events) == 503
    assert (
        chat.new_texts(alice) == []
        and db_session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0
    )
    monkeypatch.setattr(bot.webhook, "DEADLINE_SECONDS", 60.0)
    redelivered = [{**e, "replyToken": chat.token(e["source"]["userId"])} for e in events]
    assert chat.post(*redelivered) == 200
    assert chat.new_texts(alice)[0].startswith("使い方です。") and chat.new_texts(bob)[0].startswith(
        "使い方です。"
    )
