"""Exporters that misbehave on purpose, registered by entry point like any plugin.

Used by ``tests/system/test_faults.py`` in real processes (this folder on PYTHONPATH), so
the interrupt and the slowness happen inside a real ``briefing export``.
"""

from __future__ import annotations

import ctypes
import faulthandler
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any, ClassVar


class InterruptOnThirdExporter:
    """Writes plain text, and acts like Ctrl-C while rendering the third episode."""

    name: ClassVar[str] = "interrupt-third"
    suffix: ClassVar[str] = "txt"
    media_type: ClassVar[str] = "text/plain; charset=utf-8"
    description: ClassVar[str] = "Plain text; interrupted on the third episode (fault tests)"
    _rendered: ClassVar[int] = 0

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        type(self)._rendered += 1
        if type(self)._rendered == 3:
            # With workers, a worker can reach its third episode before another has
            # finished the first (a loaded machine starts one late): a test that needs a
            # file before the interrupt names it in FAULT_INTERRUPT_AFTER.
            _wait_for(os.environ.get("FAULT_INTERRUPT_AFTER"))
            raise KeyboardInterrupt
        return f"{episode.title}\n".encode()


class SlowExporter:
    """Plain text that takes a while, so a real SIGINT lands in the middle of a batch."""

    name: ClassVar[str] = "slow"
    suffix: ClassVar[str] = "txt"
    media_type: ClassVar[str] = "text/plain; charset=utf-8"
    description: ClassVar[str] = "Plain text, slowly (fault tests)"

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        # A test that must interrupt mid-render (not mid-start-up, which a loaded machine
        # can stretch past any fixed delay) waits for this file instead of a clock.
        if "FAULT_STATE" in os.environ:
            _state("slow-started").touch()
        time.sleep(float(os.environ.get("FAULT_SLOW_SECONDS", "0.4")))
        return f"{episode.title}\n".encode()


# --- plugins that misbehave in every way a plugin can (tests/system/test_plugins_contained.py)


class _Text:
    """Plain text of the title, for the misbehaving formats below to start from."""

    suffix: ClassVar[str] = "txt"
    media_type: ClassVar[str] = "text/plain; charset=utf-8"

    def text(self, episode: Any) -> bytes:
        return f"{episode.title}\n".encode()


def _second(episode: Any) -> bool:
    """Whether this is the episode the faults below pick on: ``episode-2``."""
    return episode.id == "episode-2"


class ReturnsStrExporter(_Text):
    name: ClassVar[str] = "returns-str"
    suffix: ClassVar[str] = "str"
    description: ClassVar[str] = "Returns str instead of bytes for episode-2"

    def render(self, episode: Any, theme: Any, labels: Any) -> Any:
        return self.text(episode).decode() if _second(episode) else self.text(episode)


class ReturnsNoneExporter(_Text):
    name: ClassVar[str] = "returns-none"
    suffix: ClassVar[str] = "none"
    description: ClassVar[str] = "Returns None for episode-2"

    def render(self, episode: Any, theme: Any, labels: Any) -> Any:
        return None if _second(episode) else self.text(episode)


class ReturnsListExporter(_Text):
    name: ClassVar[str] = "returns-list"
    suffix: ClassVar[str] = "list"
    description: ClassVar[str] = "Returns a list of bytes for episode-2"

    def render(self, episode: Any, theme: Any, labels: Any) -> Any:
        return [self.text(episode)] if _second(episode) else self.text(episode)


class _Unpicklable(bytes):
    """Bytes that carry a lambda: fine in one process, impossible to send back from a worker."""

    def __new__(cls, data: bytes) -> _Unpicklable:
        made = super().__new__(cls, data)
        made.hook = lambda: None  # type: ignore[attr-defined]
        return made


class ReturnsUnpicklableExporter(_Text):
    name: ClassVar[str] = "returns-unpicklable"
    suffix: ClassVar[str] = "unpick"
    description: ClassVar[str] = "Returns a generator for episode-2, and bytes no pipe can carry"

    def render(self, episode: Any, theme: Any, labels: Any) -> Any:
        if _second(episode):
            return (part for part in [self.text(episode)])
        return _Unpicklable(self.text(episode))


class RaisesSystemExitExporter(_Text):
    name: ClassVar[str] = "raises-exit"
    suffix: ClassVar[str] = "exit"
    description: ClassVar[str] = "Calls sys.exit(3) for episode-2"

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        if _second(episode):
            sys.exit(3)
        return self.text(episode)


class PrintsExporter(_Text):
    name: ClassVar[str] = "prints"
    suffix: ClassVar[str] = "said"
    description: ClassVar[str] = "Prints to standard output for episode-2, by print and by fd 1"

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        if _second(episode):
            print("debugging output a plugin forgot")
            os.write(1, b"and some written straight to fd 1\n")
        return self.text(episode)


# --- plugins that end their process or hang (test_dead_workers.py, test_hanging_plugins.py)


def _wait_for(path: str | None, seconds: float = 30.0) -> None:
    """Until the file at ``path`` exists (at most ``seconds``); at once without a path."""
    deadline = time.monotonic() + seconds
    while path is not None and not Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def _state(name: str) -> Path:
    """A file in the folder the test gives in ``FAULT_STATE``: how a plugin in one worker
    tells the test (or its own retry in another worker) what happened."""
    return Path(os.environ["FAULT_STATE"]) / name


class _Dies(_Text):
    """Ends its own process while rendering episode-2; ``once``: only the first time."""

    once: ClassVar[bool] = False

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        if _second(episode):
            marker = _state(f"{self.name}-died")
            if not (self.once and marker.exists()):
                marker.write_text(str(os.getpid()), encoding="utf-8")
                self.die()
        return self.text(episode)

    def die(self) -> None:
        raise NotImplementedError


class KillsItselfExporter(_Dies):
    name: ClassVar[str] = "sigkill"
    suffix: ClassVar[str] = "kill"
    description: ClassVar[str] = "SIGKILL to its own process for episode-2 (the OOM killer)"

    def die(self) -> None:
        os.kill(os.getpid(), signal.SIGKILL)


class ExitsAtOnceExporter(_Dies):
    name: ClassVar[str] = "os-exit"
    suffix: ClassVar[str] = "osexit"
    description: ClassVar[str] = "os._exit(7) for episode-2"

    def die(self) -> None:
        os._exit(7)


class SegfaultExporter(_Dies):
    name: ClassVar[str] = "segfault"
    suffix: ClassVar[str] = "segv"
    description: ClassVar[str] = "Reads address 0 for episode-2"

    def die(self) -> None:
        faulthandler.disable()  # a plain crash, without Python's report of it
        ctypes.string_at(0)


class DiesOnceExporter(_Dies):
    name: ClassVar[str] = "dies-once"
    suffix: ClassVar[str] = "once"
    description: ClassVar[str] = "SIGKILL to its own process the first time it renders episode-2"
    once: ClassVar[bool] = True

    def die(self) -> None:
        os.kill(os.getpid(), signal.SIGKILL)


class HangsExporter(_Text):
    """Never returns for episode-2 (or, as ``hangs-all``, for any episode), deaf to SIGTERM
    and to Ctrl-C, after saying so in ``FAULT_STATE``."""

    name: ClassVar[str] = "hangs"
    suffix: ClassVar[str] = "hang"
    description: ClassVar[str] = "Hangs on episode-2, ignoring SIGTERM and SIGINT"
    every: ClassVar[bool] = False

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        if self.every or _second(episode):
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            _state(f"hanging-{os.getpid()}").write_text(episode.id, encoding="utf-8")
            while True:
                try:
                    time.sleep(3600)
                except KeyboardInterrupt:
                    continue
        return self.text(episode)


class HangsAlwaysExporter(HangsExporter):
    name: ClassVar[str] = "hangs-all"
    suffix: ClassVar[str] = "hangall"
    description: ClassVar[str] = "Hangs on every episode, ignoring SIGTERM and SIGINT"
    every: ClassVar[bool] = True


class EpisodeJsonExporter:
    """Writes each episode back as episode JSON (``<id>.json``): output that would read as
    input if the tool ever took its own files for episodes."""

    name: ClassVar[str] = "as-json"
    suffix: ClassVar[str] = "json"
    media_type: ClassVar[str] = "application/json"
    description: ClassVar[str] = "The episode as episode JSON (fault tests)"

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        return episode.model_dump_json(exclude_none=True).encode()
