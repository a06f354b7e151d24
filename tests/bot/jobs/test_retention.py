"""Retention: old event ids and finished outbox rows go in bounded batches, everything else stays."""

from __future__ import annotations

import os
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import Engine, event, insert, select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.dev.line_stub import LineStub
from bot.jobs.retention import Retention, RetentionReport
from db.engine import make_engine, make_session_factory
from db.models import OutboundMessage, OutboundStatus, ProcessedEvent
from tests.support import SECRET, TOKEN
from tests.worker_process import run_worker_until

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
# The personal-data steps of a pass that finds nothing of theirs to do (tests/bot/test_privacy_retention.py).
NOTHING_PERSONAL = "; 0 departed members erased; 0 closed requests anonymised; 0 relay photos deleted"
BODY = [{"type": "text", "text": "山田さんから: 明日は14時に伺います。"}]


def _message(
    days_ago: float, status: OutboundStatus = OutboundStatus.SENT, *, now: datetime = NOW, **extra: Any
) -> dict[str, Any]:
    created = now - timedelta(days=days_ago)
    return {
        "kind": "push",
        "recipients": ["U" + uuid.uuid4().hex],
        "messages": BODY,
        "retry_key": str(uuid.uuid4()),
        "status": status,
        "created_at": created,
        "next_attempt_at": created,
        # Every row has every key: an insert of many rows takes its columns from the first one.
        "attempts": 0,
        "claimed_by": None,
        "last_error": None,
        **extra,
    }


def _event(days_ago: float, *, now: datetime = NOW) -> dict[str, Any]:
    received = now - timedelta(days=days_ago)
    return {"webhook_event_id": uuid.uuid4().hex, "event_type": "message", "received_at": received}


def _seed(database_url: str, *, events: list[dict[str, Any]], messages: list[dict[str, Any]]) -> None:
    engine = make_engine(database_url)
    with engine.begin() as conn:
        if events:
            conn.execute(insert(ProcessedEvent), events)
        if messages:
            conn.execute(insert(OutboundMessage), messages)
    engine.dispose()


def _purge(database_url: str, *, dry_run: bool = False, batch: int = 1000) -> RetentionReport:
    engine = make_engine(database_url)
    try:
        return Retention(make_session_factory(engine), batch=batch).run(NOW, dry_run=dry_run)
    finally:
        engine.dispose()


def _messages(session: Session) -> dict[str, OutboundMessage]:
    session.expire_all()
    return {row.retry_key: row for row in session.scalars(select(OutboundMessage))}


def _event_ids(session: Session) -> set[str]:
    return set(session.scalars(select(ProcessedEvent.webhook_event_id)))


def test_old_finished_rows_go_and_recent_or_unfinished_rows_stay(
    database_url: str, db_session: Session
) -> None:
    old_event, recent_event = _event(31), _event(29)
    gone = [_message(91), _message(91, OutboundStatus.FAILED, last_error="400 invalid")]
    kept = {
        "recent sent": _message(89),
        "recent failed": _message(30, OutboundStatus.FAILED),
        "pending for months": _message(120, OutboundStatus.PENDING, attempts=3),
        # Leased: a sender holds it right now (the lease is next_attempt_at).
        "leased": _message(
            120,
            OutboundStatus.PENDING,
            claimed_by=str(uuid.uuid4()),
            next_attempt_at=NOW + timedelta(minutes=5),
        ),
    }
    _seed(database_url, events=[old_event, recent_event], messages=gone + list(kept.values()))

    report = _purge(database_url)

    assert (report.events, report.messages) == (1, 2)
    assert _event_ids(db_session) == {recent_event["webhook_event_id"]}
    rows = _messages(db_session)
    assert set(rows) == {m["retry_key"] for m in kept.values()}
    assert rows[kept["leased"]["retry_key"]].claimed_by == kept["leased"]["claimed_by"]


def test_bodies_of_finished_rows_are_erased_after_a_week_and_the_rows_kept(
    database_url: str, db_session: Session
) -> None:
    erased = {"sent": _message(8), "failed": _message(60, OutboundStatus.FAILED)}
    kept = {"this week": _message(6), "pending": _message(8, OutboundStatus.PENDING)}
    _seed(database_url, events=[], messages=list(erased.values()) + list(kept.values()))

    report = _purge(database_url)

    assert (report.messages, report.bodies) == (0, 2)
    rows = _messages(db_session)
    for seeded in erased.values():
        row = rows[seeded["retry_key"]]
        # The log keeps who got what kind of message when, and how it went; only the words are gone.
        assert row.messages == []
        assert (row.recipients, row.status) == (seeded["recipients"], seeded["status"])
    assert [rows[m["retry_key"]].messages for m in kept.values()] == [BODY, BODY]
    assert _purge(database_url).bodies == 0  # erased once, not rewritten on every pass


def _statements(engine: Engine) -> list[str]:
    """What the engine does, in order: each DELETE with its row count, each UPDATE, and each commit.

    (An UPDATE … RETURNING has no row count on SQLite before its rows are read.)
    """
    seen: list[str] = []

    @event.listens_for(engine, "after_cursor_execute")
    def _executed(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split()
        if words[0] == "DELETE":
            seen.append(f"DELETE {words[2]} {cursor.rowcount}")
        elif words[0] == "UPDATE":
            seen.append(f"UPDATE {words[1]}")

    @event.listens_for(engine, "commit")
    def _committed(_conn: Any) -> None:
        seen.append("COMMIT")

    return seen


def test_a_large_backlog_goes_1000_rows_per_transaction(database_url: str, db_session: Session) -> None:
    _seed(
        database_url,
        events=[_event(40) for _ in range(2500)],
        messages=[_message(100) for _ in range(2500)] + [_message(10) for _ in range(1200)],
    )
    engine = make_engine(database_url)
    seen = _statements(engine)
    report = Retention(make_session_factory(engine)).run(NOW)
    engine.dispose()

    assert (report.events, report.messages, report.bodies) == (2500, 2500, 1200)
    assert seen == [
        "COMMIT",  # no departed member to erase
        "DELETE processed_events 1000", "COMMIT",
        "DELETE processed_events 1000", "COMMIT",
        "DELETE processed_events 500", "COMMIT",
        "DELETE outbound_messages 1000", "COMMIT",
        "DELETE outbound_messages 1000", "COMMIT",
        "DELETE outbound_messages 500", "COMMIT",
        # Two batches for 1,200 bodies: 1,000, then the rest.
        "UPDATE outbound_messages", "COMMIT",
        "UPDATE outbound_messages", "COMMIT",
        "COMMIT",  # no closed request old enough to anonymise
        "DELETE relay_media 0", "COMMIT",
        # The desk's own small tables (db/desk.py purge): one transaction.
        "DELETE desk_sign_in_attempts 0", "DELETE coordinator_notices 0", "DELETE desk_sign_in_links 0",
        "COMMIT",
    ]  # fmt: skip
    assert _event_ids(db_session) == set()
    assert len(_messages(db_session)) == 1200


def test_a_dry_run_changes_nothing_and_counts_what_a_run_does(database_url: str, db_session: Session) -> None:
    _seed(
        database_url,
        events=[_event(31), _event(45), _event(1)],
        messages=[_message(91), _message(8), _message(8), _message(8), _message(91, OutboundStatus.PENDING)],
    )

    dry = _purge(database_url, dry_run=True)

    assert (dry.events, dry.messages, dry.bodies) == (2, 1, 3)
    assert len(_event_ids(db_session)) == 3
    assert [row.messages for row in _messages(db_session).values()] == [BODY] * 5
    done = _purge(database_url)
    assert (done.events, done.messages, done.bodies) == (dry.events, dry.messages, dry.bodies)


def test_two_workers_purging_at_once_split_the_rows(database_url: str, db_session: Session) -> None:
    _seed(database_url, events=[], messages=[_message(100) for _ in range(1000)])
    start = threading.Barrier(2)
    reports: list[RetentionReport] = []

    def worker() -> None:
        start.wait()
        reports.append(_purge(database_url, batch=50))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(reports) == 2
    assert sum(r.messages for r in reports) == 1000  # each row counted by the one worker that deleted it
    assert _messages(db_session) == {}


def _seed_around_today(database_url: str) -> None:
    """One old event id, two old finished rows and one row with an old body, by the real clock."""
    now = datetime.now(UTC)
    _seed(
        database_url,
        events=[_event(31, now=now), _event(0, now=now)],
        messages=[
            _message(91, now=now),
            _message(120, OutboundStatus.FAILED, now=now),
            _message(10, now=now),
            _message(1, now=now),
        ],
    )


def test_otagai_db_purge_prints_what_it_would_delete_and_then_deletes_it(
    database_url: str, db_session: Session
) -> None:
    _seed_around_today(database_url)
    # Only the database is needed: no LINE channel secrets in the environment.
    env = {"DATABASE_URL": database_url, "LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": ""}

    dry = CliRunner().invoke(main, ["db", "purge", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert dry.output == (
        "retention (dry run): 1 processed events, 2 outbound messages would be deleted; "
        "1 message bodies would be erased; 0 departed members would be erased; "
        "0 closed requests would be anonymised; 0 relay photos would be deleted\n"
    )
    assert (len(_event_ids(db_session)), len(_messages(db_session))) == (2, 4)

    done = CliRunner().invoke(main, ["db", "purge"], env=env)
    assert done.exit_code == 0, done.output
    assert done.output == (
        "retention: 1 processed events, 2 outbound messages deleted; 1 message bodies erased"
        f"{NOTHING_PERSONAL}\n"
    )
    assert (len(_event_ids(db_session)), len(_messages(db_session))) == (1, 2)


def _env(database_url: str, stub: LineStub) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_ENDPOINT": stub.url,
        "OTAGAI_TIMEZONE": "Asia/Tokyo",
    }


def test_run_due_purges_as_one_pass_of_the_worker(
    database_url: str, line_stub: LineStub, db_session: Session
) -> None:
    _seed(database_url, events=[_event(31)], messages=[_message(91), _message(8)])
    at = NOW.isoformat()

    result = CliRunner().invoke(main, ["run-due", "--at", at], env=_env(database_url, line_stub))

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "retention: 1 processed events, 1 outbound messages deleted; 1 message bodies erased"
        + NOTHING_PERSONAL
    )
    assert _event_ids(db_session) == set()
    assert [row.messages for row in _messages(db_session).values()] == [[]]


def test_the_worker_purges_when_it_starts(
    database_url: str, line_stub: LineStub, db_session: Session
) -> None:
    _seed_around_today(database_url)
    logged = run_worker_until({**os.environ, **_env(database_url, line_stub)}, "retention:")
    assert "retention: 1 processed events, 2 outbound messages deleted; 1 message bodies erased" in logged
    assert (len(_event_ids(db_session)), len(_messages(db_session))) == (1, 2)
