"""Values built on first use, once per process, safely under concurrent first uses."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def once(build: Callable[[], T]) -> Callable[[], T]:
    """``build()`` run by the first caller only, under a lock: threads that ask at the same time wait
    for that one value instead of each building their own."""
    lock = threading.Lock()
    built: list[T] = []

    @functools.wraps(build)
    def value() -> T:
        if not built:
            with lock:
                if not built:
                    built.append(build())
        return built[0]

    return value
