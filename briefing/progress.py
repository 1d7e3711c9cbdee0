"""The progress line of ``briefing export`` on a terminal: documents finished, the share
done, the time so far and an estimate of the time left.

Hand-written rather than click's progress bar: click takes no estimate in the first
second and then averages samples taken at most once a second, so a batch whose first
episode takes a few seconds shows ``00:00:00`` left, or nothing; and its line is not
ended when the run is interrupted inside the pipeline. Here the estimate is the time per
finished document so far times the documents left, shown from the first finished
document (before that, only the time so far), and ``close`` always ends the line, so the
summary after it, or after a ``^C`` the terminal echoed, starts on a line of its own.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


def clock_text(seconds: float) -> str:
    """``0:07``, ``12:30``, ``1:02:03``."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def estimate(elapsed: float, done: int, total: int) -> float | None:
    """Seconds left, from the time the finished documents took; None before the first."""
    if done <= 0:
        return None
    return elapsed / done * max(0, total - done)


class Progress:
    """``update(n)`` as documents finish; ``close()`` once, however the run ended."""

    def __init__(
        self,
        total: int,
        stream: TextIO,
        label: str = "Exporting",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.stream = stream
        self.label = label
        self.clock = clock
        self.start = clock()
        self.done = 0
        self._width = 0
        self._draw()

    def line(self) -> str:
        elapsed = self.clock() - self.start
        share = self.done * 100 // self.total if self.total else 100
        text = f"{self.label} {self.done}/{self.total} documents {share:3}%  {clock_text(elapsed)}"
        left = estimate(elapsed, self.done, self.total)
        if left is not None and self.done < self.total:
            text += f", about {clock_text(left)} left"
        return text

    def update(self, finished: int) -> None:
        self.done = min(self.total, self.done + finished)
        self._draw()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        text = self.line()
        # Spaces over what a longer earlier line left; \r goes back to the line's start.
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)


def start_a_line() -> None:
    """After a ``^C`` the terminal echoed, the cursor is just after it: what is printed
    next starts on a line of its own. Nothing happens when no terminal shows the output."""
    for stream in (sys.stderr, sys.stdout):
        if stream is not None and stream.isatty():
            stream.write("\n")
            stream.flush()
            return
