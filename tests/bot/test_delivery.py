"""The outbox against a failing LINE: retries with the same key, 409 as delivered, crashes, the push quota."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

import bot.delivery
import bot.gateway
from bot.delivery import HEARTBEAT_SECONDS, LEASE, WORST_CALL_SECONDS, Deliverer
from bot.dev.line_stub import LineStub
from db import outbox
from db.engine import transaction
from db.models import OutboundMessage, OutboundStatus
from tests.handlers.cycle import make_coordinator, run_due
from tests.handlers.dialogue import NEAR, register_supporter, submit_request, tap_label
from tests.support import Chat, FakeClock

PUSH = "/v2/bot/message/push"
ACCEPTED = "佐藤一郎さんが、引き受けてくれました。"


@pytest.fixture
def deliverer(app: Flask) -> Deliverer:
    processor = app.extensions["otagai.processor"]
    return processor.deliverer  # type: ignore[no-any-return]


def _accept_with_lines_trouble(chat: Chat, arrange: Any) -> tuple[str, str]:
    """The supporter accepts while LINE misbehaves for the push that tells the resident."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    chat.new_texts(resident)
    chat.new_texts(sato)
    arrange()
    accepted = tap_label(chat, sato, "引き受ける")
    assert accepted[0].startswith("ありがとうございます！ 引き受けました。")  # the reply is not held up
    return sato, resident


def _push_keys(stub: LineStub, user: str) -> list[tuple[int, str]]:
    return [
        (r.status, r.headers["x-line-retry-key"])
        for r in stub.requests
        if r.path == PUSH and r.json and r.json.get("to") == user
    ]


def _row_for(db_session: Session, user: str) -> OutboundMessage:
    db_session.expire_all()
    rows = [
        r for r in db_session.scalars(select(OutboundMessage)) if r.recipients == [user] and r.kind == "push"
    ]
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_failure_is_retried_with_the_same_key_after_backoff(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, status: int
) -> None:
    _, resident = _accept_with_lines_trouble(chat, lambda: chat.stub.fail_next(1, status, PUSH))
    assert chat.new_texts(resident) == []
    clock.advance(seconds=29)
    run_due(app, clock)
    assert chat.new_texts(resident) == []
    clock.advance(seconds=1)
    run_due(app, clock)
    texts = chat.new_texts(resident)
    assert len(texts) == 1 and texts[0].startswith(ACCEPTED)
    (first_status, first_key), (second_status, second_key) = _push_keys(chat.stub, resident)
    assert (first_status, second_status) == (status, 200) and first_key == second_key
    row = _row_for(db_session, resident)
    assert row.status == OutboundStatus.SENT and row.attempts == 2
    run_due(app, clock.__class__(clock.now + timedelta(hours=1)))
    assert chat.new_texts(resident) == []


def test_a_lost_response_is_retried_and_409_counts_as_delivered(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    _, resident = _accept_with_lines_trouble(
        chat, lambda: chat.stub.fail_next(1, 500, PUSH, after_processing=True)
    )
    assert len(chat.new_texts(resident)) == 1  # LINE delivered, but we heard 500
    assert _row_for(db_session, resident).status == OutboundStatus.PENDING
    clock.advance(seconds=30)
    run_due(app, clock)
    assert chat.new_texts(resident) == []  # the retry with the same key is not delivered again
    assert [status for status, _ in _push_keys(chat.stub, resident)] == [500, 409]
    assert _row_for(db_session, resident).status == OutboundStatus.SENT


def test_a_timeout_is_retried_with_the_same_key(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A second of read time: the retry is one call (no hidden SDK retries), and a loaded machine's stub
    # must still answer it in time.
    monkeypatch.setattr(bot.gateway, "REQUEST_TIMEOUT", (2.0, 1.0))
    _, resident = _accept_with_lines_trouble(chat, lambda: chat.stub.delay_next(2.5, 1, PUSH))
    row = _row_for(db_session, resident)
    assert row.status == OutboundStatus.PENDING and "Timeout" in (row.last_error or "")
    # LINE goes on with the call we gave up on. The retry comes 30 s later, long after it landed:
    # wait for the stub to finish it, as the fake clock's 30 s take no time.
    deadline = time.monotonic() + 10
    while not _push_keys(chat.stub, resident):
        assert time.monotonic() < deadline, "the delayed push never finished"
        time.sleep(0.02)
    clock.advance(seconds=30)
    run_due(app, clock)
    assert len(chat.new_texts(resident)) == 1
    assert [status for status, _ in _push_keys(chat.stub, resident)] == [200, 409]
    assert _row_for(db_session, resident).status == OutboundStatus.SENT


def test_a_plain_409_is_delivered_and_other_4xx_fail_with_the_reason(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    _, resident = _accept_with_lines_trouble(chat, lambda: chat.stub.fail_next(1, 409, PUSH))
    assert _row_for(db_session, resident).status == OutboundStatus.SENT

    chat.stub.fail_next(1, 400, PUSH, body={"message": "The request body has 1 error(s)"})
    with transaction(app.extensions["otagai.session_factory"]) as session:
        outbox.enqueue_push(session, [resident], [{"type": "text", "text": "x"}], now=clock())
    run_due(app, clock)
    failed = db_session.scalar(select(OutboundMessage).where(OutboundMessage.status == OutboundStatus.FAILED))
    assert failed is not None and failed.last_error is not None and failed.last_error.startswith("400")
    assert "1 error(s)" in failed.last_error
    calls = chat.stub.calls(PUSH)
    clock.advance(hours=2)
    run_due(app, clock)
    assert chat.stub.calls(PUSH) == calls  # never retried


def _queue(app: Flask, clock: FakeClock, users: list[str], priority: int = outbox.PRIORITY_NORMAL) -> None:
    with transaction(app.extensions["otagai.session_factory"]) as session:
        for n, user in enumerate(users):
            outbox.enqueue_push(
                session, [user], [{"type": "text", "text": f"お知らせ{n}"}], priority=priority, now=clock()
            )


def _users(chat: Chat, count: int, prefix: str = "u") -> list[str]:
    return [chat.user(f"{prefix}{i}", f"利用者{i}") for i in range(count)]


# One lane: all six in one round, sent one after another; the fourth call dies.
# Eight lanes: all six in one round; the other lanes finish their rows before the round dies.
@pytest.mark.parametrize(
    ("lanes", "sent_before_dying", "never_claimed", "unrecorded"), [(1, 3, 0, 3), (8, 5, 0, 5)]
)
def test_a_sender_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    app: Flask,
    chat: Chat,
    clock: FakeClock,
    deliverer: Deliverer,
    monkeypatch: pytest.MonkeyPatch,
    lanes: int,
    sent_before_dying: int,
    never_claimed: int,
    unrecorded: int,
) -> None:
    users = _users(chat, 6)
    _queue(app, clock, users)
    real_call = Deliverer._call
    calls = iter(range(100))

    def dies_after_three(self: Deliverer, out: Any) -> Any:
        if next(calls) == 3:
            raise SystemExit("worker killed")
        return real_call(self, out)

    monkeypatch.setattr(deliverer, "concurrency", lanes)
    monkeypatch.setattr(Deliverer, "_call", dies_after_three)
    with pytest.raises(SystemExit):
        deliverer.deliver_due(clock())
    monkeypatch.setattr(Deliverer, "_call", real_call)
    assert sum(len(chat.stub.inbox(u)) for u in users) == sent_before_dying

    # A new worker straight away: the dead one's lease still holds its last round's rows.
    assert deliverer.deliver_due(clock()).api_calls == never_claimed
    assert all(len(chat.stub.inbox(u)) <= 1 for u in users)
    clock.advance(minutes=5)
    report = deliverer.deliver_due(clock())
    assert report.failed == 0 and report.api_calls == report.sent
    assert [len(chat.stub.inbox(u)) for u in users] == [1] * 6
    statuses = sorted(r.status for r in chat.stub.requests if r.path == PUSH)
    assert statuses == [200] * 6 + [409] * unrecorded


def test_a_call_that_raises_fails_its_own_row_and_the_others_are_recorded(
    app: Flask,
    chat: Chat,
    clock: FakeClock,
    db_session: Session,
    deliverer: Deliverer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    users = _users(chat, 6)
    _queue(app, clock, users)
    real_push = deliverer.gateway.push

    def push(user_id: str, messages: list[dict[str, Any]], retry_key: str) -> Any:
        if user_id == users[2]:
            raise ValueError(f"cannot build a request for {messages[0]['text']}")
        return real_push(user_id, messages, retry_key)

    monkeypatch.setattr(deliverer.gateway, "push", push)
    assert deliverer.concurrency > 1  # the parallel lanes
    report = deliverer.deliver_due(clock())
    assert (report.sent, report.failed, report.retrying) == (5, 1, 0)
    assert [len(chat.stub.inbox(u)) for u in users] == [1, 1, 0, 1, 1, 1]
    broken = _row_for(db_session, users[2])
    assert broken.status == OutboundStatus.FAILED and broken.attempts == 1
    assert broken.last_error is not None and "ValueError" in broken.last_error
    assert "お知らせ" not in broken.last_error and "お知らせ" not in caplog.text
    assert all(_row_for(db_session, u).attempts == 1 for u in users)
    # Nothing is sent again once the lease is over.
    clock.advance(minutes=10)
    assert deliverer.deliver_due(clock()).api_calls == 0
    assert [len(chat.stub.inbox(u)) for u in users] == [1, 1, 0, 1, 1, 1]


def test_a_round_starts_no_call_once_its_time_is_up_and_leaves_the_rest_untouched(
    app: Flask,
    chat: Chat,
    clock: FakeClock,
    db_session: Session,
    deliverer: Deliverer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # However long the round, a live sender renews its lease between calls, before it runs out.
    assert LEASE.total_seconds() * 0.7 > HEARTBEAT_SECONDS + WORST_CALL_SECONDS
    users = _users(chat, 6)
    _queue(app, clock, users)
    ids = [_row_for(db_session, u).id for u in users]
    monkeypatch.setattr(deliverer, "concurrency", 1)
    monkeypatch.setattr(deliverer, "round_seconds", 0.2)
    chat.stub.delay_next(0.6, path_prefix=PUSH)  # the round's first call alone outlasts its time

    report = deliverer.deliver(ids)
    assert (report.api_calls, report.sent) == (1, 1)
    assert [len(chat.stub.inbox(u)) for u in users] == [1, 0, 0, 0, 0, 0]
    db_session.expire_all()
    left = [_row_for(db_session, u) for u in users[1:]]
    assert all(r.status == OutboundStatus.PENDING and r.attempts == 0 and r.claimed_by is None for r in left)

    # Released, not leased: the worker's sweep sends them at once, each exactly once.
    assert deliverer.deliver_due(clock()).sent == 5
    assert [len(chat.stub.inbox(u)) for u in users] == [1] * 6
    assert chat.stub.calls(PUSH) == chat.stub.calls(PUSH, 200) == 6


def test_a_reply_its_sender_never_sent_expires_with_its_token(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, deliverer: Deliverer
) -> None:
    user = _users(chat, 1)[0]
    with transaction(app.extensions["otagai.session_factory"]) as session:
        # Queued by a webhook whose process died before sending it.
        row = outbox.enqueue_reply(
            session, "dead-token", user, [{"type": "text", "text": "x"}], event_id=None, now=clock()
        )
        session.flush()
        row_id = row.id
    clock.advance(seconds=59)
    deliverer.deliver_due(clock())
    db_session.expire_all()
    reply = db_session.get(OutboundMessage, row_id)
    assert reply is not None and reply.status == OutboundStatus.PENDING
    clock.advance(seconds=2)
    deliverer.deliver_due(clock())
    db_session.expire_all()
    reply = db_session.get(OutboundMessage, row_id)
    assert reply is not None and reply.status == OutboundStatus.FAILED
    assert reply.last_error == "reply token expired"
    assert chat.stub.calls("/v2/bot/message/reply") == 0


def test_a_crash_before_recording_results_is_repaired_by_the_lease(
    app: Flask, chat: Chat, clock: FakeClock, deliverer: Deliverer, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = deliverer.round_size + 10
    users = _users(chat, count)
    _queue(app, clock, users)

    def crash(*_args: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(deliverer, "_record", crash)
    with pytest.raises(RuntimeError):
        deliverer.deliver_due(clock())
    monkeypatch.undo()
    # The first round went out; its rows stay leased, the rest were never claimed.
    assert [len(chat.stub.inbox(u)) for u in users] == [1] * deliverer.round_size + [0] * 10
    # Within a minute, the dead sender's rows are another's.
    clock.advance(seconds=46)
    assert deliverer.deliver_due(clock()).sent == count
    assert [len(chat.stub.inbox(u)) for u in users] == [1] * count


def test_a_live_sender_renews_its_lease_while_it_works(
    app: Flask, chat: Chat, clock: FakeClock, deliverer: Deliverer, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = _users(chat, 3)
    _queue(app, clock, users)
    monkeypatch.setattr(bot.delivery, "HEARTBEAT_SECONDS", 0.0)  # renew before every call
    monkeypatch.setattr(deliverer, "concurrency", 1)
    real_push = deliverer.gateway.push

    def slow_push(*args: Any) -> Any:
        clock.advance(seconds=30)  # each call takes half a minute of the round's time
        return real_push(*args)

    def crash(*_args: Any) -> Any:
        raise RuntimeError("killed before recording")

    monkeypatch.setattr(deliverer.gateway, "push", slow_push)
    monkeypatch.setattr(deliverer, "_record", crash)
    with pytest.raises(RuntimeError):
        deliverer.deliver_due(clock())
    monkeypatch.undo()
    # 90 s into the round its lease was renewed at 60 s: still held for another 15 s.
    assert deliverer.deliver_due(clock()).api_calls == 0
    clock.advance(seconds=16)
    report = deliverer.deliver_due(clock())
    assert report.sent == 3 and [len(chat.stub.inbox(u)) for u in users] == [1] * 3


def test_many_recipients_go_out_as_multicasts_of_at_most_500(
    app: Flask, chat: Chat, clock: FakeClock
) -> None:
    users = [f"U{i:032x}" for i in range(1200)]
    with transaction(app.extensions["otagai.session_factory"]) as session:
        rows = outbox.enqueue_push(
            session, users, [{"type": "text", "text": "地域食堂のお知らせ"}], now=clock()
        )
        assert [len(r.recipients) for r in rows] == [500, 500, 200]
    run_due(app, clock)
    calls = [r for r in chat.stub.requests if r.path == "/v2/bot/message/multicast"]
    assert sorted(len(r.json["to"]) for r in calls) == [200, 500, 500]
    assert [len(chat.stub.inbox(u)) for u in users] == [1] * 1200
    assert len({r.headers["x-line-retry-key"] for r in calls}) == 3


@pytest.fixture
def coordinator(chat: Chat, db_session: Session) -> Iterator[str]:
    yield make_coordinator(chat, db_session)


def test_when_the_quota_runs_low_only_urgent_pushes_go_and_coordinators_hear(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, coordinator: str
) -> None:
    chat.stub.set_quota(100, used=92)  # 8 left; the reserve is 10 %
    urgent, normal, low = _users(chat, 1, "a"), _users(chat, 1, "b"), _users(chat, 2, "c")
    _queue(app, clock, urgent, outbox.PRIORITY_URGENT)
    _queue(app, clock, normal, outbox.PRIORITY_NORMAL)
    _queue(app, clock, low, outbox.PRIORITY_LOW)
    run_due(app, clock)
    assert len(chat.stub.inbox(urgent[0])) == 1
    assert [len(chat.stub.inbox(u)) for u in normal + low] == [0, 0, 0]
    assert chat.new_texts(coordinator) == [
        "【お知らせ】今月のLINEのお知らせ（プッシュ）が、残り8通になりました（上限100通）。\n"
        "大事なお知らせだけを送ります。"
    ]
    clock.advance(hours=1)
    run_due(app, clock)
    assert chat.new_texts(coordinator) == []  # told once a month
    assert [len(chat.stub.inbox(u)) for u in normal + low] == [0, 0, 0]
    clock.advance(hours=24)
    run_due(app, clock)
    db_session.expire_all()
    held = db_session.scalars(
        select(OutboundMessage).where(OutboundMessage.status == OutboundStatus.FAILED)
    ).all()
    assert len(held) == 3 and all("quota" in (r.last_error or "") for r in held)


def test_lines_monthly_limit_holds_pushes_instead_of_failing_them(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    run_due(app, clock)  # reads the quota: unlimited so far
    chat.stub.set_quota(50, used=50)
    users = _users(chat, 2)
    _queue(app, clock, users[:1], outbox.PRIORITY_URGENT)
    run_due(app, clock)
    row = _row_for(db_session, users[0])
    assert row.status == OutboundStatus.PENDING and row.attempts == 0
    assert "monthly limit" in (row.last_error or "")
    # Believing LINE, the next push is not even tried until the quota is read again.
    _queue(app, clock, users[1:], outbox.PRIORITY_URGENT)
    calls = chat.stub.calls(PUSH)
    run_due(app, clock)
    assert chat.stub.calls(PUSH) == calls
    # Next month (or a bigger plan): both go out.
    chat.stub.set_quota(5000, used=50)
    clock.advance(hours=1)
    run_due(app, clock)
    assert [len(chat.stub.inbox(u)) for u in users] == [1, 1]


def _push(app: Flask, clock: FakeClock, user: str, text: str, priority: int) -> int:
    with transaction(app.extensions["otagai.session_factory"]) as session:
        (row,) = outbox.enqueue_push(
            session, [user], [{"type": "text", "text": text}], priority=priority, now=clock()
        )
        session.flush()
        return row.id


def test_each_person_reads_messages_in_the_order_they_were_caused(
    app: Flask, chat: Chat, clock: FakeClock, deliverer: Deliverer
) -> None:
    (user,) = _users(chat, 1)
    # The worker queued a reminder; a moment later a webhook queues an urgent notice for the same person.
    _push(app, clock, user, "リマインド", outbox.PRIORITY_NORMAL)
    urgent = _push(app, clock, user, "取り消されました", outbox.PRIORITY_URGENT)
    # The webhook does not send its notice ahead of the older message: the worker sends both, in order.
    assert deliverer.deliver([urgent]).api_calls == 0
    assert chat.stub.texts_for(user) == []
    assert deliverer.deliver_due(clock()).sent == 2
    assert chat.stub.texts_for(user) == ["リマインド", "取り消されました"]


def test_a_webhooks_push_goes_at_once_when_nothing_older_waits_for_that_person(
    app: Flask, chat: Chat, clock: FakeClock, deliverer: Deliverer
) -> None:
    first, second = _users(chat, 2)
    _push(app, clock, first, "リマインド", outbox.PRIORITY_NORMAL)
    notice = _push(app, clock, second, "取り消されました", outbox.PRIORITY_URGENT)
    assert deliverer.deliver([notice]).sent == 1
    assert chat.stub.texts_for(second) == ["取り消されました"]


def test_a_multicast_and_a_later_push_to_one_of_its_people_arrive_in_order(
    app: Flask, chat: Chat, clock: FakeClock, deliverer: Deliverer
) -> None:
    first, second, third = _users(chat, 3)
    with transaction(app.extensions["otagai.session_factory"]) as session:
        outbox.enqueue_push(
            session,
            [first, second],
            [{"type": "text", "text": "お知らせ"}],
            priority=outbox.PRIORITY_LOW,
            now=clock(),
        )
    _push(app, clock, second, "取り消されました", outbox.PRIORITY_URGENT)
    _push(app, clock, third, "ほかの人へ", outbox.PRIORITY_NORMAL)
    # LINE is slow with the multicast: a push to `second` in a lane of its own would overtake it.
    chat.stub.delay_next(0.5, 1, "/v2/bot/message/multicast")
    assert deliverer.deliver_due(clock()).sent == 3
    assert chat.stub.texts_for(second) == ["お知らせ", "取り消されました"]
    assert chat.stub.texts_for(first) == ["お知らせ"] and chat.stub.texts_for(third) == ["ほかの人へ"]


REPLY = "/v2/bot/message/reply"
HOW_TO = "使い方です。"


def _replies(db_session: Session, user: str) -> list[OutboundMessage]:
    db_session.expire_all()
    return [r for r in db_session.scalars(select(OutboundMessage)) if r.recipients == [user]]


def _nothing_more_later(app: Flask, clock: FakeClock, chat: Chat, user: str) -> None:
    """Later sweeps, now and minutes on, send the user nothing more: the answer went exactly once."""
    run_due(app, clock)
    clock.advance(minutes=5)
    run_due(app, clock)
    assert chat.new_texts(user) == []


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_reply_line_did_not_take_is_sent_again_as_a_reply_while_its_token_lives(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, status: int
) -> None:
    user = _users(chat, 1)[0]
    chat.stub.fail_next(1, status, REPLY)
    assert chat.say(user, "使い方") == []
    (row,) = _replies(db_session, user)
    assert row.status == OutboundStatus.PENDING and row.attempts == 1
    clock.advance(seconds=10)  # the worker's next tick
    run_due(app, clock)
    texts = chat.new_texts(user)
    assert len(texts) == 1 and texts[0].startswith(HOW_TO)
    _nothing_more_later(app, clock, chat, user)
    assert [r.status for r in chat.stub.requests if r.path == REPLY] == [status, 200]
    assert chat.stub.calls(PUSH) == 0
    (row,) = _replies(db_session, user)
    assert row.status == OutboundStatus.SENT and row.kind == "reply"


@pytest.mark.parametrize(("status", "quiet"), [(500, False), (429, False), (500, True)])
def test_a_reply_line_did_not_take_becomes_a_push_once_its_token_is_old(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, status: int, quiet: bool
) -> None:
    if quiet:
        clock.now = clock.now.replace(hour=14)  # 23:00 in Tokyo: it answers the user, so it goes now
    user = _users(chat, 1)[0]
    chat.stub.fail_next(2, status, REPLY)
    assert chat.say(user, "使い方") == []
    clock.advance(seconds=10)
    run_due(app, clock)  # tried again as a reply: refused again
    assert chat.new_texts(user) == []
    clock.advance(seconds=35)  # the token is too old to try again
    run_due(app, clock)
    texts = chat.new_texts(user)
    assert len(texts) == 1 and texts[0].startswith(HOW_TO)
    _nothing_more_later(app, clock, chat, user)
    assert [r.status for r in chat.stub.requests if r.path == REPLY] == [status, status]
    (push_call,) = [r for r in chat.stub.requests if r.path == PUSH]
    assert push_call.status == 200 and push_call.headers["x-line-retry-key"]
    reply, push = sorted(_replies(db_session, user), key=lambda r: r.id)
    assert (reply.kind, reply.status) == ("reply", OutboundStatus.FAILED)
    assert reply.last_error and reply.last_error.startswith("sent as a push instead")
    assert (push.kind, push.status, push.messages) == ("push", OutboundStatus.SENT, reply.messages)
    assert push.retry_key == push_call.headers["x-line-retry-key"] and push.priority == outbox.PRIORITY_REPLY
    assert chat.stub.quota_used == 1  # it counts toward the month's pushes


def test_a_reply_refused_for_its_content_is_not_sent_again(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    user = _users(chat, 1)[0]
    chat.stub.fail_next(1, 400, REPLY)
    assert chat.say(user, "使い方") == []
    (row,) = _replies(db_session, user)
    assert row.status == OutboundStatus.FAILED
    for seconds in (10, 50):
        clock.advance(seconds=seconds)
        run_due(app, clock)
    assert chat.new_texts(user) == []
    assert chat.stub.calls(REPLY) == 1 and chat.stub.calls(PUSH) == 0


@pytest.mark.line_timeouts
def test_a_reply_whose_answer_never_came_is_not_sent_again(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    """A read timeout: LINE may have delivered it, so another try could answer twice."""
    user = _users(chat, 1)[0]
    chat.stub.delay_next(bot.gateway.REPLY_TIMEOUT[1] + 0.5, 1, REPLY)
    chat.say(user, "使い方")
    (row,) = _replies(db_session, user)
    assert row.status == OutboundStatus.FAILED
    for seconds in (10, 50):
        clock.advance(seconds=seconds)
        run_due(app, clock)
    time.sleep(1.0)  # the stand-in finishes the slow call: LINE did deliver it
    assert chat.stub.calls(REPLY) == 1 and chat.stub.calls(PUSH) == 0
    texts = chat.new_texts(user)
    assert len(texts) == 1 and texts[0].startswith(HOW_TO)  # once, not twice


def test_a_connection_that_cannot_be_made_is_known_as_not_taken() -> None:
    gateway = bot.gateway.LineGateway("token", "http://127.0.0.1:9")  # nothing listens on port 9
    try:
        result = gateway.reply("some-token", [{"type": "text", "text": "x"}])
    finally:
        gateway.close()
    assert not result.ok and result.connect_failed and result.unaccepted
