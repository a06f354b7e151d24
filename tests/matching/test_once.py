"""Once: threads asking while the value is being built wait for it; it is built a single time."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from matching.once import Once


def test_threads_asking_during_a_slow_build_share_one_value() -> None:
    builds = []
    started = threading.Event()

    def build() -> object:
        builds.append(threading.get_ident())
        started.set()
        time.sleep(0.2)  # long enough for every other thread to ask while it builds
        return object()

    once: Once[object] = Once(build)
    with ThreadPoolExecutor(max_workers=8) as pool:
        first = pool.submit(once.get)
        started.wait(5)
        others = [pool.submit(once.get) for _ in range(7)]
        values = [first.result(), *(f.result() for f in others)]
    assert len(builds) == 1
    assert all(value is values[0] for value in values)
    assert once.get() is values[0]


def test_a_failed_build_is_tried_again_by_the_next_caller() -> None:
    attempts = []

    def build() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("disk full")
        return "built"

    once: Once[str] = Once(build)
    with pytest.raises(OSError):
        once.get()
    assert once.get() == "built" and len(attempts) == 2
