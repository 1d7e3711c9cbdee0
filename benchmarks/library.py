"""Libraries: many episodes exported in one run, and one workbook of all of them."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks import peers
from benchmarks.inprocess import Formats, short_reason
from benchmarks.measure import Command, progress, time_process, time_processes
from benchmarks.plan import PROJECT_ROOT, SEED, Plan, briefing_command
from benchmarks.processes import failure_note, format_flags, fresh_folder
from benchmarks.synthetic import BUNDLED_LIKE, predictions_shape, write_library
from benchmarks.table import Row, Target, ratio

MIB = 1024 * 1024
COMBINED_MEMORY_LIMIT = 100 * MIB


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
        progress(f"library: {count:,} episodes at --jobs {jobs}")
        argv = (*briefing_command(), "export", str(library), *flags, "--jobs", str(jobs))
        command = Command(
            (*argv, "-o", str(out)), before_each=lambda: fresh_folder(out), sample_tree=True
        )
        timings[jobs] = time_process(command, repeats=1, warmup=0)
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
        1.0,
        "<= 1.0 (as fast as xlsxwriter)",
        memory_limit_bytes=COMBINED_MEMORY_LIMIT,
        memory_text="peak < 100 MiB",
    )
    what = "export -f xlsx --combine vs xlsxwriter constant_memory"
    library = scratch / "predictions-library"
    write_library(
        library, plan.combined_episodes, predictions_shape(plan.predictions_per_episode), SEED
    )
    peer_file = scratch / "xlsxwriter.xlsx"
    target_file = scratch / "combined" / "episodes.xlsx"
    commands = {}
    if "xlsx" not in formats.missing:
        export_argv = (*briefing_command(), "export", str(library), "-f", "xlsx", "--combine")
        commands["ours"] = Command(
            (*export_argv, "-o", str(target_file)),
            before_each=lambda: fresh_folder(target_file.parent),
        )
    if peers.xlsxwriter_available():
        peer_argv = (sys.executable, "-m", "benchmarks.xlsxwriter_peer", str(library))
        commands["peer"] = Command((*peer_argv, str(peer_file)), PROJECT_ROOT)
    progress(f"combined: {' and '.join(commands)} in turns, {rows_wanted:,} rows")
    timed = time_processes(commands, plan.combined_repeats, warmup=0)
    ours, peer = timed.get("ours"), timed.get("peer")
    notes = [
        "" if peer else "xlsxwriter not installed (pip install -e '.[bench]')",
        f"not available: {short_reason(formats.missing['xlsx'])}" if not ours else "",
        failure_note(ours) if ours else "",
        failure_note(peer) if peer else "",
    ]
    return [
        Row(
            group,
            what,
            ours.median if ours else None,
            peer=peer.median if peer else None,
            peer_name="xlsxwriter",
            ratio=ratio(ours.median, peer.median) if ours and peer else None,
            ratio_of="ours / xlsxwriter",
            target=goal,
            peak_memory_bytes=ours.peak_rss_bytes if ours else None,
            extra={
                "xlsxwriter_peak_bytes": peer.peak_rss_bytes if peer else None,
                "cpu": f"{ours.cpu_median:.2f} s (xlsxwriter {peer.cpu_median:.2f} s)"
                if ours and peer
                else None,
                "ours": ours.spread_text if ours else None,
                "xlsxwriter": peer.spread_text if peer else None,
                "size_bytes": target_file.stat().st_size if target_file.is_file() else None,
                "xlsxwriter_size_bytes": peer_file.stat().st_size if peer_file.is_file() else None,
                "rounds": plan.combined_repeats,
            },
            samples={name: [run.seconds for run in timing.runs] for name, timing in timed.items()},
            note="; ".join(filter(None, notes)),
            unavailable=not (ours and peer) or bool(ours.failed or peer.failed),
            headline=f"combined workbook / xlsxwriter, {rows_wanted:,} rows",
        )
    ]
