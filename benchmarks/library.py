"""Libraries: many episodes exported in one run, and one workbook of all of them."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks import peers
from benchmarks.inprocess import Formats, short_reason
from benchmarks.measure import time_process
from benchmarks.plan import SEED, Plan, briefing_command
from benchmarks.processes import failure_note, format_flags, fresh_folder
from benchmarks.synthetic import BUNDLED_LIKE, predictions_shape, write_library
from benchmarks.table import Row, Target, ratio

MIB = 1024 * 1024
COMBINED_MEMORY_LIMIT = 150 * MIB


def jobs_rows(plan: Plan, formats: Formats, scratch: Path) -> list[Row]:
    """The same library at --jobs 1 and --jobs 2: one run each (they are long)."""
    count = plan.library_episodes
    group = f"Library: {count:,} synthetic episodes, one file per episode and format"
    library = scratch / "library"
    write_library(library, count, BUNDLED_LIKE, SEED)
    flags, note = format_flags(formats)
    out = scratch / "library-out"
    timings = {}
    for jobs in (1, 2):
        argv = [*briefing_command(), "export", str(library), *flags, "--jobs", str(jobs)]
        timings[jobs] = time_process(
            [*argv, "-o", str(out)],
            repeats=1,
            warmup=0,
            sample_tree=True,
            before_each=lambda: fresh_folder(out),
        )
    written = len(list(out.iterdir()))
    one, two = timings[1], timings[2]
    incomplete = bool(note) or one.failed is not None or two.failed is not None
    if formats.missing.keys() & {"pdf", "docx", "xlsx"}:
        incomplete = True
    return [
        Row(
            group,
            f"export {' '.join(flags)} --jobs 1",
            one.median,
            peak_memory_bytes=one.peak_rss_bytes,
            extra={"files_written": written},
            note="; ".join(filter(None, [note, failure_note(one)])),
        ),
        Row(
            group,
            f"export {' '.join(flags)} --jobs 2: speed-up over --jobs 1",
            two.median,
            peer=one.median,
            peer_name="--jobs 1",
            ratio=ratio(one.median, two.median),
            ratio_of="--jobs 1 / --jobs 2",
            target=Target(">=", 1.8, ">= 1.8"),
            peak_memory_bytes=two.tree_peak_bytes,
            extra={"largest_process_bytes": two.peak_rss_bytes},
            note="; ".join(filter(None, [note, failure_note(two), "peak memory: sum of tree"])),
            unavailable=incomplete,
        ),
    ]


def combined_rows(plan: Plan, formats: Formats, scratch: Path) -> list[Row]:
    """``-f xlsx --combine`` over a library of prediction-heavy episodes, beside xlsxwriter."""
    rows_wanted = plan.combined_rows
    group = (
        f"Combined workbook: {rows_wanted:,} prediction rows ({plan.combined_episodes:,} episodes)"
    )
    goal = Target(
        "<=",
        1.5,
        "<= 1.5",
        memory_limit_bytes=COMBINED_MEMORY_LIMIT,
        memory_text="peak < 150 MiB",
    )
    what = "export -f xlsx --combine vs xlsxwriter constant_memory"
    library = scratch / "predictions-library"
    write_library(
        library, plan.combined_episodes, predictions_shape(plan.predictions_per_episode), SEED
    )
    peer_timing = None
    peer_file = scratch / "xlsxwriter.xlsx"
    if peers.xlsxwriter_available():
        peer_timing = time_process(
            [sys.executable, "-m", "benchmarks.xlsxwriter_peer", str(library), str(peer_file)],
            repeats=1,
            warmup=0,
        )
    peer_note = "" if peer_timing else "xlsxwriter not installed (pip install -e '.[bench]')"
    if "xlsx" in formats.missing:
        return [
            Row(
                group,
                what,
                None,
                peer=peer_timing.median if peer_timing else None,
                peer_name="xlsxwriter",
                target=goal,
                unavailable=True,
                note=f"not available: {short_reason(formats.missing['xlsx'])}",
            )
        ]
    target_file = scratch / "combined" / "episodes.xlsx"
    ours = time_process(
        [
            *briefing_command(),
            "export",
            str(library),
            "-f",
            "xlsx",
            "--combine",
            "-o",
            str(target_file),
        ],
        repeats=1,
        warmup=0,
        before_each=lambda: fresh_folder(target_file.parent),
    )
    return [
        Row(
            group,
            what,
            ours.median,
            peer=peer_timing.median if peer_timing else None,
            peer_name="xlsxwriter",
            ratio=ratio(ours.median, peer_timing.median) if peer_timing else None,
            ratio_of="ours / xlsxwriter",
            target=goal,
            peak_memory_bytes=ours.peak_rss_bytes,
            extra={
                "xlsxwriter_peak_bytes": peer_timing.peak_rss_bytes if peer_timing else None,
                "size_bytes": target_file.stat().st_size if target_file.is_file() else None,
                "xlsxwriter_size_bytes": peer_file.stat().st_size if peer_file.is_file() else None,
            },
            note="; ".join(filter(None, [peer_note, failure_note(ours)])),
            unavailable=peer_timing is None or ours.failed is not None,
        )
    ]
