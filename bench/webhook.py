"""Benchmark: the Procfile's web process against a minimal echo bot, under the same load, in one run.

Usage:
    .venv/bin/python bench/webhook.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/scratch
        [--users 200] [--seconds 10] [--concurrency 8] [--rates 50,100] [--only otagai|echo] [--first-only]

The database is EMPTIED and migrated. One LINE stand-in runs in its own process (bot/dev/line_stub); the
web process is started exactly as the Procfile's `web` line says (gunicorn, its workers and threads), on
PostgreSQL; the echo bot (bench/echo_bot.py: the same SDK, the same gunicorn settings) is the yardstick.
For each bot, every user follows first (not measured), then:

- closed loop: --concurrency clients send signed webhooks back to back for --seconds: events per second;
- open loops at each of --rates events/s for --seconds: each event is sent at its planned instant
  whatever the previous answers did, and its latency is counted from that instant (queueing included).

The warm-up before them (not counted in them) is reported on its own: its clients start together, so their
first answers are the first texts the web threads serve after start (--first-only stops there); their
slowest is what LINE's 2-second limit must allow for after a deploy or a worker restart.

Every event is one text from one of --users users, with its own reply token. Afterwards the stand-in says
which tokens were redeemed: an event is answered exactly once when its token was used once; a second use
is refused by the platform and counted as "twice". Also counted: answers other than 200, the bot's
apology (ごめんなさい。うまく受け付けられませんでした). Otagai's users send, in turn, a menu request, a
困りごと that starts a request, and やめる. Requests go only to 127.0.0.1, bounded in
count and in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.dev.line_stub import events as ev  # noqa: E402
from bot.dev.line_stub import user_id_for  # noqa: E402

SECRET, TOKEN = "bench-secret", "bench-token"
APOLOGY = "うまく受け付けられませんでした"
OTAGAI_TEXTS = ["使い方", "電球が切れて替えられない", "やめる"]
MAX_EVENTS_PER_PHASE = 20_000
SENDERS = 64  # open loop: threads that send at the planned instants

# The LINE stand-in in its own process; commands on stdin, one JSON answer per line on stdout.
STUB_SERVER = """
import json, sys
from collections import Counter
from bot.dev.line_stub import LineStub
APOLOGY = sys.argv[2]
stub = LineStub(access_token=sys.argv[1], reply_token_ttl=3600.0).start()
print(json.dumps({"url": stub.url}), flush=True)
users = []
issued = []
for line in sys.stdin:
    command, _, argument = line.strip().partition(" ")
    if command == "users":
        users = json.loads(argument)
        for number, user in enumerate(users):
            stub.add_user(user, f"利用者{number}")
        print(json.dumps({"ok": True}), flush=True)
    elif command == "tokens":
        owners = json.loads(argument)
        tokens = [stub.issue_reply_token(user) for user in owners]
        issued += tokens
        print(json.dumps({"tokens": tokens}), flush=True)
    elif command == "summary":
        requests = stub.requests
        replies = [r for r in requests if r.path == "/v2/bot/message/reply"]
        used = Counter(r.json.get("replyToken") for r in replies if r.status == 200)
        texts = [entry.message.get("text", "") for entry in stub._state.inbox]
        print(json.dumps({
            "issued": len(issued),
            "answered_once": sum(1 for t in issued if used[t] == 1),
            "unanswered": sum(1 for t in issued if used[t] == 0),
            "refused_replies": sum(1 for r in replies if r.status != 200),
            "other_calls": Counter(r.path.split("/")[3] for r in requests if r not in replies),
            "apologies": sum(APOLOGY in t for t in texts),
            # Pushes to the bench's own users: replies LINE did not take, sent later as pushes.
            "pushed_to_users": sum(
                1 for r in requests
                if r.path == "/v2/bot/message/push" and r.status == 200 and r.json.get("to") in users
            ),
        }), flush=True)
    elif command == "fail":  # fail <status> <count> <path prefix>
        status, count, prefix = argument.split(" ", 2)
        stub.fail_next(int(count), int(status), prefix)
        print(json.dumps({"ok": True}), flush=True)
    elif command == "delay":  # delay <seconds> <count> <path prefix>
        seconds, count, prefix = argument.split(" ", 2)
        stub.delay_next(float(seconds), int(count), prefix)
        print(json.dumps({"ok": True}), flush=True)
    elif command == "heal":
        stub.heal()
        print(json.dumps({"ok": True}), flush=True)
    elif command == "inbox":  # how many messages each user received, and how many carried a given text
        user_ids, needle = json.loads(argument)
        counts = {u: sum(needle in e.message.get("text", "") for e in stub.inbox(u)) for u in user_ids}
        print(json.dumps({"counts": counts}), flush=True)
    elif command == "clear":
        stub.clear()
        issued = []
        for number, user in enumerate(users):
            stub.add_user(user, f"利用者{number}")
        print(json.dumps({"ok": True}), flush=True)
stub.stop()
"""


class Stub:
    """The stand-in process, driven over its stdin."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.url = self._read()["url"]

    def _read(self) -> dict[str, object]:
        assert self.process.stdout is not None
        return dict(json.loads(self.process.stdout.readline()))

    def command(self, line: str) -> dict[str, object]:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self._read()


@contextmanager
def _stub() -> Iterator[Stub]:
    process = subprocess.Popen(
        [sys.executable, "-c", STUB_SERVER, TOKEN, APOLOGY],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        yield Stub(process)
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _procfile_web() -> str:
    for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("web: "):
            return line.removeprefix("web: ")
    raise SystemExit("the Procfile has no web line")


@contextmanager
def _server(command: str, env: dict[str, str], port: int, log: Path) -> Iterator[None]:
    bin_dir = str(Path(sys.executable).parent)
    full_env = {**os.environ, **env, "PORT": str(port), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"], cwd=ROOT, env=full_env, stdout=sink, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while not _answers(port):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"{command} did not start; see {log}")
                time.sleep(0.2)
            yield
        finally:
            process.terminate()
            process.wait(timeout=30)


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("POST", "/callback", body=b"{}", headers={"x-line-signature": "x"})
        connection.getresponse().read()
        connection.close()
        return True
    except OSError:
        return False


# --- load -------------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    sent: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    firsts: list[float] = field(default_factory=list)  # each closed-loop client's first answer
    statuses: dict[int, int] = field(default_factory=dict)
    summary: dict[str, object] = field(default_factory=dict)

    def record(self, status: int, latency: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.latencies.append(latency)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(len(ordered) * share), len(ordered) - 1)] * 1000 if ordered else float("nan")

    def line(self) -> str:
        s = self.summary
        non_200 = sum(n for status, n in self.statuses.items() if status != 200)
        return (
            f"{self.name:<22} {self.sent:>6} events {self.sent / self.seconds:>7.1f}/s  "
            f"p50 {self.percentile(0.5):>7.1f} ms  p99 {self.percentile(0.99):>7.1f} ms  "
            f"non-200 {non_200}  answered once {s.get('answered_once')}/{s.get('issued')}  "
            f"unanswered {s.get('unanswered')}  twice {s.get('refused_replies')}  "
            f"apologies {s.get('apologies')}"
        )


class Bodies:
    """Signed one-event bodies, each with its own reply token, users taking turns."""

    def __init__(self, stub: Stub, users: list[str], texts: list[str]) -> None:
        self.stub, self.users, self.texts = stub, users, texts
        self.turn = 0

    def make(self, count: int) -> list[bytes]:
        owners = [self.users[(self.turn + i) % len(self.users)] for i in range(count)]
        tokens = list(self.stub.command("tokens " + json.dumps(owners))["tokens"])  # type: ignore[call-overload]
        bodies = []
        for i, (owner, token) in enumerate(zip(owners, tokens, strict=True)):
            # Each user goes through the texts in turn (users and texts are counted so that they do).
            text = self.texts[(self.turn + i) % len(self.texts)]
            body = ev.body(ev.text_event(owner, text, token))
            bodies.append(body)
        self.turn += count
        return bodies


def _post(connection: http.client.HTTPConnection, body: bytes) -> int:
    connection.request(
        "POST",
        "/callback",
        body=body,
        headers={"x-line-signature": ev.signature(SECRET, body), "content-type": "application/json"},
    )
    response = connection.getresponse()
    response.read()
    return response.status


def _connections(port: int) -> Callable[[], http.client.HTTPConnection]:
    local = threading.local()

    def get() -> http.client.HTTPConnection:
        if getattr(local, "connection", None) is None:
            local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        return local.connection  # type: ignore[no-any-return]

    return get


def _send(connection: Callable[[], http.client.HTTPConnection], body: bytes) -> int:
    try:
        return _post(connection(), body)
    except (OSError, http.client.HTTPException):
        connection().close()
        return 599


def closed_loop(port: int, bodies: list[bytes], concurrency: int, seconds: float) -> Phase:
    phase = Phase(f"closed loop ×{concurrency}")
    connection = _connections(port)
    lock = threading.Lock()
    queue = iter(bodies)
    stop = time.perf_counter() + seconds

    def client() -> None:
        first = True
        while time.perf_counter() < stop:
            with lock:
                body = next(queue, None)
            if body is None:
                return
            started = time.perf_counter()
            status = _send(connection, body)
            with lock:
                phase.record(status, time.perf_counter() - started)
                phase.sent += 1
                if first:
                    phase.firsts.append(time.perf_counter() - started)
                    first = False

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(client)
    phase.seconds = time.perf_counter() - started
    return phase


def open_loop(port: int, bodies: list[bytes], rate: float) -> Phase:
    phase = Phase(f"open loop {rate:g}/s")
    connection = _connections(port)
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def one(number: int, body: bytes) -> None:
        planned = start + number / rate
        delay = planned - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        status = _send(connection, body)
        with lock:
            # From the planned instant: an answer that made later events wait counts for them too.
            phase.record(status, time.perf_counter() - planned)

    with ThreadPoolExecutor(SENDERS) as pool:
        for number, body in enumerate(bodies):
            pool.submit(one, number, body)
    phase.sent = len(bodies)
    phase.seconds = time.perf_counter() - start
    return phase


# --- the run -----------------------------------------------------------------------------------------


def _reset(url: str) -> None:
    from sqlalchemy import create_engine, text

    from db.migrate import upgrade

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)


def run_bot(
    name: str,
    command: str,
    env: dict[str, str],
    stub: Stub,
    users: list[str],
    texts: list[str],
    args: argparse.Namespace,
) -> list[Phase]:
    port = _free_port()
    phases: list[Phase] = []
    log = Path(f"/tmp/bench-webhook-{name}.log")
    with _server(command, env, port, log):
        stub.command("clear")
        warm = [ev.body(ev.follow_event(u, t)) for u, t in zip(users, _tokens(stub, users), strict=True)]
        connection = _connections(port)
        for body in warm:  # every user follows first: known members, as in daily use
            _send(connection, body)
        bodies = Bodies(stub, users, texts)
        # A short warm-up (caches, tokenizers, connections), not counted in the phases.
        stub.command("clear")
        warm_up = closed_loop(port, bodies.make(120), args.concurrency, 30)
        firsts = sorted(warm_up.firsts)
        print(
            f"{name:<8} first texts on fresh threads ({len(firsts)} clients at once): "
            f"fastest {firsts[0] * 1000:.0f} ms, median {statistics.median(firsts) * 1000:.0f} ms, "
            f"slowest {firsts[-1] * 1000:.0f} ms; warm-up p50 {warm_up.percentile(0.5):.1f} ms, "
            f"non-200 {sum(n for status, n in warm_up.statuses.items() if status != 200)}",
            flush=True,
        )
        if args.first_only:
            return phases
        for make_phase in [
            lambda: closed_loop(
                port,
                bodies.make(min(MAX_EVENTS_PER_PHASE, 400 * int(args.seconds))),
                args.concurrency,
                args.seconds,
            ),
            *[
                (lambda rate=rate: open_loop(port, bodies.make(int(rate * args.seconds)), rate))
                for rate in args.rates
            ],
        ]:
            stub.command("clear")
            phase = make_phase()
            time.sleep(1.0)  # answers still on their way to the stand-in
            phase.summary = stub.command("summary")
            # Tokens issued but not used by this phase's events (a closed loop stops early) are not events.
            if phase.name.startswith("closed"):
                phase.summary["unanswered"] = int(phase.summary["unanswered"]) - (  # type: ignore[call-overload]
                    int(phase.summary["issued"]) - phase.sent  # type: ignore[call-overload]
                )
                phase.summary["issued"] = phase.sent
            phases.append(phase)
            print(f"{name:<8} {phase.line()}", flush=True)
    return phases


def _tokens(stub: Stub, users: list[str]) -> list[str]:
    return list(stub.command("tokens " + json.dumps(users))["tokens"])  # type: ignore[call-overload]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database: it is EMPTIED")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rates", type=lambda s: [float(r) for r in s.split(",")], default=[50.0, 100.0])
    parser.add_argument("--only", choices=("otagai", "echo"), default=None)
    parser.add_argument("--first-only", action="store_true", help="stop after the first texts (the warm-up)")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 60.0)
    _reset(args.database_url)
    # Not a multiple of the number of texts, so each user is sent every text in turn.
    users = [user_id_for(f"bench{i}") for i in range(args.users - args.users % 3 + 1)]
    load = os.getloadavg()
    print(
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs", flush=True
    )
    with _stub() as stub:
        stub.command("users " + json.dumps(users))
        env = {
            "DATABASE_URL": args.database_url,
            "LINE_CHANNEL_SECRET": SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
            "LINE_API_ENDPOINT": stub.url,
            "OTAGAI_QUIET_HOURS": "off",
        }
        results = {}
        if args.only in (None, "otagai"):
            results["otagai"] = run_bot("otagai", _procfile_web(), env, stub, users, OTAGAI_TEXTS, args)
        if args.only in (None, "echo"):
            web = _procfile_web().replace("'bot.app:create_app()'", "'echo_bot:create_app()'")
            results["echo"] = run_bot("echo", f"{web} --chdir bench", env, stub, users, ["こんにちは"], args)
    if len(results) == 2 and not args.first_only:
        ratio = results["otagai"][0].sent / results["otagai"][0].seconds
        ratio /= results["echo"][0].sent / results["echo"][0].seconds
        print(f"closed-loop throughput, Otagai / echo bot: {ratio:.0%} (target ≥ 35%)")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    medians = {name: statistics.median(p.latencies) * 1000 for name, ps in results.items() for p in ps[:1]}
    if medians:
        print("closed-loop median latency:", ", ".join(f"{k} {v:.1f} ms" for k, v in medians.items()))


if __name__ == "__main__":
    main()
