"""Incremental re-runs: a library exported in full, then again unchanged, then again after
one episode changed; the time of each whole process and the files it rewrote.

The library's size is ``BRIEFING_BENCH_INCREMENTAL_EPISODES`` (default 200, 20 in the
quick plan) and its formats ``BRIEFING_BENCH_INCREMENTAL_FORMATS`` (comma-separated,
default ``md``), so that the part stays quick unless asked for more: the issue's figure
is ``BRIEFING_BENCH_INCREMENTAL_EPISODES=1000``. The target is the issue's: a re-run
after one change under 2% of the full run.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from benchmarks.measure import progress
from benchmarks.plan import SEED, Plan, briefing_command
from benchmarks.processes import fresh_folder
from benchmarks.synthetic import BUNDLED_LIKE, write_library
from benchmarks.table import Row, Target, ratio

EPISODES = "BRIEFING_BENCH_INCREMENTAL_EPISODES"
FORMATS = "BRIEFING_BENCH_INCREMENTAL_FORMATS"
TARGET = Target("<=", 0.02, "<= 2% of the full run")


def _stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()}


def _timed(argv: list[str], out: Path) -> tuple[float, int]:
    """Seconds of one whole run, and how many document files it rewrote."""
    before = _stamps(out) if out.is_dir() else {}
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    after = _stamps(out)
    changed = [name for name in after if before.get(name) != after[name]]
    return seconds, len([name for name in changed if name != "manifest.json"])


def rows(plan: Plan, scratch: Path) -> list[Row]:
    count = int(os.environ.get(EPISODES) or (20 if plan.name == "quick" else 200))
    formats = [name for name in (os.environ.get(FORMATS) or "md").split(",") if name]
    flags = [flag for name in formats for flag in ("-f", name)]
    group = f"Incremental: {count:,} synthetic episodes, {' '.join(flags)}"
    library = scratch / "incremental-library"
    sources = write_library(library, count, BUNDLED_LIKE, SEED)
    out = scratch / "incremental-out"
    fresh_folder(out)
    argv = [*briefing_command(), "export", str(library), *flags, "-q", "-o", str(out)]
    progress(f"incremental: full run of {count:,} episodes")
    full, full_files = _timed(argv, out)
    progress("incremental: unchanged re-run")
    same, same_files = _timed(argv, out)
    data = json.loads(sources[count // 2].read_text(encoding="utf-8"))
    data["title"] = f"{data['title']} (changed)"
    sources[count // 2].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    progress("incremental: re-run after one change")
    one, one_files = _timed(argv, out)
    return [
        Row(group, "full run", full, extra={"files_written": full_files}),
        Row(
            group,
            "re-run, nothing changed",
            same,
            peer=full,
            peer_name="full run",
            ratio=ratio(same, full),
            ratio_of="re-run / full run",
            target=TARGET,
            extra={"files_written": same_files},
        ),
        Row(
            group,
            "re-run after one episode changed",
            one,
            peer=full,
            peer_name="full run",
            ratio=ratio(one, full),
            ratio_of="re-run / full run",
            target=TARGET,
            extra={"files_written": one_files},
        ),
    ]
