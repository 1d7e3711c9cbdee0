"""The scale parts: the Dask path's overhead against ``--jobs 2`` on this machine, and the
main process's peak memory as the library grows ten times.

``dask``: a LocalCluster of two single-threaded worker processes on loopback, started by
this part, and ``briefing export -f md --scheduler`` of the library beside ``--jobs 2``,
in turns (Markdown: the cheapest format, so what is measured is the path, not rendering).
Without the ``dask`` extra the row says so and nothing is timed.

``memory``: ``briefing export -f md -j 2`` of the library and of ten times it (or
``BRIEFING_BENCH_MEMORY_SCALE`` times it: 100 for the issue's 1,000 against 100,000, some
ten minutes here), with the main process's own peak (its workers are other processes).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.measure import Command, progress, time_processes
from benchmarks.plan import PROJECT_ROOT, SEED, Plan, briefing_command
from benchmarks.processes import failure_note, fresh_folder
from benchmarks.synthetic import BUNDLED_LIKE, write_library
from benchmarks.table import Row, Target, ratio

MAIN_PEAK = """\
import atexit, re, resource, sys

def peak_kib():
    try:
        with open("/proc/self/status") as status:
            return int(re.search(r"VmHWM:\\s+(\\d+)", status.read()).group(1))
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

atexit.register(lambda: print("peak-kib", peak_kib(), file=sys.stderr))
from briefing.cli import main
sys.argv[0] = "briefing"
main()
"""
"""``briefing`` with the main process's own peak printed at its exit (forked workers end
with ``os._exit`` and print nothing). Linux's ``VmHWM``, the high-water mark of the
process's memory since it started the program: its ``ru_maxrss`` also counts what the
process was before ``exec``, a fork of the benchmark, which is large after writing the
big library (it read 80.7 MiB at 100,000 episodes where the export itself peaked at 46.5)."""


def dask_rows(plan: Plan, scratch: Path) -> list[Row]:
    count = plan.library_episodes
    group = f"Dask: {count:,} synthetic episodes, -f md, two workers on loopback"
    what = "export --scheduler (LocalCluster, 2 x 1 thread) / --jobs 2"
    if importlib.util.find_spec("distributed") is None:
        note = "not measured: Dask is not installed (pip install -e '.[dask]')"
        return [Row(group, what, None, note=note, unavailable=True)]
    import distributed

    library = scratch / "dask-library"
    write_library(library, count, BUNDLED_LIKE, SEED)
    out = scratch / "dask-out"
    argv = (*briefing_command(), "export", str(library), "-f", "md", "-o", str(out))
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        commands = {
            "jobs": Command((*argv, "--jobs", "2"), before_each=lambda: fresh_folder(out)),
            "dask": Command(
                (*argv, "--scheduler", cluster.scheduler_address),
                before_each=lambda: fresh_folder(out),
            ),
        }
        progress(f"dask: {count:,} episodes, --jobs 2 and --scheduler in turns")
        timed = time_processes(commands, plan.batch_repeats, warmup=0)
    jobs, dask = timed["jobs"], timed["dask"]
    return [
        Row(
            group,
            what,
            dask.median,
            peer=jobs.median,
            peer_name="--jobs 2",
            ratio=ratio(dask.median, jobs.median),
            ratio_of="--scheduler / --jobs 2",
            target=Target("<=", 1.5, "<= 1.5"),
            extra={
                "cpu": f"{dask.cpu_median:.2f} s (--jobs 2 {jobs.cpu_median:.2f} s)",
                "ours": dask.spread_text,
                "--jobs 2": jobs.spread_text,
            },
            samples={name: [run.seconds for run in timing.runs] for name, timing in timed.items()},
            note="; ".join(filter(None, [failure_note(dask), failure_note(jobs)])),
            unavailable=bool(dask.failed or jobs.failed),
        )
    ]


def _main_peak(library: Path, out: Path) -> tuple[int | None, str]:
    """The main process's peak resident bytes, and a note on failure."""
    fresh_folder(out)
    argv = [sys.executable, "-c", MAIN_PEAK, "export", str(library), "-f", "md", "-j", "2"]
    completed = subprocess.run(
        [*argv, "-q", "-o", str(out)], capture_output=True, text=True, cwd=PROJECT_ROOT, check=False
    )
    lines = [line for line in completed.stderr.splitlines() if line.startswith("peak-kib ")]
    peak = int(lines[-1].split()[1]) * 1024 if lines else None
    note = "" if completed.returncode == 0 else f"exit {completed.returncode}"
    return peak, note


MEMORY_SCALE = "BRIEFING_BENCH_MEMORY_SCALE"


def memory_rows(plan: Plan, scratch: Path) -> list[Row]:
    small = plan.library_episodes
    scale = int(os.environ.get(MEMORY_SCALE) or 10)
    sizes = (small, small * scale)
    group = "Main process peak memory, export -f md -j 2 (VmHWM of the main process)"
    peaks: dict[int, int | None] = {}
    notes = []
    library = scratch / "memory-library"
    for size in sizes:
        progress(f"memory: {size:,} episodes")
        fresh_folder(library)
        write_library(library, size, BUNDLED_LIKE, SEED)
        peaks[size], note = _main_peak(library, scratch / "memory-out")
        notes.append(note)
    low, high = peaks[sizes[0]], peaks[sizes[1]]
    measured = low is not None and high is not None
    return [
        Row(
            group,
            f"{sizes[1]:,} episodes / {sizes[0]:,} episodes",
            high,
            unit="bytes",
            peer=low,
            peer_name=f"{sizes[0]:,} episodes",
            ratio=ratio(high, low),
            ratio_of=f"peak at {scale}x / peak at 1x",
            target=Target("<=", 1.3, "<= 1.3 (flat)"),
            extra={"peaks": json.dumps({str(k): v for k, v in peaks.items()})},
            note="; ".join(filter(None, notes)),
            unavailable=not measured,
        )
    ]
