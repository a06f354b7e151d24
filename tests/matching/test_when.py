"""matching/when.py: each thread reads times with parts of its own (gunicorn runs web threads)."""

from __future__ import annotations

import threading

from matching import when


def test_each_thread_has_its_own_parser_and_number_normaliser() -> None:
    # ja-timex's default NumberNormalizer is one object shared by every TimexParser, and it records each
    # parse's index shifts on itself: a parser per thread is not enough unless its normaliser is too.
    seen: list[object] = []

    def grab() -> None:
        seen.append(when._parser())

    threads = [threading.Thread(target=grab) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = seen
    assert first is not second
    assert first.number_normalizer is not second.number_normalizer  # type: ignore[attr-defined]
