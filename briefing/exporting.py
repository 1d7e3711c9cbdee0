"""The body of ``briefing export``: formats, inputs and destination settled before any
work (usage errors exit 2 with nothing created), then the run, the progress line on a
terminal, the document on standard output for ``-o -``, and what is printed after.

What is printed: problems on stderr, one line each; with ``-v`` one line per file
written; then the summary (on stdout when all went well, on stderr otherwise or when
stdout carries the document). ``-q`` prints nothing but the problems and the last line of
a failure.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefing import destination, inputs
from briefing.exits import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, CommandError, plural
from briefing.options import registry
from briefing.progress import start_a_line

if TYPE_CHECKING:
    from distributed import Client

    from briefing.pipeline import Report
    from styles import Theme

DEFAULT_INPUT = Path("data/episodes")


@dataclass(frozen=True)
class Options:
    inputs: tuple[str, ...]
    formats: tuple[str, ...]
    output: str
    theme: Theme
    language: str | None
    combine: bool
    jobs: int | None
    timeout: float | None = None
    scheduler: str | None = None
    """A Dask scheduler's address (``--scheduler``, ``BRIEFING_SCHEDULER``): render there."""
    reference_doc: Path | None = None
    formats_given: bool = True
    """False when -f was given neither on the command line nor in the project file."""
    quiet: bool = False
    verbose: bool = False
    force: bool = False
    """Render every document, even those already in the folder as this run would write them."""


@dataclass(frozen=True)
class Formats:
    names: tuple[str, ...]
    left_out: tuple[str, ...] = ()
    """With ``-f all --combine``: the formats that cannot combine, named in the summary."""


def expand_formats(formats: tuple[str, ...], combine: bool) -> Formats:
    """``all`` is every registered format; with --combine, every one that can combine. A
    format named with --combine that cannot combine is a usage error."""
    from briefing.formats import CombiningExporter, FormatError

    found = registry()
    wanted = tuple(found.names()) if "all" in formats else tuple(dict.fromkeys(formats))
    if not combine:
        return Formats(wanted)
    able, unable = [], []
    for name in wanted:
        try:
            exporter = found.get(name)
        except FormatError as error:
            if "all" in formats:
                continue  # a broken plugin: `briefing formats` reports it
            raise CommandError(str(error), EXIT_USAGE) from None
        (able if isinstance(exporter, CombiningExporter) else unable).append(name)
    if "all" not in formats and unable:
        raise CommandError(
            f"--combine: {_listed(unable)} cannot combine episodes into one file; "
            f"formats that can: {_listed(_combinable()) or 'none'}",
            EXIT_USAGE,
        )
    if not able:
        raise CommandError("--combine: no registered format can combine episodes", EXIT_USAGE)
    return Formats(tuple(able), tuple(unable))


def _formats_asked(options: Options) -> tuple[str, ...]:
    """The formats of the run. Without -f, a file name's suffix picks its format, as with
    pandoc (``-o report.pdf`` is ``-f pdf -o report.pdf``)."""
    from briefing.formats import FormatError

    output = Path(options.output)
    if options.formats_given or not output.suffix or options.output.endswith(("/", os.sep)):
        return options.formats
    if output.is_dir():
        return options.formats
    found, matching = registry(), []
    for name in found.names():
        try:
            if f".{found.get(name).suffix}".lower() == output.suffix.lower():
                matching.append(name)
        except FormatError:
            continue
    return (matching[0],) if len(matching) == 1 else options.formats


def _combinable() -> list[str]:
    from briefing.formats import CombiningExporter, FormatError

    found, names = registry(), []
    for name in found.names():
        try:
            if isinstance(found.get(name), CombiningExporter):
                names.append(name)
        except FormatError:
            continue
    return names


def _listed(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(names)


def default_jobs(episodes: int, formats: tuple[str, ...]) -> int:
    """As many workers as CPUs, but none for one document: a pool costs more than it saves."""
    if episodes == 1 and len(formats) == 1:
        return 1
    return os.cpu_count() or 1


def run(options: Options) -> int:
    """Export as ``options`` say; the exit code. Raises CommandError before any work."""
    from briefing.pipeline import ExportRequest, export, export_combined

    if options.quiet and options.verbose:
        raise CommandError("-q and -v cannot be given together", EXIT_USAGE)
    formats = expand_formats(_formats_asked(options), options.combine)
    theme = _with_reference(options, formats.names)
    with inputs.resolved(options.inputs, DEFAULT_INPUT) as found:
        documents = len(formats.names) * (1 if options.combine else found.episodes)
        what = f"{plural(found.episodes, 'episode')} in {plural(len(formats.names), 'format')}"
        one = _one_document(formats.names)
        if options.output == destination.STDOUT and sys.stdout is None:
            raise CommandError("-o -: standard output is closed", EXIT_USAGE)
        where = destination.plan(options.output, documents, one, what, _stdout_is_terminal())
        # -o FILE for one episode: rendered aside and placed, so the pipeline's own naming
        # (<id>.<suffix>) stays the only one it knows.
        staged = where.to_stdout or (where.file is not None and not options.combine)
        with _cluster(options.scheduler) as client, destination.prepared(where, staged) as folder:
            executor, jobs = None, options.jobs or default_jobs(found.episodes, formats.names)
            if client is not None:
                from briefing.cluster import on_cluster, threads

                executor, jobs = on_cluster(client), threads(client)
            request = ExportRequest(
                inputs=found.paths,
                formats=formats.names,
                out_dir=folder,
                theme=theme,
                language=options.language,
                jobs=jobs,
                combined_file=where.file if options.combine else None,
                timeout=options.timeout,
                force=options.force,
                # The documents themselves are needed only to list or place them.
                listing=options.verbose or staged,
            )
            if options.combine:
                run_pipeline = export_combined
            else:
                run_pipeline = functools.partial(
                    export, executor=executor, read_here=executor is not None
                )
            # What lives now (modules, models, the theme) stays so until the process ends;
            # frozen, the garbage collector stops going over it again and again while
            # documents render, here and in the workers forked from here. The bundled
            # episode, every format: 1.66 s -> 1.30 s in one process, 1.11 s -> 0.94 s with
            # two workers. The CLI owns its process; a program that calls the pipeline
            # itself decides for its own.
            gc.freeze()
            show = not options.quiet and found.episodes > 1 and sys.stderr.isatty()
            # The pipeline counts each episode in each format, combined or not.
            steps = found.episodes * len(formats.names) if show else 0
            report, ended_line = _with_progress(
                lambda progress: run_pipeline(request, progress), steps
            )
            report.problems[:] = [found.shown(problem) for problem in report.problems]
            if where.to_stdout:
                _deliver(report)
            elif staged:
                _place(report, where)
    return _finish(report, where, formats, options, ended_line)


@contextlib.contextmanager
def _cluster(address: str | None) -> Iterator[Client | None]:
    """A client of the Dask scheduler at ``address``, connected before any folder is made
    (an unreachable one is one line, exit 1, nothing written); None without one."""
    if address is None:
        yield None
        return
    from briefing.cluster import connected

    with connected(address) as client:
        yield client


def _with_reference(options: Options, names: tuple[str, ...]) -> Theme:
    from styles import ThemeError

    if options.reference_doc is None:
        return options.theme
    if "docx" not in names:
        raise CommandError(
            "--reference-doc is for the Word report; this run makes no docx (add -f docx)",
            EXIT_USAGE,
        )
    try:
        return options.theme.with_reference_docx(options.reference_doc)
    except ThemeError as error:
        raise CommandError(str(error), EXIT_USAGE) from None


def _one_document(names: tuple[str, ...]) -> destination.Document | None:
    from briefing.formats import FormatError

    if len(names) != 1:
        return None
    try:
        exporter = registry().get(names[0])
    except FormatError as error:
        # The run's only format cannot be loaded: nothing could be written.
        raise CommandError(str(error), EXIT_FAILED) from None
    return destination.Document(names[0], exporter.suffix, exporter.media_type)


def _stdout_is_terminal() -> bool:
    return sys.stdout is not None and sys.stdout.isatty()


def _with_progress(run_with: Callable[..., Report], total: int) -> tuple[Report, bool]:
    """The run, with the progress line when ``total`` documents are worth one; whether a
    progress line was ended (so nothing more is needed to start a clean line)."""
    from briefing.progress import Progress

    if not total:
        return run_with(None), False
    progress = Progress(total, sys.stderr)
    try:
        return run_with(progress.update), True
    finally:
        progress.close()


def _deliver(report: Report) -> None:
    """``-o -``: the one document from the scratch folder onto standard output."""
    if not report.written or sys.stdout is None:
        return
    data = report.written[0].path.read_bytes()
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _place(report: Report, where: destination.Destination) -> None:
    """``-o FILE``: the one document from the scratch folder into its file, whole, and
    listed in that folder's manifest."""
    from briefing.files import write_atomically
    from briefing.pipeline import record_written
    from briefing.source import Problem

    if not report.written or where.file is None or where.folder is None:
        return
    staged = report.written[0]
    # No digest: -o FILE is always rebuilt (it is rendered aside, in a scratch folder).
    placed = replace(staged, path=where.file, digest=None)
    try:
        write_atomically(where.file, staged.path.read_bytes())
    except OSError as error:
        report.written.clear()
        report.files_written = 0
        report.problems.append(Problem(str(where.file), f"cannot write: {error.strerror or error}"))
        report.episodes_exported -= 1
        report.episodes_failed += 1
        return
    report.written[0] = placed
    report.problems.extend(record_written(where.folder, placed))


def _finish(
    report: Report,
    where: destination.Destination,
    formats: Formats,
    options: Options,
    ended_line: bool,
) -> int:
    if report.interrupted and not ended_line:
        start_a_line()
    for line in [*report.warnings, *report.problems]:
        click.echo(str(line), err=True)
    to_stderr = bool(report.problems) or where.to_stdout
    if options.verbose:
        for written in report.written:
            path = "-" if where.to_stdout else written.path
            click.echo(f"wrote {path} ({written.format}, {written.size:,} bytes)", err=to_stderr)
        for kept in report.unchanged:
            click.echo(f"unchanged {kept.path} ({kept.format})", err=to_stderr)
    if not options.quiet:
        click.echo(_summary(report, where, formats), err=to_stderr)
    if report.interrupted:
        from briefing.interrupts import how_stopped

        number = report.exit_signal or EXIT_INTERRUPTED - 128
        kept = "files already written are whole and listed in the manifest"
        click.echo(f"briefing: {how_stopped(number)}; {kept}", err=True)
        return 128 + number
    return EXIT_FAILED if report.problems else 0


def _summary(report: Report, where: destination.Destination, formats: Formats) -> str:
    files = report.files_written
    episodes = plural(report.episodes_exported, "episode")
    if where.to_stdout:
        text = f"Wrote {formats.names[0] if files else 'nothing'} to standard output for {episodes}"
    elif where.file is not None and files:
        text = f"Wrote {where.file} for {episodes}"
    else:
        text = f"Wrote {plural(files, 'file')} into {where.folder}/ for {episodes}"
    if report.files_unchanged:
        text += f"; {report.files_unchanged:,} unchanged"
    if report.episodes_failed:
        text += f"; {report.episodes_failed} failed"
    if formats.left_out:
        text += (
            f"; --combine with -f all used {_listed(formats.names)} "
            f"({_listed(formats.left_out)} cannot combine)"
        )
    return text + "."
