"""A value built on first use, once per process, whichever thread asks first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

Built = TypeVar("Built")


class Once(Generic[Built]):
    """Like functools.cache on a function of no arguments, except that a second thread asking while
    the first is still building waits for that value instead of building its own (the learned readers
    take seconds to fit, and a web process's threads all ask at its first messages)."""

    def __init__(self, build: Callable[[], Built]) -> None:
        self._build = build
        self._value: Built | None = None
        self._lock = threading.Lock()

    def get(self) -> Built:
        value = self._value
        if value is None:
            with self._lock:
                value = self._value
                if value is None:
                    value = self._value = self._build()
        return value
