"""Understanding from many threads at once answers as from one (the web process runs threads)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from matching import understand
from matching.normalize import tokenize

DATA = Path(__file__).resolve().parents[1] / "data" / "requests.tsv"
THREADS = 8


def _texts() -> list[str]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[0] for line in lines if line and not line.startswith("#")][:60]


def test_understanding_from_eight_threads_matches_one_thread() -> None:
    texts = _texts()
    expected = [understand(text) for text in texts]
    start = threading.Barrier(THREADS)

    def hammer(offset: int) -> list[object]:
        start.wait()  # all threads analyse at the same moment, not one after another
        order = texts[offset:] + texts[:offset]
        results = {text: understand(text) for text in order * 3}
        return [results[text] for text in texts]

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(hammer, range(THREADS)))
    assert all(answer == expected for answer in answers)


def test_each_thread_has_its_own_tokenizer_and_the_same_analysis() -> None:
    text = "台所の電気がつかなくなっちゃって"
    expected = tokenize(text)
    start = threading.Barrier(THREADS)

    def analyse(_: int) -> bool:
        start.wait()
        return all(tokenize(text) == expected for _ in range(200))

    with ThreadPoolExecutor(THREADS) as pool:
        assert all(pool.map(analyse, range(THREADS)))
