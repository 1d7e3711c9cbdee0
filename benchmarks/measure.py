"""Clocks and memory gauges: warm in-process timings and whole child processes.

In-process timings are medians of warm runs (one discarded first run loads the
libraries and fills caches). A child process is timed from spawn to reap, and
its peak memory comes from ``wait4``'s ``ru_maxrss`` (the largest single
process of its tree) and, when asked, from sampling the whole tree's resident
memory in ``/proc``, which is what two worker processes plus a parent cost.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_SAMPLE_SECONDS = 0.02
MIB = 1024 * 1024


@dataclass(frozen=True)
class Timing:
    """Seconds of repeated runs of one action."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def best(self) -> float:
        return min(self.samples)


def time_call(action: Callable[[], object], repeats: int, warmup: int = 1) -> Timing:
    """Median-ready timings of ``action``; garbage collection runs between runs, not in them."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return Timing(tuple(samples))


@dataclass(frozen=True)
class ProcessRun:
    seconds: float
    returncode: int
    peak_rss_bytes: int
    """Largest resident set of any one process in the tree (from ``wait4``)."""
    tree_peak_bytes: int | None
    """Largest sampled sum over the whole tree; None when not sampled."""
    stderr_tail: str


class _TreeSampler(threading.Thread):
    """Polls ``/proc`` for the resident memory of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self._pid = pid
        self._finished = threading.Event()
        self.peak_bytes = 0

    def run(self) -> None:
        while not self._finished.is_set():
            self.peak_bytes = max(self.peak_bytes, _tree_rss(self._pid))
            self._finished.wait(_SAMPLE_SECONDS)

    def stop(self) -> None:
        self._finished.set()
        self.join()


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text()
            found.extend(int(child) for child in text.split())
    except OSError:
        # The process ended between listing and reading: it has no children now.
        return []
    return found


def _tree_rss(root: int) -> int:
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            resident_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += resident_pages * _PAGE_BYTES
        pending.extend(_children(pid))
    return total


def run_process(
    argv: Sequence[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    sample_tree: bool = False,
) -> ProcessRun:
    """Run one child to completion; its output is discarded except the end of stderr."""
    with tempfile.TemporaryFile() as stderr_file:
        started = time.perf_counter()
        child = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr_file,
        )
        sampler = _TreeSampler(child.pid) if sample_tree and Path("/proc").is_dir() else None
        if sampler:
            sampler.start()
        # wait4 instead of Popen.wait: it also returns the child's resource usage.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        if sampler:
            sampler.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr_file.seek(0)
        tail = stderr_file.read()[-2000:].decode("utf-8", "replace")
    return ProcessRun(
        seconds=seconds,
        returncode=child.returncode,
        # ru_maxrss is in KiB on Linux.
        peak_rss_bytes=usage.ru_maxrss * 1024,
        tree_peak_bytes=sampler.peak_bytes if sampler else None,
        stderr_tail=tail,
    )


@dataclass(frozen=True)
class ProcessTiming:
    runs: tuple[ProcessRun, ...]

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_rss_bytes(self) -> int:
        return max(run.peak_rss_bytes for run in self.runs)

    @property
    def tree_peak_bytes(self) -> int | None:
        sampled = [run.tree_peak_bytes for run in self.runs if run.tree_peak_bytes is not None]
        return max(sampled) if sampled else None

    @property
    def failed(self) -> ProcessRun | None:
        """The first run that exited with an error, if any."""
        return next((run for run in self.runs if run.returncode != 0), None)


def time_process(
    argv: Sequence[str],
    repeats: int,
    warmup: int = 1,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    sample_tree: bool = False,
    before_each: Callable[[], None] | None = None,
) -> ProcessTiming:
    """Repeated whole-process runs; the warm-up runs fill the OS file cache and are dropped."""
    for _ in range(warmup):
        if before_each:
            before_each()
        run_process(argv, cwd, env)
    runs = []
    for _ in range(repeats):
        if before_each:
            before_each()
        runs.append(run_process(argv, cwd, env, sample_tree))
    return ProcessTiming(tuple(runs))
