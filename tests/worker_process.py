"""Run `otagai worker` as its own process until its log shows a line, then stop it as production does."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_worker_until(env: dict[str, str], marker: str, *, timeout: float = 60) -> str:
    """Start the worker, read its log until a line holds `marker`, SIGTERM it; returns the whole log.

    Fails the test if the worker exits first or does not stop cleanly (exit code 0) on SIGTERM.
    """
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker"],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(timeout, worker.kill)  # a hung worker ends the read loop below
    watchdog.start()
    seen: list[str] = []
    try:
        assert worker.stderr is not None
        for line in worker.stderr:
            seen.append(line)
            if marker in line:
                break
        else:
            raise AssertionError(f"the worker stopped before logging {marker!r}:\n" + "".join(seen))
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
        seen.append(worker.stderr.read())
    finally:
        watchdog.cancel()
        if worker.poll() is None:
            worker.kill()
        if worker.stderr is not None:
            worker.stderr.close()
    return "".join(seen)
