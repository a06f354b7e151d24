"""`otagai report`: a month's numbers from a real help cycle, in text and JSON."""

from __future__ import annotations

import json

from click.testing import CliRunner
from flask import Flask

from bot.cli import main
from tests.handlers.cycle import at, jst, matched
from tests.handlers.dialogue import submit_request, tap_label
from tests.support import Chat, FakeClock


def _run(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.output


def test_a_months_numbers_count_what_happened(
    app: Flask, chat: Chat, clock: FakeClock, database_url: str
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 16))
    tap_label(chat, match.resident, "完了した")
    tap_label(chat, match.supporter, "1時間半")
    # A request nobody can take (no pet-sitter near), withdrawn; another for 佐藤, not yet answered.
    submit_request(chat, match.resident, "犬の散歩をお願いしたい")
    submit_request(chat, match.resident, "電球が切れて替えられない")
    chat.say(match.resident, "自分の依頼")
    tap_label(chat, match.resident, "取り消す")
    tap_label(chat, match.resident, "取り消す")  # confirmed

    code, out = _run(database_url, "report", "--month", "2026-11", "--json")
    assert code == 0, out
    numbers = json.loads(out)
    assert numbers["requests"] == 3
    assert numbers["by_status"] == {"done": 1, "matched": 0, "open": 1, "cancelled": 1, "expired": 0}
    assert numbers["by_category"] == {
        "repair": {"label": "電球・修理", "total": 2, "done": 1, "open": 1},
        "pets": {"label": "ペットの世話", "total": 1, "cancelled": 1},
    }
    assert (numbers["minutes_given"], numbers["supporters_who_helped"], numbers["no_shows"]) == (90, 1, 0)
    # The first request was accepted at once (the clock stood still); the other two never were.
    assert (numbers["unmatched"], numbers["median_minutes_to_accept"], numbers["active_supporters"]) == (
        2,
        0,
        1,
    )
    assert numbers["ledger"] == [
        {"name": "佐藤一郎", "minutes_given": 90, "minutes_received": 0},
        {"name": "山田花子", "minutes_given": 0, "minutes_received": 90},
    ]

    code, out = _run(database_url, "report", "--month", "2026-11")
    assert "requests sent: 3 (done 1, matched 0, open 1, cancelled 1, expired 0)" in out
    assert "never accepted: 2; median time to accept: 0 min; supporters who answered a card: 1" in out
    assert "help given: 1.5 hours by 1 supporter(s)" in out and "  佐藤一郎  1.5 / 0" in out
    code, out = _run(database_url, "report", "--month", "2026-12")
    assert code == 0 and "requests sent: 0" in out
    code, out = _run(database_url, "report", "--month", "2026-13")
    assert code == 2 and "is not a month like 2026-11" in out
