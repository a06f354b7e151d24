"""Benchmark: CPU time the web process spends on one ordinary text event, with a profile of where it goes.

Usage:
    .venv/bin/python bench/event_cpu.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/scratch
        [--events 300] [--profile 25]

The database is EMPTIED and migrated. Members are created first (a follow each, not measured); then each
sends ordinary texts through the real app (Flask test client, in this thread) while the LINE stub runs in
another thread of this process: the calling thread's CPU time (time.thread_time) is what the web process
spends on the event: signature, parsing, understanding, the database round trips, the reply call through
the SDK and its recording. Three kinds of text, each in a pass of its own: 「使い方」 (a menu answer), a
困りごと that starts a request (understanding, a draft, the conversation state) and やめる (the draft is
cancelled). The median and p90 of each are printed with its SQL statements and commits per event, then a
cProfile of all three sorted by cumulative time (--profile rows); --show-sql prints one event's statements.
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
# What each user sends, in turn (as in bench/webhook.py): a menu answer, a 困りごと, then やめる (its
# draft is cancelled).
KINDS = ["「使い方」 (menu answer)", "困りごと (starts a request)", "やめる (cancels the draft)"]


def _turn(number: int) -> tuple[str, str, str]:
    return ("使い方", TEXTS[number % len(TEXTS)], "やめる")


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
    parser.add_argument("--profile", type=int, default=25, help="rows of the profile (0: no profile)")
    parser.add_argument("--profile-kinds", default="0,1,2", help="which texts to profile (0, 1, 2: in turn)")
    parser.add_argument("--show-sql", action="store_true", help="print the statements of one event each")
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
            for said in _turn(number):
                post(ev.text_event(user, said, stub.issue_reply_token(user)))
        # Each kind in a pass of its own, in the order the users of bench/webhook.py send them.
        results: dict[str, tuple[list[float], float, float]] = {}
        for kind, label in enumerate(KINDS):
            statements[0] = commits[0] = 0
            spent = [
                post(ev.text_event(u, _turn(n)[kind], stub.issue_reply_token(u))) for n, u in enumerate(users)
            ]
            results[label] = (spent, statements[0] / len(users), commits[0] / len(users))
        if args.show_sql:
            shown: list[str] = []
            sa_event.listen(
                app.extensions["otagai.engine"],
                "before_cursor_execute",
                lambda _c, _cur, statement, *_rest: shown.append(" ".join(statement.split())[:160]),
            )
            for kind, label in enumerate(KINDS):
                shown.clear()
                post(ev.text_event(users[0], _turn(0)[kind], stub.issue_reply_token(users[0])))
                print(f"--- {label}: {len(shown)} statements")
                print("\n".join(shown))
        profiled = {int(k) for k in args.profile_kinds.split(",")}
        profiler = cProfile.Profile(time.thread_time)  # CPU of this thread, not time waiting
        for number, user in enumerate(users[: args.events // 2] if args.profile else []):  # profiled
            for kind, said in enumerate(_turn(number)):
                if kind not in profiled:
                    post(ev.text_event(user, said, stub.issue_reply_token(user)))
                    continue
                profiler.enable()
                post(ev.text_event(user, said, stub.issue_reply_token(user)))
                profiler.disable()
        apologies = sum("うまく受け付けられませんでした" in t for u in users for t in stub.texts_for(u))
        app.extensions["otagai.gateway"].close()
        app.extensions["otagai.engine"].dispose()

    def figures(name: str, values: list[float]) -> str:
        ordered = sorted(values)
        p90 = ordered[int(len(ordered) * 0.9)]
        return (
            f"{name}: median {statistics.median(values):.2f} ms CPU, p90 {p90:.2f} ms ({len(values)} events)"
        )

    for label, (spent, sql, done) in results.items():
        print(figures(label, spent), f"; {sql:.1f} SQL statements, {done:.1f} commits")
    print(
        f"apologies: {apologies}; wall time per event (all passes): "
        f"median {statistics.median(walls) * 1000:.1f} ms"
    )
    if not args.profile:
        return
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.profile)
    print(out.getvalue())


if __name__ == "__main__":
    main()
