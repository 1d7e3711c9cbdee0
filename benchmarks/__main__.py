"""``python -m benchmarks``: measure us beside the alternatives, print a table, write JSON.

    python -m benchmarks                 # the full run (several minutes on 2 cores)
    python -m benchmarks --quick         # a smoke run of every part, in seconds
    python -m benchmarks --only render --only cli
    python -m benchmarks --output results.json
    python -m benchmarks --profile 3000  # cProfile reports of load and every format

Every figure comes from this run; nothing is remembered between runs. Formats
that do not load yet, and peers whose packages are missing (the ``bench``
extra), are reported as not available.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import (
    cluster,
    incremental,
    ingest_growth,
    inprocess,
    library,
    pdf_growth,
    pdf_peers,
    peers,
    processes,
)
from benchmarks.inprocess import Formats, RenderFigures
from benchmarks.measure import progress
from benchmarks.plan import FULL, QUICK, RESULTS_DIR, Plan
from benchmarks.profiling import profile_formats
from benchmarks.table import Row, render_table, render_targets

TITLES = {
    "full": "briefing benchmark (full run)",
    "quick": "briefing benchmark (quick run: tiny sizes and single runs, a smoke test; "
    "its figures and statuses mean nothing)",
}
PARTS = (
    "render",
    "pdf",
    "cli",
    "word",
    "library",
    "combined",
    "ingest",
    "pdf-growth",
    "incremental",
    "dask",
    "memory",
)
PACKAGES = (
    "briefing",
    "reportlab",
    "python-docx",
    "openpyxl",
    "pydantic",
    "click",
    "typst",
    "weasyprint",
    "pypandoc-binary",
    "xlsxwriter",
    "markdown-it-py",
)


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for package in PACKAGES:
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = None
    pandoc = peers.pandoc_path()
    if pandoc:
        completed = subprocess.run(
            [pandoc, "--version"], capture_output=True, text=True, check=False
        )
        found["pandoc"] = completed.stdout.split("\n", 1)[0].removeprefix("pandoc ").strip()
    return found


def _load() -> list[float] | None:
    return list(os.getloadavg()) if hasattr(os, "getloadavg") else None


def measure(plan: Plan, parts: tuple[str, ...], scratch: Path) -> tuple[list[Row], Formats]:
    """Every part asked for, in an order where later parts reuse earlier figures."""
    figures = RenderFigures()
    formats = Formats.discover()
    rows: list[Row] = []
    steps: list[tuple[str, Callable[[], list[Row]]]] = [
        ("render", lambda: inprocess.run(plan, formats, figures)),
        ("pdf", lambda: pdf_peers.pdf_rows(plan, formats)),
        ("cli", lambda: processes.cli_rows(plan, formats, scratch)),
        ("word", lambda: processes.word_rows(plan, formats, figures, scratch)),
        ("library", lambda: library.jobs_rows(plan, formats, scratch)),
        ("combined", lambda: library.combined_rows(plan, formats, scratch)),
        ("ingest", lambda: ingest_growth.rows(plan)),
        ("pdf-growth", lambda: pdf_growth.rows(plan)),
        ("incremental", lambda: incremental.rows(plan, scratch)),
        ("dask", lambda: cluster.dask_rows(plan, scratch)),
        ("memory", lambda: cluster.memory_rows(plan, scratch)),
    ]
    for part, step in steps:
        if part in parts:
            started = time.perf_counter()
            progress(f"measuring {part} ...")
            rows.extend(step())
            progress(f"{part} done in {time.perf_counter() - started:.1f} s")
    return rows, formats


def results_document(
    plan: Plan, parts: tuple[str, ...], rows: list[Row], formats: Formats, meta: dict[str, object]
) -> dict[str, object]:
    return {
        "meta": {**meta, "plan": asdict(plan), "parts": list(parts)},
        "formats": {
            "available": sorted(formats.available),
            "missing": dict(sorted(formats.missing.items())),
        },
        "rows": [row.as_json() for row in rows],
        "table": f"{TITLES[plan.name]}\n\n{render_table(rows)}\n\n{render_targets(rows)}".rstrip(),
    }


def _default_output(plan: Plan, started: datetime) -> Path:
    return RESULTS_DIR / f"benchmark-{plan.name}-{started:%Y%m%d-%H%M%S}.json"


def _parse(arguments: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure briefing beside Typst, WeasyPrint, pandoc and xlsxwriter; "
        "print a table.",
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few runs (seconds)")
    parser.add_argument("--output", type=Path, help="results JSON (default: benchmarks/results/)")
    parser.add_argument(
        "--only", action="append", choices=PARTS, help="measure only this part (repeatable)"
    )
    parser.add_argument(
        "--profile",
        type=int,
        action="append",
        metavar="ITEMS",
        help="instead of the table, cProfile load and render of an episode with ITEMS items; "
        "give two sizes to list what grows faster than linearly",
    )
    parser.add_argument(
        "--format", action="append", dest="formats", help="with --profile: only this format"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        metavar="N",
        help="at most N timed runs of each thing (default: the plan's, 15-20), for a busy machine",
    )
    return parser.parse_args(arguments)


def main(arguments: list[str] | None = None) -> int:
    options = _parse(arguments)
    if options.profile:
        for text in profile_formats(options.profile, options.formats, RESULTS_DIR):
            print(text, end="\n\n")
        return 0
    plan = QUICK if options.quick else FULL
    if options.rounds:
        plan = plan.at_most(options.rounds)
    parts = tuple(options.only or PARTS)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as scratch:
        rows, formats = measure(plan, parts, Path(scratch))
    meta = {
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - clock, 1),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": _load(),
        "versions": _versions(),
    }
    document = results_document(plan, parts, rows, formats, meta)
    print(document["table"])
    output = options.output or _default_output(plan, started)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    progress(f"{plan.name} run took {meta['seconds']} s; results written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
