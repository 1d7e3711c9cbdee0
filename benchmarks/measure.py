"""Clocks and memory gauges: warm in-process timings and whole child processes.

In-process timings are medians of warm runs (one discarded first run loads the
libraries and fills caches). A child process is started by a small launcher
that times it from spawn to reap and reads its peak memory from ``wait4``'s
``ru_maxrss`` (the largest single process of its tree); when asked, the whole
tree's resident memory is also sampled in ``/proc``, which is what two worker
processes plus a parent cost together.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.plan import Runs

_LAUNCHER = Path(__file__).with_name("_launch.py")
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_SAMPLE_SECONDS = 0.02
MIB = 1024 * 1024


def own_peak_bytes() -> int:
    """This process's peak memory since it started its program: Linux's ``VmHWM``. Its
    ``ru_maxrss`` would also count what the process was before ``exec``: a process the
    benchmark spawns is forked from it first, and after the large parts that fork
    reported the benchmark's 2.3 GiB as its own."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def progress(message: str) -> None:
    """A line on stderr, so a long run shows where it is; the table goes to stdout."""
    print(f"[benchmarks] {message}", file=sys.stderr, flush=True)


def spread(samples: Sequence[float]) -> dict[str, float | int]:
    """How far repeated runs lie apart: the fastest, the slowest, the quartiles and the count."""
    ordered = sorted(samples)
    quartiles = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else [ordered[0]] * 3
    return {
        "runs": len(ordered),
        "min_s": ordered[0],
        "q1_s": quartiles[0],
        "q3_s": quartiles[2],
        "max_s": ordered[-1],
    }


def spread_text(samples: Sequence[float]) -> str:
    """``61.2-70.4 ms over 20`` for the printed table."""
    low, high = min(samples), max(samples)
    scale, unit, digits = (1000.0, "ms", 1) if high < 1 else (1.0, "s", 2)
    return f"{low * scale:.{digits}f}-{high * scale:.{digits}f} {unit} over {len(samples)}"


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

    @property
    def spread(self) -> dict[str, float | int]:
        return spread(self.samples)


def time_call(action: Callable[[], object], runs: Runs) -> Timing:
    """Timed runs of ``action`` as ``runs`` says; garbage collection runs between runs, not
    in them. A slow action stops early once the budget is spent, so it is measured fewer
    times rather than making the whole benchmark endless."""
    for _ in range(runs.warmup):
        action()
    samples: list[float] = []
    while len(samples) < runs.most:
        gc.collect()
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
        over_budget = runs.budget_seconds is not None and sum(samples) >= runs.budget_seconds
        if over_budget and len(samples) >= runs.least:
            break
    return Timing(tuple(samples))


def time_interleaved(
    actions: Mapping[str, tuple[Callable[[], object], Callable[[], object]]], runs: Runs
) -> dict[str, Timing]:
    """Several actions timed in turns, round by round, so that load drifting on a shared
    machine falls on all of them alike. Each comes as ``(prepare, action)``: ``prepare``
    runs untimed before every run (a peer's next, distinct document)."""
    for _ in range(runs.warmup):
        for prepare, action in actions.values():
            prepare()
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    while len(samples[next(iter(actions))]) < runs.most:
        for name, (prepare, action) in actions.items():
            prepare()
            gc.collect()
            started = time.perf_counter()
            action()
            samples[name].append(time.perf_counter() - started)
        spent = sum(sum(taken) for taken in samples.values())
        done = len(samples[next(iter(actions))])
        if runs.budget_seconds is not None and spent >= runs.budget_seconds and done >= runs.least:
            break
    return {name: Timing(tuple(taken)) for name, taken in samples.items()}


@dataclass(frozen=True)
class ProcessRun:
    seconds: float
    cpu_seconds: float
    """User and system time of the command and the processes it waited for."""
    returncode: int
    peak_rss_bytes: int
    """Largest resident set of any one process of the command's tree (``wait4``)."""
    tree_peak_bytes: int | None
    """Largest sampled sum over the whole tree; None when not sampled."""
    stderr_tail: str


class _TreeSampler(threading.Thread):
    """Polls ``/proc`` for the resident memory of all descendants of the launcher (not the
    launcher itself, which is not part of what is measured)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self._pid = pid
        self._finished = threading.Event()
        self.peak_bytes = 0

    def run(self) -> None:
        while not self._finished.is_set():
            descendants = sum(_tree_rss(child) for child in _children(self._pid))
            self.peak_bytes = max(self.peak_bytes, descendants)
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
    env: Mapping[str, str] | None = None,
    sample_tree: bool = False,
) -> ProcessRun:
    """Run one child to completion through the small launcher (see ``_launch.py``); its
    output is discarded except the end of stderr."""
    with tempfile.TemporaryFile() as stderr_file:
        launcher = subprocess.Popen(
            # -I: the launcher needs nothing but the standard library, and stays small.
            [sys.executable, "-I", str(_LAUNCHER), *argv],
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
        )
        sampler = None
        if sample_tree and Path("/proc").is_dir():
            sampler = _TreeSampler(launcher.pid)
            sampler.start()
        report, _ = launcher.communicate()
        if sampler:
            sampler.stop()
        stderr_file.seek(0)
        tail = stderr_file.read()[-2000:].decode("utf-8", "replace")
    if launcher.returncode != 0:
        raise RuntimeError(f"the launcher failed running {argv[0]}: {tail}")
    result = json.loads(report)
    return ProcessRun(
        seconds=result["seconds"],
        cpu_seconds=result["cpu_seconds"],
        returncode=result["returncode"],
        # ru_maxrss is in KiB on Linux.
        peak_rss_bytes=result["maxrss_kib"] * 1024,
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
    def cpu_median(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def spread(self) -> dict[str, float | int]:
        return spread([run.seconds for run in self.runs])

    @property
    def spread_text(self) -> str:
        return spread_text([run.seconds for run in self.runs])

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


@dataclass(frozen=True)
class Command:
    """A whole process to time, and what to do before each run (e.g. empty its output)."""

    argv: tuple[str, ...]
    cwd: Path | None = None
    before_each: Callable[[], None] | None = None
    sample_tree: bool = False
    env: Mapping[str, str] | None = None
    """The whole environment of the command; None inherits the benchmark's."""

    def run(self, sample: bool = True) -> ProcessRun:
        if self.before_each:
            self.before_each()
        return run_process(self.argv, self.cwd, self.env, sample_tree=self.sample_tree and sample)


def time_processes(
    commands: Mapping[str, Command], repeats: int, warmup: int = 1
) -> dict[str, ProcessTiming]:
    """Repeated runs of several commands, taken in turns: on a shared machine the load
    drifts, and taking turns spreads the drift over all of them instead of skewing the
    ratio between two measured minutes apart. Warm-up runs fill the OS file cache."""
    for _ in range(warmup):
        for command in commands.values():
            command.run(sample=False)
    runs: dict[str, list[ProcessRun]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            runs[name].append(command.run())
    return {name: ProcessTiming(tuple(taken)) for name, taken in runs.items()}


def time_process(command: Command, repeats: int, warmup: int = 1) -> ProcessTiming:
    return time_processes({"only": command}, repeats, warmup)["only"]
