"""Benchmark: CPU time the web process spends on one ordinary text event, with a profile of where it goes.

Usage:
    .venv/bin/python bench/event_cpu.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/scratch
        [--events 300] [--profile 25]

The database is EMPTIED and migrated. Members are created first (a follow each, not measured); then each
sends ordinary texts through the real app (Flask test client, in this thread) while the LINE stub runs in
another thread of this process: the calling thread's CPU time (time.thread_time) is what the web process
spends on the event: signature, parsing, understanding, the database round trips, the reply call through
the SDK and its recording. Two kinds of text: 「使い方」 (a menu answer) and a 困りごと that starts a request
(understanding, a draft, the conversation state). The median and p90 of each are printed, then a cProfile
of the request texts sorted by cumulative time (--profile rows).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from datetime import time as dt_time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy import event as sa_event  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.dev.line_stub import LineStub, user_id_for  # noqa: E402
from bot.dev.line_stub import events as ev  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from handlers.settings import Settings  # noqa: E402

SECRET, TOKEN = "bench-secret", "bench-token"
TEXTS = ["電球が切れて替えられない", "庭の草むしりをお願いしたいです", "スマホの使い方がわからない"]


def _reset(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--profile", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    args = parser.parse_args()
    _reset(args.database_url)
    with LineStub(access_token=TOKEN) as stub:
        settings = Settings(
            line_channel_secret=SECRET,
            line_channel_access_token=TOKEN,
            database_url=args.database_url,
            line_api_endpoint=stub.url,
            quiet_start=dt_time(0, 0),
            quiet_end=dt_time(0, 0),  # off: nothing here waits for the morning
        )
        app = create_app(settings)
        client = app.test_client()
        statements = [0]
        sa_event.listen(
            app.extensions["otagai.engine"],
            "before_cursor_execute",
            lambda *_args: statements.__setitem__(0, statements[0] + 1),
        )
        commits = [0]
        sa_event.listen(
            app.extensions["otagai.engine"], "commit", lambda *_args: commits.__setitem__(0, commits[0] + 1)
        )

        def post(event: dict[str, object]) -> float:
            body = ev.body(event)
            headers = {"x-line-signature": ev.signature(SECRET, body)}
            started, wall = time.thread_time(), time.perf_counter()
            status = client.post("/callback", data=body, headers=headers).status_code
            spent = time.thread_time() - started
            walls.append(time.perf_counter() - wall)
            assert status == 200, status
            return spent * 1000

        walls: list[float] = []
        users = [user_id_for(f"bench{i}") for i in range(args.events)]
        for number, user in enumerate(users):
            stub.add_user(user, f"利用者{number}")
            post(ev.follow_event(user, stub.issue_reply_token(user)))
        for number, user in enumerate(users[:20]):  # warm-up: caches, the tokenizer, regexes, the pool
            post(ev.text_event(user, "使い方", stub.issue_reply_token(user)))
            post(ev.text_event(user, TEXTS[number % len(TEXTS)], stub.issue_reply_token(user)))
            post(ev.text_event(user, "やめる", stub.issue_reply_token(user)))
        statements[0] = commits[0] = 0
        menu = [post(ev.text_event(u, "使い方", stub.issue_reply_token(u))) for u in users]
        menu_sql, menu_commits = statements[0] / len(users), commits[0] / len(users)
        statements[0] = commits[0] = 0
        requests = [
            post(ev.text_event(u, TEXTS[n % len(TEXTS)], stub.issue_reply_token(u)))
            for n, u in enumerate(users)
        ]
        request_sql, request_commits = statements[0] / len(users), commits[0] / len(users)
        profiler = cProfile.Profile(time.thread_time)  # CPU of this thread, not time waiting
        for number, user in enumerate(users[: args.events // 2]):  # a second pass, profiled
            for text in ("やめる", "使い方", TEXTS[number % len(TEXTS)]):
                profiler.enable()
                post(ev.text_event(user, text, stub.issue_reply_token(user)))
                profiler.disable()
        request_sql, request_commits = statements[0] / len(users), commits[0] / len(users)
        apologies = sum("うまく受け付けられませんでした" in t for u in users for t in stub.texts_for(u))
        app.extensions["otagai.gateway"].close()
        app.extensions["otagai.engine"].dispose()

    def figures(name: str, values: list[float]) -> str:
        ordered = sorted(values)
        p90 = ordered[int(len(ordered) * 0.9)]
        return (
            f"{name}: median {statistics.median(values):.2f} ms CPU, p90 {p90:.2f} ms ({len(values)} events)"
        )

    print(
        figures("「使い方」 (menu answer)", menu),
        f"; {menu_sql:.1f} SQL statements, {menu_commits:.1f} commits",
    )
    print(
        figures("困りごと (starts a request)", requests),
        f"; {request_sql:.1f} SQL statements, {request_commits:.1f} commits",
    )
    print(
        f"apologies: {apologies}; wall time per event (all passes): "
        f"median {statistics.median(walls) * 1000:.1f} ms"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.profile)
    print(out.getvalue())


if __name__ == "__main__":
    main()
