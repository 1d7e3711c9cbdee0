"""``--combine``: every episode into one file per format, streamed into the format so a
large library stays small in memory; bad episodes are reported and left out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from briefing import startup
from briefing.batch import Batch, ExportRequest
from briefing.containment import RenderFailure, contained
from briefing.formats import (
    CombiningExporter,
    FormatError,
    Registry,
    render_combined_document,
)
from briefing.labels import labels_for
from briefing.manifest import COMBINED_STEM
from briefing.model import Episode
from briefing.source import InputError, Problem, load_episode


def export_combined_format(
    run: Batch,
    registry: Registry,
    name: str,
    sources: list[Path],
    request: ExportRequest,
    on_progress: Callable[[int], None] | None,
) -> None:
    """One format's combined file, written and listed, or a line saying why not."""
    report = run.report
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
            startup.rendering(source)
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
    path = request.combined_file or run.folder.path / f"{COMBINED_STEM}.{exporter.suffix}"
    try:
        data = contained(
            lambda: render_combined_document(
                exporter, good_episodes(), request.theme, labels, request.context(None)
            )
        )
    except RenderFailure as error:  # one format's failure must not lose the others' files
        report.problems.extend(failed)
        report.problems.append(Problem(str(path), f"{name} export failed: {error}"))
        return
    report.problems.extend(failed)
    report.episodes_failed += len({problem.source for problem in failed})
    report.episodes_exported += len(included)
    run.write(path, data, name, exporter.media_type, tuple(included))
