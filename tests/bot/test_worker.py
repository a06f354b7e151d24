"""`otagai run-due` and `otagai worker`: one pass at a given time, the real scheduler, two workers sharing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.dev.line_stub import LineStub, user_id_for
from db.engine import make_engine
from db.models import (
    FollowUp,
    FollowUpKind,
    FollowUpState,
    HelpRequest,
    Member,
    OutboundMessage,
    OutboundStatus,
    RequestStatus,
)
from tests.handlers.cycle import jst, matched
from tests.support import SECRET, TOKEN, Chat, postgres_url
from tests.worker_process import run_worker_until

ROOT = Path(__file__).resolve().parents[2]
EVE_REMINDER = "明日 14:00から、【電球・修理】のお手伝いです。"


def _env(database_url: str, stub: LineStub, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_ENDPOINT": stub.url,
        "OTAGAI_TIMEZONE": "Asia/Tokyo",
        **extra,
    }


def _run_due(database_url: str, stub: LineStub, at: str) -> str:
    result = CliRunner().invoke(main, ["run-due", "--at", at], env=_env(database_url, stub))
    assert result.exit_code == 0, result.output
    return result.output


def test_run_due_acts_as_if_the_clock_read_the_given_time(
    app: Flask, chat: Chat, database_url: str, line_stub: LineStub
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    assert "follow-ups: 0 handled" in _run_due(database_url, line_stub, "2026-11-25T17:59:00+09:00")
    assert chat.new_texts(match.supporter) == []
    # 09:00 UTC is 18:00 in Tokyo: the offset is honoured.
    output = _run_due(database_url, line_stub, "2026-11-25T09:00:00Z")
    assert "follow-ups: 1 handled; messages: 1 sent" in output
    assert chat.new_texts(match.supporter)[0].startswith(EVE_REMINDER)
    # Without an offset the time is OTAGAI_TIMEZONE's.
    _run_due(database_url, line_stub, "2026-11-26T12:59")
    assert chat.new_texts(match.supporter) == []
    _run_due(database_url, line_stub, "2026-11-26T13:00")
    assert chat.new_texts(match.supporter)[0].startswith("まもなく（14:00から）")


def test_run_due_refuses_a_time_it_cannot_read(database_url: str, line_stub: LineStub) -> None:
    result = CliRunner().invoke(main, ["run-due", "--at", "tomorrow"], env=_env(database_url, line_stub))
    assert result.exit_code != 0 and "not an ISO 8601 time" in result.output


def _seed_reminders(database_url: str, count: int, due: datetime, prefix: str) -> list[str]:
    """`count` matched requests, each with an hour-before reminder due at `due` for its own supporter.

    The appointments are a minute apart, so every reminder is a different message (no multicast).
    """
    engine = make_engine(database_url)
    supporters = [user_id_for(f"{prefix}-supporter-{i}") for i in range(count)]
    with engine.begin() as conn:
        conn.execute(
            insert(Member),
            [
                {"line_user_id": uid, "display_name": f"サポーター{i}", "is_supporter": True}
                for i, uid in enumerate(supporters)
            ]
            + [
                {
                    "line_user_id": user_id_for(f"{prefix}-resident"),
                    "display_name": "住民",
                    "is_supporter": False,
                }
            ],
        )
        ids = dict(conn.execute(select(Member.line_user_id, Member.id)).all())
        resident = ids[user_id_for(f"{prefix}-resident")]
        conn.execute(
            insert(HelpRequest),
            [
                {
                    "requester_id": resident,
                    "category": "light_repair",
                    "text": "電球",
                    "status": RequestStatus.MATCHED,
                    "accepted_by_id": ids[uid],
                    "wanted_at": due + timedelta(hours=1, minutes=i),
                    "matched_at": due - timedelta(days=1),
                }
                for i, uid in enumerate(supporters)
            ],
        )
        requests = conn.execute(select(HelpRequest.id, HelpRequest.accepted_by_id)).all()
        conn.execute(
            insert(FollowUp),
            [
                {
                    "request_id": request_id,
                    "kind": FollowUpKind.REMIND_HOUR,
                    "member_id": supporter_id,
                    "due_at": due,
                    "created_at": due - timedelta(days=1),
                }
                for request_id, supporter_id in requests
            ],
        )
    engine.dispose()
    return supporters


DRIVER = """
import json, sys
from datetime import datetime
from handlers.settings import Settings
from bot.worker import run_once

settings = Settings.from_env()
print("ready", flush=True)
sys.stdin.readline()  # both workers start together, once both have loaded
report = run_once(settings, datetime.fromisoformat(sys.argv[1]), batch=int(sys.argv[2]))
print(json.dumps({"followups": report.followups, "sent": report.delivery.sent}))
"""


@pytest.mark.skipif(postgres_url() is None, reason="needs PostgreSQL (set TEST_DATABASE_URL)")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_worker_processes_split_1000_follow_ups_and_send_each_once(
    database_url: str, line_stub: LineStub, db_session: Session
) -> None:
    due = jst(25, 10)
    supporters = _seed_reminders(database_url, 1000, due, "split")
    env = {**os.environ, **_env(database_url, line_stub), "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", DRIVER, due.isoformat(), "50"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:  # under load one process may take seconds longer to import than the other
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))

    assert sum(r["followups"] for r in reports) == 1000
    assert all(r["followups"] > 0 for r in reports), reports  # both took a share
    assert sum(r["sent"] for r in reports) == 1000
    assert [len(line_stub.inbox(uid)) for uid in supporters] == [1] * 1000
    pushes = [r for r in line_stub.requests if r.path == "/v2/bot/message/push"]
    assert len(pushes) == 1000 and all(r.status == 200 for r in pushes)
    assert len({r.headers["x-line-retry-key"] for r in pushes}) == 1000
    done = db_session.scalar(select(func.count()).where(FollowUp.state == FollowUpState.DONE))
    sent = db_session.scalar(select(func.count()).where(OutboundMessage.status == OutboundStatus.SENT))
    assert (done, sent) == (1000, 1000)


def test_otagai_worker_runs_the_scheduler_and_stops_on_sigterm(
    database_url: str, line_stub: LineStub, db_session: Session
) -> None:
    # The worker runs on the real clock: the reminders are due a minute ago.
    now = datetime.now(UTC).replace(microsecond=0)
    supporters = _seed_reminders(database_url, 3, now - timedelta(minutes=1), "live")
    env = {**os.environ, **_env(database_url, line_stub, OTAGAI_QUIET_HOURS="off")}
    logged = run_worker_until(env, "follow-ups: 3 handled")
    assert [len(line_stub.inbox(uid)) for uid in supporters] == [1, 1, 1]
    # No bodies logged: neither the reminder (まもなく（…）、【電球・修理】…) nor the request's text.
    assert "まもなく" not in logged and "電球" not in logged
