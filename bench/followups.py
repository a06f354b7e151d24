"""Benchmark: 10,000 due follow-ups dispatched to a local LINE stub; time, API calls and peak memory.

Usage:
    .venv/bin/python bench/followups.py [--count 10000] [--mix realistic|distinct] [--database-url URL]

The database is seeded first (not timed): one matched request per follow-up, each for its own
supporter or resident. Then a separate process does what `otagai run-due` does at the due time
(claim in batches, act, queue in the outbox, deliver), against the LINE stub running in a third
process; its wall time and peak RSS are reported. The stub then confirms every recipient got
exactly one message.

--mix realistic (default): 40 % hour-before reminders (one appointment time), 30 % evening-before
reminders (18 half-hour slots tomorrow), 30 % check-ins, over 14 categories; identical notices
share multicasts, as in production. --mix distinct: every message differs (worst case: one push
per follow-up).

--database-url points at a scratch database that this script EMPTIES (for example
postgresql://postgres@127.0.0.1:5432/otagai_followups_bench); by default a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKEN = "bench-token"
JST = ZoneInfo("Asia/Tokyo")
# A weekday morning: daytime, so nothing waits for quiet hours.
DUE = datetime(2026, 12, 2, 18, 0, tzinfo=JST)

STUB_SERVER = """
import json, sys
from collections import Counter
from bot.dev.line_stub import LineStub
with LineStub(access_token=sys.argv[1]) as stub:
    print(stub.url, flush=True)
    sys.stdin.readline()
    requests = stub.requests
    calls = Counter(f"{r.path} {r.status}" for r in requests)
    delivered = stub._state.inbox  # the stub's own record of every message shown in a chat
    per_chat = Counter(entry.chat_id for entry in delivered)
    print(json.dumps({
        "calls": dict(calls),
        "messages": len(delivered),
        "chats": len(per_chat),
        "max_per_chat": max(per_chat.values(), default=0),
        "quota_used": stub.quota_used,
    }), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--mix", choices=("realistic", "distinct"), default="realistic")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--dispatch", nargs=2, metavar=("DATABASE_URL", "STUB_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dispatch:
        _dispatch(*args.dispatch, batch=args.batch)
        return
    with _database(args.database_url) as url:
        started = time.perf_counter()
        kinds = _seed(url, args.count, args.mix)
        seeded = time.perf_counter() - started
        with _stub() as (stub_url, stats):
            dispatched = _run_dispatcher(url, stub_url, args.batch)
            platform = stats()
    _report(args, url, kinds, seeded, dispatched, platform)


# --- the database -----------------------------------------------------------------------------------


@contextmanager
def _database(url: str | None) -> Iterator[str]:
    from sqlalchemy import create_engine, text

    from db.migrate import upgrade

    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.sqlite3"
            upgrade(url)
            yield url
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)
    yield url


def _seed(url: str, count: int, mix: str) -> dict[str, int]:
    """One matched request per follow-up, each for its own supporter (and resident)."""
    from sqlalchemy import insert, select

    from bot.dev.line_stub import user_id_for
    from db.engine import make_engine
    from db.models import FollowUp, FollowUpKind, HelpRequest, Member, RequestStatus
    from matching import categories

    category_ids = [c.id for c in categories()][:14]
    plan = []  # (kind, category, wanted_at)
    for i in range(count):
        category = category_ids[i % len(category_ids)]
        if mix == "distinct":
            # A different minute for each (and the category cycles every day): no two texts alike.
            plan.append(
                (
                    FollowUpKind.REMIND_HOUR,
                    category_ids[(i // 1440) % 14],
                    DUE + timedelta(hours=1, minutes=i),
                )
            )
        elif i % 10 < 4:
            plan.append((FollowUpKind.REMIND_HOUR, category, DUE + timedelta(hours=1)))
        elif i % 10 < 7:
            slot = timedelta(days=1, hours=-9 + (i // 14) % 18 * 0.5)  # 09:00 … 17:30 tomorrow
            plan.append((FollowUpKind.REMIND_EVE, category, DUE + slot))
        else:
            plan.append((FollowUpKind.CHECKIN, category, DUE - timedelta(hours=2)))

    engine = make_engine(url)
    with engine.begin() as conn:
        people = [
            {
                "line_user_id": user_id_for(f"bench-{role}-{i}"),
                "display_name": f"{role}{i}",
                "is_supporter": role == "s",
            }
            for i in range(count)
            for role in ("s", "r")
        ]
        for chunk in _chunks(people, 5000):
            conn.execute(insert(Member), chunk)
        ids = dict(conn.execute(select(Member.line_user_id, Member.id)).all())
        requests = [
            {
                "requester_id": ids[user_id_for(f"bench-r-{i}")],
                "accepted_by_id": ids[user_id_for(f"bench-s-{i}")],
                "category": category,
                "text": "電球が切れて替えられない",
                "status": RequestStatus.MATCHED,
                "wanted_at": wanted_at,
                "matched_at": DUE - timedelta(days=2),
                "address": "東京都世田谷区世田谷4丁目21-27",
                "area": "東京都世田谷区世田谷",
            }
            for i, (_, category, wanted_at) in enumerate(plan)
        ]
        for chunk in _chunks(requests, 5000):
            conn.execute(insert(HelpRequest), chunk)
        request_ids = [row[0] for row in conn.execute(select(HelpRequest.id).order_by(HelpRequest.id))]
        followups = [
            {
                "request_id": request_id,
                "kind": kind,
                "member_id": ids[user_id_for(f"bench-s-{i}")],
                "due_at": DUE,
                "created_at": DUE - timedelta(days=2),
            }
            for i, (request_id, (kind, _, _)) in enumerate(zip(request_ids, plan, strict=True))
        ]
        for chunk in _chunks(followups, 5000):
            conn.execute(insert(FollowUp), chunk)
    engine.dispose()
    counts: dict[str, int] = {}
    for kind, _, _ in plan:
        counts[kind.value] = counts.get(kind.value, 0) + 1
    return counts


def _chunks(rows: list[dict[str, object]], size: int) -> Iterator[list[dict[str, object]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


# --- the LINE stub, in its own process ---------------------------------------------------------------


@contextmanager
def _stub() -> Iterator[tuple[str, object]]:
    server = subprocess.Popen(
        [sys.executable, "-c", STUB_SERVER, TOKEN],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    url = server.stdout.readline().strip()

    def stats() -> dict[str, object]:
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write("stats\n")
        server.stdin.flush()
        return json.loads(server.stdout.readline())  # type: ignore[no-any-return]

    try:
        yield url, stats
    finally:
        server.stdin.close()
        server.wait(timeout=30)


# --- the dispatcher, in its own process (so its peak memory is its own) --------------------------


def _run_dispatcher(url: str, stub_url: str, batch: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, str(Path(__file__)), "--batch", str(batch), "--dispatch", url, stub_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"dispatcher failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _dispatch(url: str, stub_url: str, *, batch: int) -> None:
    from bot.worker import run_once
    from handlers.settings import Settings

    settings = Settings(
        line_channel_secret="bench",
        line_channel_access_token=TOKEN,
        database_url=url,
        line_api_endpoint=stub_url,
    )
    ready = _peak_rss_kb()
    started = time.perf_counter()
    report = run_once(settings, DUE.astimezone(UTC), batch=batch)
    seconds = time.perf_counter() - started
    peak_kb = _peak_rss_kb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "followups": report.followups,
                "sent": report.delivery.sent,
                "failed": report.delivery.failed,
                "api_calls": report.delivery.api_calls,
                "rss_after_imports_mb": ready / 1024,
                "peak_rss_mb": peak_kb / 1024,
                "anon_mb": _rss_kb("RssAnon") / 1024,
                "file_mb": _rss_kb("RssFile") / 1024,
            }
        )
    )


def _rss_kb(field: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _peak_rss_kb() -> int:
    """This process's peak RSS: VmHWM (ru_maxrss on Linux keeps the parent's peak across fork+exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _report(
    args: argparse.Namespace,
    url: str,
    kinds: dict[str, int],
    seeded: float,
    run: dict[str, float],
    platform: dict[str, object],
) -> None:
    backend = url.split(":", 1)[0]
    calls = platform["calls"]
    assert isinstance(calls, dict)
    mix = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    print(f"follow-ups due: {args.count} ({args.mix}: {mix})")
    print(f"database: {backend}; seeded in {seeded:.1f} s (not timed)")
    print(f"dispatch time: {run['seconds']:.2f} s (target < 10 s)")
    handled, sent, failed = run["followups"], run["sent"], run["failed"]
    print(f"follow-ups handled: {handled:.0f}; outbox rows sent: {sent:.0f}, failed {failed:.0f}")
    print(
        f"LINE API calls: {run['api_calls']:.0f} ({', '.join(f'{k}: {v}' for k, v in sorted(calls.items()))})"
    )
    print(
        f"messages delivered: {platform['messages']} to {platform['chats']} chats "
        f"(at most {platform['max_per_chat']} per chat); quota used: {platform['quota_used']}"
    )
    print(
        f"peak memory (dispatcher RSS): {run['peak_rss_mb']:.0f} MB "
        f"({run['rss_after_imports_mb']:.0f} MB after imports; at the end {run['anon_mb']:.0f} MB private, "
        f"{run['file_mb']:.0f} MB mapped files; target < 250 MB)"
    )
    ok = (
        run["followups"] == args.count
        and platform["messages"] == args.count
        and platform["chats"] == args.count
        and platform["max_per_chat"] == 1
    )
    print("every follow-up delivered exactly once: " + ("yes" if ok else "NO"))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
