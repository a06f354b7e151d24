"""A database outage: webhooks answer 503 (so LINE redelivers), and after recovery every redelivered
event is processed exactly once. PostgreSQL only: the outage is its link cut by a proxy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import db.engine
from bot.app import create_app
from bot.dev.line_stub import LineStub
from bot.dev.line_stub import events as ev
from db.models import HelpRequest, ProcessedEvent
from handlers import texts
from handlers.settings import Settings
from tests.support import SECRET, TOKEN, Chat, FakeClock
from tests.tcp_proxy import CuttableProxy


@pytest.fixture
def proxy(database_url: str) -> Iterator[CuttableProxy]:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("the outage is a cut network link to PostgreSQL")
    with CuttableProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy


@pytest.fixture
def outage_app(
    database_url: str, line_stub: LineStub, clock: FakeClock, proxy: CuttableProxy
) -> Iterator[Flask]:
    url = make_url(database_url).set(host="127.0.0.1", port=proxy.port)
    settings = Settings(
        line_channel_secret=SECRET,
        line_channel_access_token=TOKEN,
        database_url=url.render_as_string(hide_password=False),
        line_api_endpoint=line_stub.url,
    )
    app = create_app(settings, clock=clock)
    yield app
    app.extensions["otagai.gateway"].close()
    app.extensions["otagai.engine"].dispose()


def _redelivered(event: dict[str, Any], token: str) -> dict[str, Any]:
    """The same event as LINE sends it again: same webhookEventId, a fresh reply token."""
    return {**event, "replyToken": token, "deliveryContext": {"isRedelivery": True}}


def _redeliver(chat: Chat, events: list[dict[str, Any]]) -> int:
    return chat.post(*[_redelivered(e, chat.token(e["source"]["userId"])) for e in events])


def test_while_the_database_is_down_webhooks_ask_for_redelivery_and_each_event_is_processed_once_after(
    outage_app: Flask, line_stub: LineStub, proxy: CuttableProxy, db_session: Session
) -> None:
    chat = Chat(outage_app.test_client(), line_stub)
    alice, bob = chat.user("alice", "アリス"), chat.user("bob", "ボブ")
    assert chat.say(alice, "使い方")[0].startswith("使い方です。")  # connections are open and pooled

    proxy.cut()
    during = [
        ev.text_event(alice, "電球が切れて替えられない", chat.token(alice)),
        ev.text_event(bob, "庭の草むしりをお願いしたいです", chat.token(bob)),
    ]
    assert chat.post(*during) == 503
    assert chat.post(ev.follow_event(bob, chat.token(bob))) == 503
    assert chat.new_texts(alice) == [] and chat.new_texts(bob) == []  # no apology: LINE will redeliver

    proxy.restore()
    # LINE redelivers until it gets a 2xx (a loaded machine may hit the webhook's deadline once).
    statuses = [_redeliver(chat, during) for _ in range(5)]
    assert 200 in statuses, statuses
    answers = {user: chat.new_texts(user) for user in (alice, bob)}
    # One answer each (its messages: what was understood, then where?), no apology.
    assert all(
        a and sum("ですね" in t for t in a) == 1 and texts.ERROR_SORRY not in a for a in answers.values()
    ), (
        statuses,
        answers,
    )
    # LINE may deliver the same events yet again: nothing more happens.
    assert _redeliver(chat, during) == 200
    assert chat.new_texts(alice) == [] and chat.new_texts(bob) == []
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(HelpRequest)) == 2
    ids = {str(e["webhookEventId"]) for e in during}
    stored = set(db_session.scalars(select(ProcessedEvent.webhook_event_id)))
    assert ids <= stored


def test_connections_the_database_dropped_while_idle_cost_no_event_its_answer(
    outage_app: Flask, line_stub: LineStub, proxy: CuttableProxy
) -> None:
    # No pool_pre_ping: a pooled connection closed by the other side is seen at checkout (its socket
    # is readable) and replaced, without a round trip.
    chat = Chat(outage_app.test_client(), line_stub)
    alice = chat.user("alice", "アリス")
    assert chat.say(alice, "使い方")[0].startswith("使い方です。")
    proxy.cut()
    proxy.restore()
    event = ev.text_event(alice, "使い方", chat.token(alice))
    assert chat.post(event) == 200
    assert chat.new_texts(alice)[0].startswith("使い方です。")


def test_a_connection_that_dies_unseen_costs_one_retry_not_the_event(
    outage_app: Flask, line_stub: LineStub, proxy: CuttableProxy
) -> None:
    # The link dies after the checkout's look (here: no look at all): the first statement fails with
    # a disconnect, and the event runs once more on a fresh connection.
    engine = outage_app.extensions["otagai.engine"]
    sa_event.remove(engine, "checkout", db.engine._closed_while_idle)
    chat = Chat(outage_app.test_client(), line_stub)
    alice, bob = chat.user("alice", "アリス"), chat.user("bob", "ボブ")
    assert chat.say(alice, "使い方")[0].startswith("使い方です。")
    proxy.cut()
    proxy.restore()
    event = ev.text_event(bob, "電球が切れて替えられない", chat.token(bob))
    assert chat.post(event) == 200
    answer = chat.new_texts(bob)
    assert sum("ですね" in t for t in answer) == 1 and texts.ERROR_SORRY not in answer, answer
