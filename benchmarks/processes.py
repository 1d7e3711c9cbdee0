"""Whole processes as users run them: start-up floors, the CLI, and Word beside pandoc."""

from __future__ import annotations

import os
import shutil
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks import peers
from benchmarks.inprocess import BUNDLED, Formats, RenderFigures, short_reason
from benchmarks.measure import (
    Command,
    ProcessTiming,
    progress,
    run_process,
    time_process,
    time_processes,
)
from benchmarks.plan import BUNDLED_EPISODE, PROJECT_ROOT, SEED, Plan, briefing_command
from benchmarks.synthetic import BUNDLED_LIKE, write_library
from benchmarks.table import Row, Target, ratio
from briefing.labels import labels_for
from briefing.pipeline import default_context
from briefing.source import load_episode
from styles import load_theme

GROUP_CLI = "Whole processes: start-up and one export (median of runs)"
PARALLEL_NOTE = "default --jobs: a worker per CPU, a task per format; memory: largest process"
GROUP_WORD = "Word report beside pandoc (markdown -> docx, whole process)"
IMPORT_FLOOR = "import reportlab.platypus, docx, openpyxl, jinja2, click, pydantic"
"""What an export of every format cannot do without: the libraries of its formats."""
USED_FLOOR = (
    "import reportlab.platypus, docx, openpyxl, jinja2, click, babel.numbers, babel.dates,"
    " importlib.metadata; from pydantic import BaseModel"
)
"""The same libraries as an export first uses them, for information beside the floor:
``import pydantic`` loads none of pydantic's model machinery (``BaseModel`` does), and
every export needs Babel's numbers and dates (its labels) and the metadata reader its
formats are found by (entry points)."""
EXPORT_TARGET = Target("<=", 1.3, "<= 1.3")
OWN_PACKAGES = ("briefing", "exporters", "styles")


def format_flags(formats: Formats, wanted: Sequence[str] | None = None) -> tuple[list[str], str]:
    """``-f`` options for the formats that load, and a note naming any that do not.

    ``wanted`` None means every registered format (``-f all`` once they all load).
    """
    names = list(wanted) if wanted is not None else formats.names
    missing = [name for name in names if name in formats.missing]
    if wanted is None and not missing:
        return ["-f", "all"], ""
    flags = [flag for name in names if name not in missing for flag in ("-f", name)]
    note = f"measured without {', '.join(missing)} (not available)" if missing else ""
    return flags, note


def failure_note(timing: ProcessTiming) -> str:
    failed = timing.failed
    if failed is None:
        return ""
    last_line = failed.stderr_tail.strip().splitlines()[-1:] or [""]
    return f"exit {failed.returncode}: {last_line[0][:100]}"


def fresh_folder(folder: Path) -> None:
    """An empty folder, so every timed export writes everything anew."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def _export_row(
    what: str,
    run: ProcessTiming,
    import_floor: ProcessTiming,
    notes: list[str],
    target: Target | None = None,
    headline: str = "",
) -> Row:
    """An export of the bundled episode beside the import floor of the same settings."""
    return Row(
        GROUP_CLI,
        what,
        run.median,
        peer=import_floor.median,
        peer_name="import floor",
        ratio=ratio(run.median, import_floor.median),
        ratio_of="ours / import floor",
        target=target,
        peak_memory_bytes=run.peak_rss_bytes,
        extra={
            "cpu": f"{run.cpu_median:.2f} s (floor {import_floor.cpu_median:.2f} s)",
            "ours": run.spread_text,
            "floor": import_floor.spread_text,
        },
        samples={
            "ours": [one.seconds for one in run.runs],
            "floor": [one.seconds for one in import_floor.runs],
        },
        note="; ".join(filter(None, [*notes, failure_note(run)])),
        unavailable=bool(notes[0]) or run.failed is not None,
        headline=headline,
    )


def _environments(scratch: Path) -> dict[str, dict[str, str]]:
    """The two ways Python meets its bytecode here.

    ``cached``: compiled modules kept between runs, as on most machines (a cache folder of
    the benchmark's own, filled by the warm-up round, for the libraries and for us alike).
    ``uncached``: ``PYTHONDONTWRITEBYTECODE=1``, as this machine sets it; the libraries'
    bytecode is what pip wrote at install, ours (an editable install) is compiled anew
    by every run unless a ``__pycache__`` was left beside the source.
    """
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONPYCACHE")}
    cached = {k: v for k, v in inherited.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str(scratch / "bytecode")
    return {"cached": cached, "uncached": {**inherited, "PYTHONDONTWRITEBYTECODE": "1"}}


def _own_bytecode_note() -> str:
    left = any((PROJECT_ROOT / package / "__pycache__").is_dir() for package in OWN_PACKAGES)
    return "our own __pycache__ present" if left else "our own modules compiled every run"


def cli_rows(plan: Plan, formats: Formats, scratch: Path) -> list[Row]:
    briefing = briefing_command()
    flags, note = format_flags(formats)
    out = scratch / "cli-export"
    export_argv = (*briefing, "export", str(BUNDLED_EPISODE), *flags, "-o", str(out))
    environments = _environments(scratch)
    commands: dict[str, Command] = {
        "bare": Command((sys.executable, "-c", "pass")),
        "click": Command((sys.executable, "-c", "import click")),
        "help": Command((*briefing, "--help")),
        "formats": Command((*briefing, "formats")),
    }
    for name, env in environments.items():
        commands[f"floor-{name}"] = Command((sys.executable, "-c", IMPORT_FLOOR), env=env)
        commands[f"used-{name}"] = Command((sys.executable, "-c", USED_FLOOR), env=env)
        commands[f"export-{name}"] = Command(
            export_argv, PROJECT_ROOT, lambda: fresh_folder(out), env=env
        )
        commands[f"export-one-{name}"] = Command(
            (*export_argv, "--jobs", "1"), PROJECT_ROOT, lambda: fresh_folder(out), env=env
        )
    progress(f"cli: {len(commands)} commands in turns, {plan.process_repeats} rounds")
    timed = time_processes(commands, plan.process_repeats, plan.process_warmup)
    click_floor = timed["click"].median
    rows = [
        Row(GROUP_CLI, "python -c pass (interpreter start)", timed["bare"].median),
        Row(GROUP_CLI, 'python -c "import click" (floor)', click_floor),
    ]
    for name in environments:
        floor = timed[f"floor-{name}"]
        rows.append(
            Row(
                GROUP_CLI,
                f'python -c "{IMPORT_FLOOR}" (import floor, bytecode {name})',
                floor.median,
                extra={"range": floor.spread_text},
            )
        )
        used = timed[f"used-{name}"]
        rows.append(
            Row(
                GROUP_CLI,
                f"the libraries as an export uses them (bytecode {name}; information)",
                used.median,
                peer=floor.median,
                peer_name="import floor",
                ratio=ratio(used.median, floor.median),
                ratio_of="used / import floor",
                extra={"range": used.spread_text, "command": USED_FLOOR},
                note=failure_note(used),
            )
        )
    rows += [
        Row(
            GROUP_CLI,
            "briefing --help",
            timed["help"].median,
            peer=click_floor,
            peer_name="import click",
            ratio=ratio(timed["help"].median, click_floor),
            ratio_of="ours / import click",
            target=Target("<=", 2.0, "<= 2"),
            note=failure_note(timed["help"]),
        ),
        Row(
            GROUP_CLI,
            "briefing formats",
            timed["formats"].median,
            peer=click_floor,
            peer_name="import click",
            ratio=ratio(timed["formats"].median, click_floor),
            ratio_of="ours / import click",
            note=failure_note(timed["formats"]),
        ),
    ]
    for name in environments:
        floor = timed[f"floor-{name}"]
        extra = [] if name == "cached" else [_own_bytecode_note()]
        rows += [
            _export_row(
                f"briefing export {' '.join(flags)} --jobs 1 (one process, bytecode {name})",
                timed[f"export-one-{name}"],
                floor,
                [note, *extra],
                EXPORT_TARGET,
                f"export --jobs 1 / import floor, bytecode {name}",
            ),
            _export_row(
                f"briefing export {' '.join(flags)} (bundled episode, bytecode {name})",
                timed[f"export-{name}"],
                floor,
                [note, PARALLEL_NOTE, *extra],
                EXPORT_TARGET,
                f"export (default --jobs) / import floor, bytecode {name}",
            ),
        ]
    for row in rows:
        row.extra.setdefault("runs", plan.process_repeats)
    return rows


def _write_markdown(sources: list[Path], folder: Path) -> list[Path]:
    """Our own Markdown export of each episode: what pandoc is given."""
    from exporters.markdown import MarkdownExporter

    folder.mkdir(parents=True, exist_ok=True)
    theme = load_theme("default")
    written = []
    for source in sources:
        episode = load_episode(source)
        path = folder / f"{episode.id}.md"
        labels = labels_for(episode.language)
        markdown = MarkdownExporter().render(episode, theme, labels, default_context(episode))
        path.write_bytes(markdown)
        written.append(path)
    return written


def _pandoc_argv(pandoc: str, markdown: Path, target: Path) -> tuple[str, ...]:
    return (pandoc, "--from", "markdown", "--to", "docx", "--output", str(target), str(markdown))


def word_rows(plan: Plan, formats: Formats, figures: RenderFigures, scratch: Path) -> list[Row]:
    pandoc = peers.pandoc_path()
    docx_missing = formats.missing.get("docx")
    single_what = "one document (bundled): pandoc process vs our render in a running process"
    batch_what = f"batch of {plan.pandoc_batch}: per document, whole process, --jobs 1"
    goal = Target(">=", 1.0, ">= 1 (faster than pandoc)")
    if pandoc is None or docx_missing:
        why = (
            short_reason(docx_missing)
            if docx_missing
            else "pypandoc-binary not installed (pip install -e '.[bench]')"
        )
        return [
            Row(GROUP_WORD, single_what, None, unavailable=True, note=f"not available: {why}"),
            Row(GROUP_WORD, batch_what, None, target=goal, unavailable=True, note=why),
        ]
    library = scratch / "word-batch"
    sources = write_library(library / "episodes", plan.pandoc_batch, BUNDLED_LIKE, SEED)
    bundled_md, *_ = _write_markdown([BUNDLED_EPISODE], scratch / "bundled-md")
    single_command = Command(_pandoc_argv(pandoc, bundled_md, scratch / "bundled-pandoc.docx"))
    single = time_process(single_command, plan.process_repeats, plan.process_warmup)
    ours_single = figures.medians.get(("docx", BUNDLED))

    markdown_files = _write_markdown(sources, library / "md")
    pandoc_out = library / "pandoc"
    pandoc_out.mkdir()
    out = library / "out"
    export_argv = (*briefing_command(), "export", str(library / "episodes"), "-f", "docx")
    ours_command = Command(
        (*export_argv, "--jobs", "1", "-o", str(out)), before_each=lambda: fresh_folder(out)
    )
    pandoc_totals, ours_runs = [], []
    for round_number in range(1, plan.batch_repeats + 1):
        # Rounds alternate between pandoc and us, so load drift on a shared machine hits both.
        progress(f"word: round {round_number}: pandoc, then briefing, {len(sources)} documents")
        runs = [
            run_process(_pandoc_argv(pandoc, path, pandoc_out / f"{path.stem}.docx"))
            for path in markdown_files
        ]
        pandoc_totals.append(sum(run.seconds for run in runs))
        ours_runs.append(ours_command.run())
    pandoc_per_document = statistics.median(pandoc_totals) / len(markdown_files)
    ours_batch = ProcessTiming(tuple(ours_runs))
    ours_per_document = ours_batch.median / len(sources)
    return [
        Row(
            GROUP_WORD,
            single_what,
            ours_single,
            peer=single.median,
            peer_name="pandoc",
            ratio=ratio(single.median, ours_single),
            ratio_of="pandoc / ours",
            note=failure_note(single),
        ),
        Row(
            GROUP_WORD,
            batch_what,
            ours_per_document,
            peer=pandoc_per_document,
            peer_name="pandoc",
            ratio=ratio(pandoc_per_document, ours_per_document),
            ratio_of="pandoc / ours",
            target=goal,
            extra={"rounds": plan.batch_repeats},
            note=failure_note(ours_batch),
            unavailable=ours_batch.failed is not None,
        ),
    ]
