"""Warm-up: read a sample text once at start, so the first message a process serves is not the slow one."""

from __future__ import annotations

from datetime import UTC, datetime

from matching.category_reader import category_reader
from matching.privacy import mask_personal
from matching.second_reader import second_reader
from matching.understand import understand
from matching.when import read_when

# A request with a time and personal details in it, so every reader below does its full work once.
SAMPLE = "電球が切れて替えられないので、あした10時に来てほしいです。山田 090-1234-5678"
# Any moment will do: what the sample says is thrown away.
_SOME_MOMENT = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)


def warm_up() -> None:
    """Build, before the first message, what reading one builds lazily and keeps for the process.

    Measured on a cold process (2 shared cores): the safety rules take ~350 ms to prepare, the taxonomy
    and its term matchers ~80 ms, ja-timex's patterns and first parse ~150 ms, the Sudachi dictionary
    ~30 ms, the privacy masks ~15 ms. Left to the first webhooks, each of a web process's threads builds
    them at once (functools.cache does not hold back a second caller while the first is building), so
    the first texts after a restart took 2.5-6 s against LINE's 2. A thread's own parts (its Sudachi
    tokenizer over the shared dictionary, its ja-timex parser) cost ~0.1 ms each, and a fresh thread's
    first text in a warmed process is as fast as its later ones: they stay per thread, built on first use.
    The safety net's learned second reader is fitted here too (~1.5 s, once per process, under a lock),
    and the learned category reader after it (~1-3 s to fit, 0.07 s to load from OTAGAI_CACHE_DIR).
    """
    second_reader()
    category_reader()
    understand(SAMPLE)
    read_when(SAMPLE, _SOME_MOMENT)
    mask_personal(SAMPLE, ["山田"])
