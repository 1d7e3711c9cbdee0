"""One format's render, contained: whatever a plugin does, its document fails alone.

A format may raise anything (``SystemExit`` included), return something that is not
bytes (a str, None, a list, an object no pipe can carry back from a worker), or print to
standard output, which is the tool's own (``-o -`` writes documents there). Each of these
is a ``RenderFailure`` with one line saying what happened; the pipeline reports it for
that format and episode, and the other documents are written. Only an interrupt
(``KeyboardInterrupt``) goes through: it is the user's, not the plugin's.
"""

from __future__ import annotations

import atexit
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout, suppress
from typing import IO, TYPE_CHECKING

from briefing.formats import Exporter, render_document

if TYPE_CHECKING:
    from briefing.formats import RenderContext
    from briefing.labels import Labels
    from briefing.model import Episode
    from styles import Theme


class RenderFailure(Exception):
    """A format that did not produce a document; the message says why, in one line."""


def render_contained(
    exporter: Exporter, episode: Episode, theme: Theme, labels: Labels, context: RenderContext
) -> bytes:
    """``exporter.render(...)``, checked: bytes or a ``RenderFailure``."""
    return contained(lambda: render_document(exporter, episode, theme, labels, context))


def contained(render: Callable[[], object]) -> bytes:
    """``render()``'s bytes, or a ``RenderFailure`` saying what it did instead."""
    with _stdout_watched() as printed:
        try:
            data = render()
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # SystemExit, GeneratorExit: a plugin ends nothing
            raise RenderFailure(describe(error)) from None
    spoken = printed()
    if spoken:
        raise RenderFailure(
            f"it printed {spoken} bytes to standard output, which carries briefing's own output"
        )
    if not isinstance(data, bytes):
        raise RenderFailure(f"render() returned {type(data).__name__}, not bytes")
    return bytes(data)  # a subclass of bytes may carry what no pipe can; its bytes can


def describe(error: BaseException) -> str:
    """``Type: message`` in one line, even for an exception whose ``str()`` fails."""
    try:
        text = " ".join(str(error).split())
    except Exception:
        text = ""
    if len(text) > 300:
        text = text[:297] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


_sinks: dict[int, IO[bytes]] = {}
"""Per process (workers fork from the parent): where file descriptor 1 points while a
format renders."""


def _sink() -> IO[bytes]:
    pid = os.getpid()
    if pid not in _sinks:
        # A forked worker's copy of its parent's sink is closed (the parent's stays open):
        # an open file left to the garbage collector is a ResourceWarning.
        _close_sinks()
        _sinks[pid] = tempfile.TemporaryFile()  # noqa: SIM115 (kept open for the process)
    return _sinks[pid]


def _close_sinks() -> None:
    for sink in _sinks.values():
        sink.close()
    _sinks.clear()


atexit.register(_close_sinks)


@contextmanager
def _stdout_watched() -> Iterator[Callable[[], int]]:
    """Standard output diverted while the block runs, at the Python level (``print``) and
    at the file descriptor (``os.write(1, ...)``, C libraries); yields a function that
    says how many bytes were written there."""
    captured = io.StringIO()
    sink = _sink()
    streams = [stream for stream in (sys.stdout, sys.__stdout__) if stream is not None]
    for stream in streams:
        with suppress(Exception):
            stream.flush()
    try:
        saved: int | None = os.dup(1)
    except OSError:
        saved = None  # no standard output at all: nothing to protect at that level
    if saved is not None:
        os.dup2(sink.fileno(), 1)
    written = 0
    try:
        with redirect_stdout(captured):
            yield lambda: written
    finally:
        if sys.__stdout__ is not None:
            with suppress(Exception):
                sys.__stdout__.flush()
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)
        written = len(captured.getvalue().encode("utf-8", "replace"))
        written += os.fstat(sink.fileno()).st_size
        sink.seek(0)
        sink.truncate()
