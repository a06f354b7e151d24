"""The Procfile as production runs it: release, gunicorn web and the worker as processes, over real HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.dev.line_stub import LineStub
from bot.dev.line_stub import events as ev
from handlers import texts
from tests.handlers.dialogue import NEAR, card_request_id, last, register_supporter, submit_request, tap_label
from tests.support import SECRET, TOKEN, Chat

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class _Answer:
    status_code: int


class HttpClient:
    """What Chat needs of a Flask test client, over a real socket to the gunicorn web process."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def post(self, path: str, *, data: bytes, headers: dict[str, str]) -> _Answer:
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return _Answer(response.status)
        except urllib.error.HTTPError as error:
            return _Answer(error.code)


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _quiet_now() -> str:
    """A quiet-hours window around this very minute (Tokyo time), so the web process holds its pushes."""
    now = datetime.now(ZoneInfo("Asia/Tokyo"))
    return f"{now - timedelta(hours=1):%H:%M}-{now + timedelta(hours=2):%H:%M}"


@contextmanager
def _process(command: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as sink:
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(what: str, check: Callable[[], bool], logs: list[Path], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            shown = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in logs)
            raise AssertionError(f"{what} did not happen within {seconds} s\n{shown}")
        time.sleep(0.2)


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_release_web_and_worker_run_the_help_cycle_together(
    database_url: str, line_stub: LineStub, tmp_path: Path
) -> None:
    procfile = _procfile()
    assert set(procfile) == {"web", "worker", "release"}
    port = _free_port()
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_ENDPOINT": line_stub.url,
        # The web process is in quiet hours and holds its pushes; the worker is not, and sends them.
        "OTAGAI_QUIET_HOURS": _quiet_now(),
    }
    release = subprocess.run(["bash", "-c", procfile["release"]], cwd=ROOT, env=env, capture_output=True)
    assert release.returncode == 0, release.stderr.decode(errors="replace")

    base_url = f"http://127.0.0.1:{port}"
    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    with _process(procfile["web"], env, web_log):
        _wait_for("the web process answering /healthz", lambda: _healthy(base_url), [web_log])
        chat = Chat(HttpClient(base_url), line_stub)  # type: ignore[arg-type]
        # Vetting is on by default: the new supporter waits for a coordinator's approval by command.
        helper = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR, approve=False)
        approval = subprocess.run(
            ["bash", "-c", "exec otagai supporters approve 佐藤一郎"], cwd=ROOT, env=env, capture_output=True
        )
        assert approval.returncode == 0, approval.stderr.decode(errors="replace")
        resident = chat.user("yamada", "山田花子")
        chat.follow(resident)
        answer = submit_request(chat, resident, "電球が切れて替えられない")
        assert answer[0].startswith("依頼を受け付けました。") and "サポーター1人" in answer[0], answer
        assert chat.new_texts(helper) == []  # the card waits: the web process is in quiet hours

        with _process(procfile["worker"], {**env, "OTAGAI_QUIET_HOURS": "off"}, worker_log):
            logs = [web_log, worker_log]
            _wait_for("the worker sending the card", lambda: last(chat, helper)["type"] == "flex", logs)
            request_id = card_request_id(last(chat, helper))
            chat.new_texts(helper)
            accepted = tap_label(chat, helper, "引き受ける")
            assert accepted and "ありがとうございます" in accepted[0], accepted
            _wait_for(
                "the worker telling the resident",
                lambda: any(
                    "佐藤一郎さんが、引き受けてくれました" in text for text in chat.new_texts(resident)
                ),
                logs,
            )
    assert request_id > 0
    web_text = web_log.read_text(errors="replace")
    # The scheduler never runs inside web workers; message bodies never reach the INFO log.
    assert "worker started" not in web_text and "電球" not in web_text
    assert "worker started" in worker_log.read_text(errors="replace")


# Texts that need the tokenizer, each with the category its answer must name.
_REQUESTS = [
    ("電球が切れて替えられない", "電球"),
    ("庭の草むしりをお願いしたいです", "庭"),
    ("スマホの使い方がわからない", "スマホ"),
    ("粗大ゴミを出すのを手伝ってほしい", "ゴミ"),
    ("病院への付き添いをお願いできますか", "付き添い"),
    ("買い物に行けなくて困っています", "買い物"),
]


def test_concurrent_webhooks_from_many_users_each_get_their_own_answer(
    database_url: str, line_stub: LineStub, tmp_path: Path
) -> None:
    """The Procfile's web process (threads in each worker) under 48 simultaneous first messages."""
    procfile = _procfile()
    port = _free_port()
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_ENDPOINT": line_stub.url,
    }
    release = subprocess.run(["bash", "-c", procfile["release"]], cwd=ROOT, env=env, capture_output=True)
    assert release.returncode == 0, release.stderr.decode(errors="replace")
    base_url = f"http://127.0.0.1:{port}"
    web_log = tmp_path / "web.log"
    chat = Chat(HttpClient(base_url), line_stub)  # type: ignore[arg-type]
    users = [(chat.user(f"neighbour{i}", f"隣人{i}"), *_REQUESTS[i % len(_REQUESTS)]) for i in range(48)]
    bodies = [ev.body(ev.text_event(user, text, chat.token(user))) for user, text, _ in users]
    start = threading.Barrier(16)

    def send(body: bytes) -> int:
        if bodies.index(body) < 16:
            start.wait()  # the first sixteen arrive at the same instant
        return chat.client.post(
            "/callback", data=body, headers={"x-line-signature": ev.signature(SECRET, body)}
        ).status_code

    with _process(procfile["web"], env, web_log):
        _wait_for("the web process answering /healthz", lambda: _healthy(base_url), [web_log])
        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(send, bodies))
    assert statuses == [200] * len(bodies), web_log.read_text(errors="replace")[-3000:]
    for user, text, category in users:
        answer = chat.new_texts(user)
        assert texts.ERROR_SORRY not in answer, (text, answer)
        assert answer and answer[0].startswith(f"「{text}」ですね。") and category in answer[0], (
            text,
            answer,
        )
    assert "Tokenizer" not in web_log.read_text(errors="replace")
