"""SIGINT, SIGTERM and SIGHUP, handled alike: the run stops where it is, keeps what is
finished, and exits 128 + the signal's number (130, 143, 129).

A signal becomes an ``Interrupted`` exception (a ``KeyboardInterrupt``, so every place
that already cleans up after Ctrl-C does so after the others too). Inside ``deferred()``
(a file being renamed and recorded, the manifest being written) a signal waits until
the block is done, so that no interrupt splits a step that must be whole.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
LAST_RESORT_SECONDS = 1.5
"""How long after a signal the run may still be stuck (in a plugin that swallowed the
``KeyboardInterrupt`` in this process) before the last resort ends it."""


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop by ``signal_number``."""

    def __init__(self, signal_number: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signal_number).name)
        self.signal_number = signal_number

    @property
    def exit_code(self) -> int:
        return 128 + self.signal_number


def exit_code_of(error: KeyboardInterrupt) -> int:
    """130 for a plain Ctrl-C, 128 + N for signal N."""
    return error.exit_code if isinstance(error, Interrupted) else 128 + signal.SIGINT


def how_stopped(signal_number: int) -> str:
    """ "interrupted" for Ctrl-C, "stopped by SIGTERM" for the others: what the user reads."""
    if signal_number == signal.SIGINT:
        return "interrupted"
    return f"stopped by {signal.Signals(signal_number).name}"


_deferring = 0
_waiting: list[int] = []
_last_resort: Callable[[int], None] | None = None
_timer: threading.Timer | None = None


def _handle(signal_number: int, frame: FrameType | None) -> None:
    if _deferring:
        _waiting.append(signal_number)
        return
    _arm(signal_number)
    raise Interrupted(signal_number)


def set_last_resort(action: Callable[[int], None] | None) -> None:
    """What to do if the run is still not done ``LAST_RESORT_SECONDS`` after a signal (it
    must end the process); None when the run is over."""
    global _last_resort, _timer
    _last_resort = action
    if action is None and _timer is not None:
        _timer.cancel()
        _timer = None


def disarm() -> None:
    """The interrupt has reached code of ours that is cleaning up (stopping workers,
    writing the manifest): the run is not stuck, so the last resort stands down."""
    global _timer
    if _timer is not None:
        _timer.cancel()
        _timer = None


def _arm(signal_number: int) -> None:
    global _timer
    if _last_resort is None or _timer is not None:
        return
    _timer = threading.Timer(LAST_RESORT_SECONDS, _fire, (signal_number,))
    _timer.daemon = True
    _timer.start()


def _fire(signal_number: int) -> None:
    # A step of our own under way (a file being renamed, the manifest written) is progress,
    # not a hang: it is let finish. Anything else is code that swallowed the interrupt.
    while _deferring:
        time.sleep(0.05)
    action = _last_resort
    if action is not None:
        action(signal_number)


def is_main_thread() -> bool:
    """Signal handlers can only be set there."""
    return threading.current_thread() is threading.main_thread()


def install() -> None:
    """Turn the three signals into ``Interrupted`` in this process (main thread only; a
    program that calls the pipeline from another thread keeps its own handlers)."""
    if not is_main_thread():
        return
    for number in HANDLED:
        if number == signal.SIGHUP and signal.getsignal(number) == signal.SIG_IGN:
            continue  # started under nohup: the user asked for hangups to be ignored
        signal.signal(number, _handle)


def reset_in_child() -> None:
    """In a worker process forked from here: Ctrl-C reaches the whole process group, and
    the parent decides (it stops the workers), so SIGINT is ignored; SIGTERM and SIGHUP
    end the worker as they would any program."""
    global _deferring, _last_resort, _timer
    _deferring = 0
    _waiting.clear()
    _last_resort, _timer = None, None
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold signals until the block ends, then act on the first that came."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
        if not _deferring and _waiting:
            number = _waiting[0]
            _waiting.clear()
            raise Interrupted(number)
