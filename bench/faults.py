"""Faults, measured: LINE failing for a minute, the worker killed mid-batch, the database gone for 20 s.

Usage:
    .venv/bin/python bench/faults.py --database-url postgresql+psycopg://postgres@127.0.0.1:55432/scratch
        [--pgdata /tmp/robust_pg/data] [--only line|kill|database] [--fault-seconds 60]

The database is EMPTIED. The Procfile's web process and worker run as processes against one LINE
stand-in in its own process (bench/webhook.py's). Each scenario prints its figures:

- line: LINE answers 500 to every call for --fault-seconds, then 429, then times out (every call waits
  longer than the read timeout); 2 text events a second throughout, and 60 pushes queued at the start.
  Counted: webhook answers and their latency while LINE is down; replies LINE did not take, and how many
  of them were answered later (tried again as a reply while the token is fresh, then as a push) or lost;
  and once LINE is back, how long until every push was delivered, each once.
- kill: 400 pushes queued, LINE slowed to 20 ms a call, the worker killed with SIGKILL mid-batch, a new
  worker started at once: how long until every push was delivered, and how many reached someone twice.
- database: 5 text events a second for 60 s; after 10 s PostgreSQL is stopped for 20 s (pg_ctl stop -m
  fast / start on --pgdata: a throwaway cluster, NEVER the shared server). Every answer other than 200 is
  "redelivered" as LINE does (same webhookEventId, a fresh reply token) until it is 200; counted: answers
  per status, events answered exactly once, apologies, and how long after the restart webhooks were 200.

Requests go only to 127.0.0.1, bounded in count and in time.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import webhook as wb  # noqa: E402

from bot.dev.line_stub import events as ev  # noqa: E402
from bot.dev.line_stub import user_id_for  # noqa: E402

NOTICE = "【お知らせ】"
TEXTS = ["使い方", "電球が切れて替えられない", "やめる"]


def _env(url: str, stub: wb.Stub) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "LINE_CHANNEL_SECRET": wb.SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": wb.TOKEN,
        "LINE_API_ENDPOINT": stub.url,
        "OTAGAI_QUIET_HOURS": "off",
    }


def _procfile(kind: str) -> str:
    for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{kind}: "):
            return line.removeprefix(f"{kind}: ")
    raise SystemExit(f"the Procfile has no {kind} line")


def _queue_pushes(url: str, users: list[str]) -> None:
    from db import outbox
    from db.engine import make_engine, make_session_factory, transaction

    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        for number, user in enumerate(users):
            outbox.enqueue_push(session, [user], [{"type": "text", "text": f"{NOTICE}{number}"}])
    engine.dispose()


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    bin_dir = str(Path(sys.executable).parent)
    full = {**os.environ, **env, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    with log.open("ab") as sink:
        return subprocess.Popen(
            ["bash", "-c", f"exec {_procfile('worker')}"],
            cwd=ROOT,
            env=full,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )


def _delivered(stub: wb.Stub, users: list[str]) -> tuple[int, int]:
    """(people who got the notice, people who got it more than once)."""
    counts = dict(stub.command("inbox " + json.dumps([users, NOTICE]))["counts"])  # type: ignore[call-overload]
    return sum(1 for n in counts.values() if n >= 1), sum(1 for n in counts.values() if n > 1)


def _wait_delivered(stub: wb.Stub, users: list[str], limit: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if _delivered(stub, users)[0] == len(users):
            return time.monotonic() - started
        time.sleep(0.5)
    return None


class Sender:
    """Text events at a steady rate from followed users; answers other than 200 are redelivered."""

    def __init__(self, stub: wb.Stub, port: int, users: list[str]) -> None:
        self.stub, self.port, self.users = stub, port, users
        self.connection = wb._connections(port)
        self.latencies: list[tuple[float, float, int]] = []  # (sent at, seconds, status)
        self.pending: list[dict[str, object]] = []
        self.tokens: list[str] = []
        self.lock = threading.Lock()
        self.turn = 0

    def _token(self, user: str) -> str:
        token = str(self.stub.command("tokens " + json.dumps([user]))["tokens"][0])  # type: ignore[index]
        self.tokens.append(token)
        return token

    def send(self, event: dict[str, object]) -> int:
        body = ev.body(event)
        started = time.monotonic()
        status = wb._send(self.connection, body)
        with self.lock:
            self.latencies.append((started, time.monotonic() - started, status))
            if status != 200:
                self.pending.append(event)
        return status

    def next_event(self) -> dict[str, object]:
        user = self.users[self.turn % len(self.users)]
        text = TEXTS[self.turn % len(TEXTS)]
        self.turn += 1
        return ev.text_event(user, text, self._token(user))

    def run(self, rate: float, seconds: float) -> None:
        start = time.monotonic()
        for number in range(int(rate * seconds)):
            delay = start + number / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            threading.Thread(target=self.send, args=(self.next_event(),), daemon=True).start()
        time.sleep(3)

    def redeliver(self, rounds: int = 20) -> int:
        """As LINE: what was not answered 2xx comes again, with a fresh reply token, until it is."""
        done = 0
        for _ in range(rounds):
            with self.lock:
                todo, self.pending = self.pending, []
            if not todo:
                break
            for event in todo:
                user = str(event["source"]["userId"])  # type: ignore[index]
                again = {**event, "replyToken": self._token(user), "deliveryContext": {"isRedelivery": True}}
                done += self.send(again) == 200
            time.sleep(2)
        return done


def _statuses(rows: list[tuple[float, float, int]]) -> str:
    counts: dict[int, int] = {}
    for _, _, status in rows:
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))


def _latency(rows: list[tuple[float, float, int]]) -> str:
    values = sorted(seconds for _, seconds, _ in rows)
    if not values:
        return "no requests"
    p99 = values[min(int(len(values) * 0.99), len(values) - 1)]
    median = statistics.median(values)
    return f"p50 {median * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {values[-1] * 1000:.0f} ms"


def _follow_all(sender: Sender) -> None:
    for user in sender.users:
        sender.send(ev.follow_event(user, sender._token(user)))
    sender.latencies.clear()
    sender.stub.command("clear")
    sender.tokens.clear()


# A reply LINE did not take is tried again while its token is fresh, then sent as a push: the worker
# ticks every 10 s and a token counts as too old after 40 s, so every one is answered within about a minute.
REPLY_PATIENCE_SECONDS = 90.0


def _wait_answered(stub: wb.Stub, seconds: float) -> dict[str, int]:
    """The stand-in's summary once every reply is answered (late, or as a push), or after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        summary = {k: int(v) for k, v in stub.command("summary").items() if isinstance(v, int)}
        if summary["unanswered"] <= summary["pushed_to_users"] or time.monotonic() > deadline:
            return summary
        time.sleep(2)


def scenario_line(url: str, stub: wb.Stub, users: list[str], fault_seconds: float) -> None:
    port = wb._free_port()
    env = _env(url, stub)
    with wb._server(_procfile("web"), env, port, Path("/tmp/faults-web.log")):
        sender = Sender(stub, port, users)
        _follow_all(sender)
        worker = _worker(env, Path("/tmp/faults-worker.log"))
        try:
            for fault, command in (
                ("500", "fail 500 1000000 /v2/bot/message/"),
                ("429", "fail 429 1000000 /v2/bot/message/"),
                ("timeout", "delay 7 1000000 /v2/bot/message/"),
            ):
                stub.command("clear")
                sender.tokens.clear()
                targets = [user_id_for(f"notice-{fault}-{i}") for i in range(60)]
                stub.command(command)
                _queue_pushes(url, targets)
                sender.latencies.clear()
                sender.run(2.0, fault_seconds)
                stub.command("heal")
                healed = time.monotonic()
                during = list(sender.latencies)
                summary = stub.command("summary")
                took = _wait_delivered(stub, targets, 600)
                got, twice = _delivered(stub, targets)
                late = _wait_answered(stub, REPLY_PATIENCE_SECONDS)
                unanswered = int(summary["unanswered"])  # type: ignore[call-overload]
                later_as_reply = unanswered - late["unanswered"]
                lost = max(late["unanswered"] - late["pushed_to_users"], 0)
                print(
                    f"LINE {fault} for {fault_seconds:.0f} s: {len(during)} webhooks ({_statuses(during)}), "
                    f"{_latency(during)}; replies unanswered when LINE came back: {unanswered}, of which "
                    f"answered later as a reply {later_as_reply} and as a push {late['pushed_to_users']}; "
                    f"lost for good: {lost}; "
                    f"after LINE came back: {got}/{len(targets)} queued pushes delivered in "
                    f"{'—' if took is None else f'{took:.0f} s'} "
                    "(worker ticks every 10 s, backoff from 30 s), "
                    f"{twice} delivered twice; {time.monotonic() - healed:.0f} s since healed",
                    flush=True,
                )
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def scenario_kill(url: str, stub: wb.Stub) -> None:
    env = _env(url, stub)
    stub.command("clear")
    targets = [user_id_for(f"kill-{i}") for i in range(400)]
    _queue_pushes(url, targets)
    stub.command("delay 0.02 1000000 /v2/bot/message/push")
    log = Path("/tmp/faults-kill-worker.log")
    worker = _worker(env, log)
    started = time.monotonic()
    while _delivered(stub, targets)[0] < 40 and time.monotonic() - started < 120:
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    before = _delivered(stub, targets)[0]
    replacement = _worker(env, log)
    try:
        took = _wait_delivered(stub, targets, 300)
        got, twice = _delivered(stub, targets)
        print(
            f"worker SIGKILLed mid-batch after {before}/{len(targets)} pushes: "
            "a new worker delivered the rest, "
            f"{got}/{len(targets)} in all, {'—' if took is None else f'{took:.0f} s'} after the kill "
            f"(lease 45 s), {twice} delivered twice",
            flush=True,
        )
    finally:
        replacement.terminate()
        replacement.wait(timeout=30)
        stub.command("heal")


def scenario_database(url: str, stub: wb.Stub, users: list[str], pgdata: str) -> None:
    port = wb._free_port()
    env = _env(url, stub)
    pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    with wb._server(_procfile("web"), env, port, Path("/tmp/faults-db-web.log")):
        sender = Sender(stub, port, users)
        _follow_all(sender)
        run = threading.Thread(target=sender.run, args=(5.0, 60.0))
        run.start()
        time.sleep(10)
        subprocess.run(
            [*as_postgres, str(pg_ctl), "-D", pgdata, "-m", "fast", "stop"], check=True, capture_output=True
        )
        stopped = time.monotonic()
        time.sleep(20)
        subprocess.run(
            [*as_postgres, str(pg_ctl), "-D", pgdata, "-l", f"{pgdata}/../log", "start", "-w"],
            check=True,
            capture_output=True,
        )
        restarted = time.monotonic()
        run.join()
        rows = list(sender.latencies)
        outage = [r for r in rows if stopped <= r[0] < restarted]
        after = [r for r in rows if r[0] >= restarted]
        first_ok = min((r[0] for r in after if r[2] == 200), default=float("nan"))
        redelivered = sender.redeliver()
        time.sleep(2)
        summary = stub.command("summary")
        print(
            f"database stopped for 20 s at 5 events/s: {len(rows)} events; during the outage "
            f"{_statuses(outage)}; first 200 {first_ok - restarted:.1f} s after the restart; "
            f"{redelivered} redelivered and accepted; answered exactly once: "
            f"{summary['answered_once']} events ({summary['issued']} tokens, one per delivery), "
            f"answered twice: {summary['refused_replies']}, apologies: {summary['apologies']}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database: it is EMPTIED")
    parser.add_argument(
        "--pgdata", default="/tmp/robust_pg/data", help="the throwaway cluster to stop and start"
    )
    parser.add_argument("--only", choices=("line", "kill", "database"))
    parser.add_argument("--fault-seconds", type=float, default=60.0)
    args = parser.parse_args()
    wb._reset(args.database_url)
    users = [user_id_for(f"fault{i}") for i in range(31)]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with wb._stub() as stub:
        stub.command("users " + json.dumps(users))
        if args.only in (None, "line"):
            scenario_line(args.database_url, stub, users, args.fault_seconds)
        if args.only in (None, "kill"):
            scenario_kill(args.database_url, stub)
        if args.only in (None, "database"):
            scenario_database(args.database_url, stub, users, args.pgdata)


if __name__ == "__main__":
    main()
