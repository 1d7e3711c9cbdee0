"""Inputs x formats -> files in the output folder, each whole or not at all.

Exporters only return bytes. Here every file is written to a temporary file in
the same folder and renamed into place, so a failure or an interrupt leaves
earlier outputs untouched and no partial file behind. ``manifest.json`` lists
every file the tool has written into the folder, with its hash.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefing import __version__
from briefing.cache import user_cache
from briefing.files import SpooledScratch, write_atomically
from briefing.formats import (
    Cache,
    CombiningExporter,
    FormatError,
    Registry,
    RenderContext,
    render_combined_document,
    render_document,
)
from briefing.labels import Labels, labels_for, labels_saying_so
from briefing.model import Episode
from briefing.reproducible import document_date, source_date_epoch
from briefing.source import InputError, Problem, discover_inputs, load_episode
from styles import Theme

MANIFEST_NAME = "manifest.json"
GENERATOR = f"briefing {__version__}"
COMBINED_STEM = "episodes"


@dataclass(frozen=True)
class ExportRequest:
    inputs: tuple[Path, ...]
    formats: tuple[str, ...]
    out_dir: Path
    theme: Theme
    language: str | None = None
    """Labels language; None means each episode's own."""
    jobs: int = 1
    combined_file: Path | None = None
    """With ``--combine``: where the one file goes (default ``<out>/episodes.<suffix>``)."""
    fixed_date: datetime | None = field(default_factory=source_date_epoch)
    """The date every document carries when set (``SOURCE_DATE_EPOCH``), read once."""
    cache: Cache = field(default_factory=user_cache, compare=False)

    def context(self, episode: Episode | None) -> RenderContext:
        """What formats are given for ``episode`` (None: a combined document)."""
        return RenderContext(
            date=document_date(episode, self.fixed_date),
            generator=GENERATOR,
            cache=self.cache,
            scratch=SpooledScratch(),
        )


@dataclass(frozen=True)
class Written:
    path: Path
    format: str
    media_type: str
    episodes: tuple[str, ...]
    size: int
    sha256: str


@dataclass
class Report:
    written: list[Written] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    episodes_exported: int = 0
    episodes_failed: int = 0
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.interrupted


@dataclass(frozen=True)
class Rendered:
    """One episode's documents, rendered but not yet written."""

    source: Path
    episode_id: str | None
    documents: tuple[tuple[str, str, str, bytes], ...] = ()
    """(format, suffix, media type, bytes) for each format that rendered."""
    problems: tuple[Problem, ...] = ()


def default_context(episode: Episode | None) -> RenderContext:
    """The context the environment gives: ``SOURCE_DATE_EPOCH`` and the user's cache,
    read now. For programs and tests that call a format themselves."""
    return RenderContext(
        date=document_date(episode, source_date_epoch()),
        generator=GENERATOR,
        cache=user_cache(),
    )


def labels_of(episode: Episode, language: str | None) -> Labels:
    return labels_saying_so(language or episode.language)


def render_episode(source: Path, formats: tuple[str, ...], request: ExportRequest) -> Rendered:
    """Load one input and render it in every format; failures become problems, never raise."""
    try:
        episode = load_episode(source)
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
            data = render_document(exporter, episode, request.theme, labels, context)
        except FormatError as error:
            problems.append(Problem(str(source), str(error)))
        except Exception as error:  # a bug in one exporter must not stop the batch
            message = f"{name} export failed: {type(error).__name__}: {error}"
            problems.append(Problem(str(source), message))
        else:
            documents.append((name, exporter.suffix, exporter.media_type, data))
    return Rendered(source, episode.id, tuple(documents), tuple(problems))


@functools.cache
def default_registry() -> Registry:
    """The installed formats, read once per process (workers read their own)."""
    return Registry.from_metadata()


def _render_all(sources: list[Path], request: ExportRequest) -> Iterator[Rendered]:
    """Each source rendered, in input order, in worker processes when ``jobs`` allows.

    Workers take whole episodes; when there are fewer episodes than workers, each
    format of an episode is a task of its own (the PDF, with its fonts, is the long
    one), and the parts are put back together in format order, so files, manifest
    and messages are those of ``jobs=1``."""
    by_format = len(sources) < request.jobs and len(request.formats) > 1
    if request.jobs <= 1 or (len(sources) <= 1 and not by_format):
        for source in sources:
            yield render_episode(source, request.formats, request)
        return
    groups = [(name,) for name in request.formats] if by_format else [request.formats]
    with ProcessPoolExecutor(max_workers=request.jobs) as pool:
        futures = [
            [pool.submit(render_episode, source, group, request) for group in groups]
            for source in sources
        ]
        try:
            for source, parts in zip(sources, futures, strict=True):
                yield _joined(source, [part.result() for part in parts])
        finally:
            for parts in futures:
                for part in parts:
                    part.cancel()


def _joined(source: Path, parts: list[Rendered]) -> Rendered:
    """One episode's renders by format group, as one render of all its formats."""
    for part in parts:
        if part.episode_id is None:
            return part  # the episode did not load: every part says so, the same way
    documents = tuple(document for part in parts for document in part.documents)
    problems = tuple(problem for part in parts for problem in part.problems)
    return Rendered(source, parts[0].episode_id, documents, problems)


def _collect_sources(inputs: Iterable[Path], report: Report) -> list[Path]:
    sources = []
    for found in discover_inputs(inputs):
        if isinstance(found, Problem):
            report.problems.append(found)
        else:
            sources.append(found)
    return sources


def _write(path: Path, data: bytes, report: Report) -> bool:
    try:
        write_atomically(path, data)
    except OSError as error:
        report.problems.append(Problem(str(path), f"cannot write: {error.strerror or error}"))
        return False
    return True


def export(request: ExportRequest, on_progress: Callable[[int], None] | None = None) -> Report:
    """One file per episode and format; see ``export_combined`` for one file in all.

    ``on_progress`` is called with the number of documents finished (each episode's
    formats, once the episode is done), in input order."""
    report = Report()
    sources = _collect_sources(request.inputs, report)
    owners: dict[str, Path] = {}
    with _batch(request.out_dir, report):
        for rendered in _render_all(sources, request):
            _store(rendered, request.out_dir, owners, report)
            if on_progress:
                # Every document of the episode is finished: written, or failed and reported.
                on_progress(len(request.formats))
    return report


@contextmanager
def _batch(out_dir: Path, report: Report) -> Iterator[None]:
    """Around a whole run: an interrupt or an unusable output folder ends up in the report,
    and the manifest always lists what was written before it happened."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        yield
    except KeyboardInterrupt:
        report.interrupted = True
    except OSError as error:
        report.problems.append(Problem(str(out_dir), f"cannot use: {error.strerror or error}"))
    _update_manifest(out_dir, report)


def _store(rendered: Rendered, out_dir: Path, owners: dict[str, Path], report: Report) -> None:
    report.problems.extend(rendered.problems)
    if rendered.episode_id is None:
        report.episodes_failed += 1
        return
    owner = owners.setdefault(rendered.episode_id, rendered.source)
    if owner != rendered.source:
        report.problems.append(
            Problem(
                str(rendered.source),
                f"duplicate id {rendered.episode_id!r}: {owner} has it too, so its files were kept",
                "id",
            )
        )
        report.episodes_failed += 1
        return
    all_written = not rendered.problems
    for name, suffix, media_type, data in rendered.documents:
        path = out_dir / f"{rendered.episode_id}.{suffix}"
        if _write(path, data, report):
            report.written.append(
                Written(
                    path,
                    name,
                    media_type,
                    (rendered.episode_id,),
                    len(data),
                    hashlib.sha256(data).hexdigest(),
                )
            )
        else:
            all_written = False
    if all_written:
        report.episodes_exported += 1
    else:
        report.episodes_failed += 1


def export_combined(
    request: ExportRequest, on_progress: Callable[[int], None] | None = None
) -> Report:
    """Every episode in one file per format (``--combine``); bad episodes are reported and
    left out, the rest still go in."""
    report = Report()
    sources = _collect_sources(request.inputs, report)
    registry = default_registry()
    with _batch(request.out_dir, report):
        for name in request.formats:
            _export_combined_format(registry, name, sources, request, report, on_progress)
    return report


def _export_combined_format(
    registry: Registry,
    name: str,
    sources: list[Path],
    request: ExportRequest,
    report: Report,
    on_progress: Callable[[int], None] | None,
) -> None:
    try:
        exporter = registry.get(name)
    except FormatError as error:
        report.problems.append(Problem(name, str(error)))
        return
    if not isinstance(exporter, CombiningExporter):
        report.problems.append(Problem(name, f"format {name!r} cannot combine episodes"))
        return
    included: list[str] = []
    failed: list[Problem] = []

    def good_episodes() -> Iterator[Episode]:
        for source in sources:
            try:
                episode = load_episode(source)
            except InputError as error:
                failed.extend(error.problems)
            else:
                if episode.id in included:
                    failed.append(Problem(str(source), f"duplicate id {episode.id!r}", "id"))
                else:
                    included.append(episode.id)
                    yield episode
            if on_progress:
                on_progress(1)

    labels = labels_for(request.language or "en")
    path = request.combined_file or request.out_dir / f"{COMBINED_STEM}.{exporter.suffix}"
    try:
        data = render_combined_document(
            exporter, good_episodes(), request.theme, labels, request.context(None)
        )
    except Exception as error:  # a bug in one exporter must not lose the others' files
        report.problems.extend(failed)
        message = f"{name} export failed: {type(error).__name__}: {error}"
        report.problems.append(Problem(str(path), message))
        return
    report.problems.extend(failed)
    report.episodes_failed += len({problem.source for problem in failed})
    report.episodes_exported += len(included)
    if _write(path, data, report):
        digest = hashlib.sha256(data).hexdigest()
        report.written.append(
            Written(path, name, exporter.media_type, tuple(included), len(data), digest)
        )


def record_written(out_dir: Path, written: Written) -> list[Problem]:
    """List one file written outside an export (``briefing track``'s workbook) in the
    folder's manifest; returns what went wrong writing the manifest."""
    report = Report(written=[written])
    _update_manifest(out_dir, report)
    return report.problems


def _manifest_entry(written: Written, out_dir: Path) -> dict[str, object]:
    single = len(written.episodes) == 1
    return {
        "file": _relative(written.path, out_dir),
        "format": written.format,
        "media_type": written.media_type,
        "episode": written.episodes[0] if single else None,
        **({} if single else {"episodes": list(written.episodes)}),
        "bytes": written.size,
        "sha256": written.sha256,
        "version": __version__,
    }


def _relative(path: Path, out_dir: Path) -> str:
    try:
        return path.relative_to(out_dir).as_posix()
    except ValueError:
        return str(path)


def _read_manifest(path: Path) -> list[dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        return [entry for entry in files if isinstance(entry, dict) and "file" in entry]
    except (OSError, ValueError, KeyError, TypeError):
        # A missing or unreadable manifest is rebuilt from what this run wrote.
        return []


def _update_manifest(out_dir: Path, report: Report) -> None:
    """Keep entries of files still present, replace those written now; sorted by file."""
    if not report.written:
        return
    path = out_dir / MANIFEST_NAME
    entries = {str(entry["file"]): entry for entry in _read_manifest(path)}
    entries = {name: entry for name, entry in entries.items() if (out_dir / name).is_file()}
    for written in report.written:
        entry = _manifest_entry(written, out_dir)
        entries[str(entry["file"])] = entry
    manifest = {"tool": "briefing", "files": [entries[name] for name in sorted(entries)]}
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    try:
        _write(path, data, report)
    except KeyboardInterrupt:
        # The files are on disk already; without this write the manifest would not list
        # them. It takes milliseconds, so it is finished once; a second Ctrl-C still ends
        # the run, with the old manifest whole.
        report.interrupted = True
        _write(path, data, report)
