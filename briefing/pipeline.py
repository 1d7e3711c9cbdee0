"""Inputs x formats -> files in the output folder, each whole or not at all.

Exporters only return bytes. Here each episode is rendered (in this process or in worker
processes, ``briefing.pool``), every format's render contained (``briefing.containment``),
and each document written to a temporary file in the folder and renamed into place and
recorded under the folder's lock (``briefing.files``, ``briefing.manifest``), so a failure,
a signal, a dead worker or another run into the same folder leaves earlier outputs
untouched, no partial file behind, and a manifest that lists every file with its hash.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from briefing import incremental, pool, startup
from briefing.batch import GENERATOR, ExportRequest, Rendered, Report, batch
from briefing.cache import user_cache
from briefing.combined import export_combined_format
from briefing.containment import RenderFailure, describe, render_contained
from briefing.files import write_atomically
from briefing.formats import FormatError, Registry, RenderContext
from briefing.labels import Labels, labels_for
from briefing.manifest import COMBINED_STEM, MANIFEST_NAME, Folder, Written
from briefing.manifest import record_written as _record_written
from briefing.model import Episode
from briefing.reproducible import document_date, source_date_epoch
from briefing.source import (
    InputError,
    Problem,
    discover_inputs,
    episode_from_data,
    load_episode,
    parse_json,
    read_input,
)
from briefing.spill import RunIndex

__all__ = [
    "COMBINED_STEM",
    "GENERATOR",
    "MANIFEST_NAME",
    "ExportRequest",
    "Report",
    "Written",
    "default_context",
    "default_registry",
    "export",
    "export_combined",
    "record_written",
    "write_atomically",
]


def default_context(episode: Episode | None) -> RenderContext:
    """The context the environment gives: ``SOURCE_DATE_EPOCH`` and the user's cache,
    read now. For programs and tests that call a format themselves."""
    return RenderContext(
        date=document_date(episode, source_date_epoch()),
        generator=GENERATOR,
        cache=user_cache(),
    )


def labels_of(episode: Episode, language: str | None) -> Labels:
    return labels_for(language or episode.language)


@functools.cache
def default_registry() -> Registry:
    """The installed formats, read once per process (workers read their own)."""
    return Registry.from_metadata()


Read = bytes | tuple[Problem, ...] | None
"""An input's bytes as read by the client, or why they could not be; None: read it there."""


def render_episode(
    source: Path, formats: tuple[str, ...], request: ExportRequest, data: Read = None
) -> Rendered:
    """Load one input (from ``data`` when the client read it, ``read_here``) and render it in
    every format; failures become problems, never raise (an interrupt aside)."""
    startup.rendering(source)
    try:
        if data is None:
            episode = load_episode(source)
        elif isinstance(data, bytes):
            episode = episode_from_data(str(source), parse_json(str(source), data))
        else:
            raise InputError(list(data))
    except InputError as error:
        return Rendered(source, None, problems=tuple(error.problems))
    registry = default_registry()
    labels = labels_of(episode, request.language)
    context = request.context(episode)
    documents = []
    problems = []
    for name in formats:
        try:
            exporter = registry.get(name)
            data = render_contained(exporter, episode, request.theme, labels, context)
        except FormatError as error:
            problems.append(Problem(str(source), str(error)))
        except RenderFailure as error:
            problems.append(Problem(str(source), f"{name} export failed: {error}"))
        except Exception as error:  # a bug of ours in one format must not stop the batch
            problems.append(Problem(str(source), f"{name} export failed: {describe(error)}"))
        else:
            documents.append((name, exporter.suffix, exporter.media_type, data))
    return Rendered(source, episode.id, tuple(documents), tuple(problems))


def _read(source: Path) -> Read:
    try:
        return read_input(source)
    except InputError as error:
        return tuple(error.problems)


def _render_task(request: ExportRequest, task: tuple[Path, tuple[str, ...], Read]) -> Rendered:
    return render_episode(task[0], task[1], request, task[2])


def executor_for(request: ExportRequest, tasks: int) -> pool.Executor:
    """Worker processes when ``jobs`` or ``timeout`` asks for them and there is more than
    one task; this process otherwise."""
    if request.timeout is not None:
        return pool.in_workers(max(1, request.jobs), request.timeout)
    if request.jobs <= 1 or tasks <= 1:
        return pool.in_process
    return pool.in_workers(request.jobs)


def _render_all(
    work: Iterable[tuple[Path, tuple[str, ...]]],
    request: ExportRequest,
    executor: pool.Executor | None = None,
    read_here: bool = False,
) -> Iterator[Rendered]:
    """Each source rendered in its formats, in input order, through ``executor`` (by
    default the one ``executor_for`` picks).

    Workers take whole episodes; when there are fewer episodes than workers, each format
    of an episode is a task of its own (the PDF, with its fonts, is the long one: it
    starts first), and with a timeout every document is, so that each is timed alone.
    The parts are put back together in format order, so files, manifest and messages
    are those of ``jobs=1``.
    ``read_here``: each input is read in this process and its bytes go with the task (a
    cluster's workers need not see this machine's files).

    ``work`` is taken as it is needed (a generator keeps a run of any length in flat
    memory); only its first ``jobs`` items are looked at ahead, to choose how to split."""
    work = iter(work)
    head = list(itertools.islice(work, max(1, request.jobs)))
    by_format = request.timeout is not None or (
        len(head) < request.jobs and len(request.formats) > 1
    )

    def groups(formats: tuple[str, ...]) -> list[tuple[str, ...]]:
        if not (by_format and formats):
            return [formats]
        # The long ones first: with two workers, the PDF started third (after the Word
        # report and the page) ended the run some 70 ms after the rest.
        return [(name,) for name in sorted(formats, key=lambda name: name not in LONG_FORMATS)]

    # One copy of the work for the tasks, one for putting their parts back together; the
    # tasks run ahead of it only by what is in flight.
    for_tasks, wanted = itertools.tee(itertools.chain(head, work))
    tasks = (
        (source, group, _read(source) if read_here else None)
        for source, formats in for_tasks
        for group in groups(formats)
    )
    # Only whether there is more than one task matters to the choice: the first ones do.
    run = executor or executor_for(request, sum(len(groups(formats)) for _, formats in head))
    parts: list[tuple[tuple[str, ...], Rendered]] = []
    _, formats = next(wanted, (None, ()))
    for (source, group, _), result in run(functools.partial(_render_task, request), tasks):
        if isinstance(result, pool.Failed):
            # The worker died twice or the deadline passed: every format of the task fails.
            message = f"{', '.join(group)} export failed: rendering {result.reason}"
            result = Rendered(source, None, problems=(Problem(str(source), message),), lost=True)
        parts.append((group, result))
        if len(parts) == len(groups(formats)):
            order = {name: position for position, name in enumerate(formats)}
            parts.sort(key=lambda part: order.get(part[0][0], 0) if part[0] else 0)
            yield _joined(source, [result for _, result in parts])
            parts = []
            _, formats = next(wanted, (None, ()))


LONG_FORMATS = frozenset({"pdf"})
"""Formats whose task starts first when each format is a task of its own."""


def _joined(source: Path, parts: list[Rendered]) -> Rendered:
    """One episode's renders by format group, as one render of all its formats."""
    loaded = [part for part in parts if part.episode_id is not None]
    if not loaded:
        unreadable = [part for part in parts if not part.lost]
        if unreadable:
            return unreadable[0]  # the episode did not load: every part says so, the same way
        loaded = parts
    documents = tuple(document for part in parts for document in part.documents)
    problems = tuple(problem for part in parts for problem in part.problems)
    return Rendered(source, loaded[0].episode_id, documents, problems)


def _identify(registry: Registry) -> Callable[[str], tuple[str, str] | None]:
    """File name -> (format, media type) of the one registered format with its suffix,
    for entries rebuilt from a folder's files."""

    @functools.cache
    def by_suffix() -> dict[str, tuple[str, str] | None]:
        found: dict[str, tuple[str, str] | None] = {}
        for name in registry.names():
            try:
                exporter = registry.get(name)
            except FormatError:
                continue
            # Two formats with one suffix: which wrote the file cannot be told.
            found[exporter.suffix] = (
                None if exporter.suffix in found else (name, exporter.media_type)
            )
        return found

    def identify(file_name: str) -> tuple[str, str] | None:
        stem, dot, suffix = file_name.rpartition(".")
        return by_suffix().get(suffix) if dot and stem else None

    return identify


def _collect_sources(
    inputs: Iterable[Path], out_dir: Path, index: RunIndex
) -> Iterator[Path | Problem]:
    """The episode files to read, as they are found, and what is wrong with an input, in
    input order. Each file once (the same file named twice, or through a folder and by
    name, is one episode), never the tool's own files: when the output folder is also an
    input folder, its manifest and what the manifest lists are skipped."""
    own: set[str] | None = None
    for path in inputs:
        from_folder = path.is_dir()
        for found in discover_inputs([path]):
            if isinstance(found, Problem):
                yield found
                continue
            try:
                status = found.stat()
            except OSError:
                yield found  # its reading reports why
                continue
            if not index.first_sight(status):
                continue
            if _same_folder(found.parent, out_dir):
                if own is None:
                    own = Folder(out_dir, lambda name: None).listed_names()
                if found.name in own:
                    if not from_folder:
                        message = "is a file briefing wrote into its output folder, not an episode"
                        yield Problem(str(found), message)
                    continue
            yield found


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False


def export(
    request: ExportRequest,
    on_progress: Callable[[int], None] | None = None,
    executor: pool.Executor | None = None,
    read_here: bool = False,
) -> Report:
    """One file per episode and format; see ``export_combined`` for one file in all.

    ``on_progress`` is called with the number of documents finished (each episode's
    formats, once the episode is done), in input order. ``executor`` renders (by default
    the one ``executor_for`` picks; ``briefing.cluster.on_cluster`` for a Dask cluster, with
    ``read_here`` so that the inputs' bytes travel with the tasks)."""
    report = Report(listing=request.listing)
    registry = default_registry()
    identify = _identify(registry)
    with batch(request.out_dir, identify, report) as run:
        found = _collect_sources(request.inputs, request.out_dir, run.index)
        formats = refuse_shared_suffixes(registry, request.formats, report)
        digests = incremental.digests_for(request, registry, formats)
        planned = incremental.plan(found, formats, digests, run.folder, request.force)
        # Found, planned and rendered as the workers have room: nothing is held for every
        # episode of the library (the rendering runs ahead of this loop only by what is in
        # flight).
        ahead, in_order = itertools.tee(planned)
        work = (
            (step.source, step.render)
            for step in ahead
            if isinstance(step, incremental.Step) and not step.skipped
        )
        rendered_all = _render_all(work, replace(request, formats=formats), executor, read_here)
        for step in in_order:
            if isinstance(step, Problem):
                report.problems.append(step)  # an input that holds no episode
                continue
            # Input order: a skipped episode takes its place between the rendered ones.
            skipped = step.skipped
            rendered = incremental.unchanged_only(step) if skipped else next(rendered_all)
            run.store(rendered, step.unchanged, functools.partial(digests.of, step))
            if on_progress:
                # Every document of the episode is finished: written, or failed and reported.
                on_progress(len(request.formats))
        next(rendered_all, None)  # the last result was taken: the workers end here
    return report


def refuse_shared_suffixes(
    registry: Registry, formats: tuple[str, ...], report: Report
) -> tuple[str, ...]:
    """The formats asked for, less any two that would write the same file names (a plugin
    shadowing ``pdf`` with its own ``.pdf``): both are refused, with a line naming them."""
    by_suffix: dict[str, list[str]] = {}
    for name in formats:
        try:
            suffix = registry.get(name).suffix
        except FormatError:
            continue  # reported for each episode, as before
        by_suffix.setdefault(suffix, []).append(name)
    refused = set()
    for suffix, names in by_suffix.items():
        if len(names) > 1:
            listed = " and ".join(
                f"{name!r} ({registry.entry(name).distribution})" for name in names
            )
            message = f"formats {listed} both write .{suffix} files; neither is written"
            report.problems.append(Problem("briefing", message))
            refused.update(names)
    return tuple(name for name in formats if name not in refused)


def export_combined(
    request: ExportRequest, on_progress: Callable[[int], None] | None = None
) -> Report:
    """Every episode in one file per format (``--combine``); bad episodes are reported and
    left out, the rest still go in."""
    report = Report()
    registry = default_registry()
    with batch(request.out_dir, _identify(registry), report) as run:
        sources = []
        for found in _collect_sources(request.inputs, request.out_dir, run.index):
            if isinstance(found, Problem):
                report.problems.append(found)
            else:
                sources.append(found)
        formats = refuse_shared_suffixes(registry, request.formats, report)
        for name in formats:
            export_combined_format(run, registry, name, sources, request, on_progress)
    return report


def record_written(out_dir: Path, written: Written) -> list[Problem]:
    """List one file written outside an export (``briefing track``'s workbook) in the
    folder's manifest; returns what went wrong writing the manifest."""
    return _record_written(out_dir, written, _identify(default_registry()))
