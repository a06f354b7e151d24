"""The same event arriving many times at once (LINE's duplicates, redeliveries racing): handled once."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.line_stub import events as ev
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
    start = threading.Barrier(copies)
    statuses: list[int] = []

    def deliver(body: bytes) -> None:
        client = app.test_client()
        start.wait()
        response = client.post(
            "/callback", data=body, headers={"x-line-signature": ev.signature(chat.secret, body)}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=deliver, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * copies
    answer = chat.new_texts(user)
    assert sum("ですね" in text for text in answer) == 1, answer
    assert db_session.scalar(select(func.count()).select_from(HelpRequest)) == 1
    assert db_session.scalar(select(func.count()).select_from(ProcessedEvent)) == 2  # the follow and this
    assert chat.stub.calls("/v2/bot/message/reply", 400) == 0  # nobody tried the token twice
