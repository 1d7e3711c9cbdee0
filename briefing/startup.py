"""The garbage collector's pace in the CLI's process: slow while it starts, Python's own
once the first episode has rendered.

A run makes its modules, models and first documents in a burst of long-lived objects,
which Python's young-generation threshold (700 net allocations of container objects)
goes over some hundred times, each collection looking at objects that will live until
the process ends: about 60 ms of the 0.6 s that exporting the bundled episode in every
format takes. After the first episode the documents' own cycles are what is left to
collect, and a batch of many episodes needs them collected at the usual pace (with the
slow pace kept, 30 episodes peaked 26 MiB higher). The CLI calls ``collect_slowly``;
the pipeline calls ``rendering`` before each episode it renders, here or in a worker
(workers fork with the parent's pace), and a program that never asked keeps its own.
"""

from __future__ import annotations

import gc

START_THRESHOLD = 100_000
"""Net allocations between two young collections while the process starts."""

_usual: tuple[int, int, int] | None = None
_first: object = None


def collect_slowly() -> None:
    """The start-up pace, until the process renders its second episode."""
    global _usual
    if _usual is None:
        _usual = gc.get_threshold()
        gc.set_threshold(START_THRESHOLD, *_usual[1:])


def rendering(episode: object) -> None:
    """Before each render of an episode (``episode``: what tells one from another, as the
    input's path): from the second on, the pace the process had before
    ``collect_slowly``. A worker that renders one format of one episode, then another
    format of it, keeps the start-up pace for both: they are its first renders."""
    global _usual, _first
    if _usual is None:
        return
    if _first is None:
        _first = episode
    elif episode != _first:
        gc.set_threshold(*_usual)
        _usual = None
