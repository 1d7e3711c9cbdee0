"""A guard against a render that never ends (SIGALRM), for tests of big inputs: it fails
the test with a TimeoutError instead of letting the suite hang. It times nothing."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    def give_up(_signal: int, _frame: object) -> None:
        raise TimeoutError(f"still rendering after {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
