"""The gateway over real HTTP: one try per call (the outbox retries), and short timeouts."""

from __future__ import annotations

import time

import pytest

from bot.dev.line_stub import LineStub
from bot.gateway import PROFILE_TIMEOUT, LineGateway
from tests.support import TOKEN

PROFILE = "/v2/bot/profile/"
PUSH = "/v2/bot/message/push"


@pytest.mark.line_timeouts
def test_a_hung_profile_lookup_gives_up_after_about_a_second_and_is_not_retried(line_stub: LineStub) -> None:
    user = "U" + "1" * 32
    line_stub.add_user(user, "佐藤")
    line_stub.delay_next(2.0, 4, PROFILE)
    gateway = LineGateway(TOKEN, line_stub.url)
    started = time.monotonic()
    try:
        assert gateway.profile(user) is None
    finally:
        gateway.close()
    assert time.monotonic() - started < PROFILE_TIMEOUT + 0.5
    # The stub records a call when it answers: wait for the one delayed call to finish.
    deadline = time.monotonic() + 10
    while line_stub.calls(PROFILE + user) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert line_stub.calls(PROFILE + user) == 1


def test_a_500_is_reported_once_not_retried_behind_our_back(line_stub: LineStub) -> None:
    line_stub.fail_next(3, 500, PUSH)
    gateway = LineGateway(TOKEN, line_stub.url)
    try:
        result = gateway.push(
            "U" + "2" * 32, [{"type": "text", "text": "x"}], "00000000-0000-4000-8000-000000000001"
        )
    finally:
        gateway.close()
    assert not result.ok and result.status == 500 and result.retryable
    assert line_stub.calls(PUSH) == 1


def test_a_refused_connection_fails_at_once(line_stub: LineStub) -> None:
    gateway = LineGateway(TOKEN, "http://127.0.0.1:9")  # nothing listens on the discard port
    started = time.monotonic()
    try:
        result = gateway.push(
            "U" + "3" * 32, [{"type": "text", "text": "x"}], "00000000-0000-4000-8000-000000000002"
        )
    finally:
        gateway.close()
    assert not result.ok and result.retryable and time.monotonic() - started < 1.0
