"""Typed step answers: index build time, memory, and per-message cost of reading times and places.

Run by hand: `python -m bench.steps`. Reads every answer of the development sets in tests/data/steps_*.tsv.
"""

from __future__ import annotations

import resource
import time

from matching import geocode
from matching.phrases import answer_of, command_of
from matching.when import read_when
from tests.matching import stepsets


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _per_call_us(func: object, texts: list[str], rounds: int = 5) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            func(text)  # type: ignore[operator]
    return (time.perf_counter() - start) / (rounds * len(texts)) * 1e6


def main() -> None:
    before = _rss_mb()
    start = time.perf_counter()
    geocode.warm()
    built = time.perf_counter() - start
    print(f"place index: built in {built:.2f} s, max RSS {before:.0f} -> {_rss_mb():.0f} MB")
    places = [row[0] for row in stepsets.rows("steps_place.tsv")]
    times = [row[0] for row in stepsets.rows("steps_time.tsv")]
    confirms = [row[0] for row in stepsets.rows("steps_confirm.tsv")]
    commands = [row[0] for row in stepsets.rows("steps_commands.tsv")]
    read_when("あした", stepsets.NOW)  # the parser's first use compiles its patterns
    print(f"locate:      {_per_call_us(geocode.locate, places):8.0f} µs a message")
    print(f"read_when:   {_per_call_us(lambda t: read_when(t, stepsets.NOW), times):8.0f} µs a message")
    kinds = stepsets.CONFIRM_ANSWERS
    print(f"answer_of:   {_per_call_us(lambda t: answer_of(t, kinds), confirms):8.0f} µs a message")
    print(f"command_of:  {_per_call_us(command_of, commands):8.0f} µs a message")
    for name in stepsets.READERS:
        accuracy, _ = stepsets.score(name)
        print(f"{name:24s} {len(stepsets.rows(name)):4d} answers  accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main()
