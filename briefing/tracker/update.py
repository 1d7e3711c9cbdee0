"""``briefing track``: the library's predictions into the tracker workbook, keeping
everything the team wrote there. Nothing is written unless the whole run works: a bad
episode, an unreadable tracker or a tracker open in an office suite leaves the file
as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefing.files import write_atomically
from briefing.model import Episode
from briefing.pipeline import GENERATOR, Written, record_written
from briefing.reproducible import document_date, source_date_epoch
from briefing.source import InputError, Problem, discover_inputs, load_episode
from briefing.tracker.book import render_tracker
from briefing.tracker.merge import merge
from briefing.tracker.reading import Existing, TrackerFileError, read_tracker
from briefing.tracker.rows import library_values
from styles import Theme, load_theme

FORMAT = "track"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TrackError(Exception):
    """The run wrote nothing; ``lines`` say why, one problem each."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class TrackRequest:
    inputs: tuple[Path, ...]
    output: Path
    force: bool = False
    """Write even when the workbook is open in an office suite."""
    theme: Theme = field(default_factory=lambda: load_theme("default"))
    fixed_date: datetime | None = field(default_factory=source_date_epoch)


@dataclass(frozen=True)
class Outcome:
    path: Path
    episodes: int
    rows: int
    new: int
    removed: int
    problems: tuple[str, ...] = ()
    """Things that went wrong after the tracker was written (the manifest)."""


def lock_file(path: Path) -> Path | None:
    """The lock LibreOffice (``.~lock.NAME#``) or Excel (``~$NAME``; Word-style owner
    files cut the first two letters, so ``~$ME`` too) keeps beside an open workbook."""
    candidates = [f".~lock.{path.name}#", f"~${path.name}", f"~${path.name[2:]}"]
    for name in candidates:
        if (path.parent / name).exists():
            return path.parent / name
    return None


def load_library(inputs: tuple[Path, ...]) -> list[Episode]:
    problems: list[str] = []
    episodes: dict[str, Episode] = {}
    owners: dict[str, Path] = {}
    for found in discover_inputs(inputs):
        if isinstance(found, Problem):
            problems.append(str(found))
            continue
        try:
            episode = load_episode(found)
        except InputError as error:
            problems.extend(str(problem) for problem in error.problems)
            continue
        if episode.id in owners:
            problems.append(
                f"{found}:id: duplicate id {episode.id!r}: {owners[episode.id]} has it too"
            )
            continue
        owners[episode.id] = found
        episodes[episode.id] = episode
    if problems:
        raise TrackError(problems)
    return list(episodes.values())


def track(request: TrackRequest) -> Outcome:
    path = request.output
    episodes = load_library(request.inputs)
    if not request.force and (lock := lock_file(path)) is not None:
        raise TrackError(
            [
                f"{path}: open in LibreOffice or Excel ({lock.name} is beside it); "
                "close it there first, or pass --force"
            ]
        )
    if path.is_dir():
        raise TrackError([f"{path}: is a folder; give the workbook's file name"])
    try:
        existing = read_tracker(path) if path.exists() else Existing([], [])
    except TrackerFileError as error:
        raise TrackError([str(error)]) from None
    merged = merge(existing.rows, library_values(episodes))
    when = document_date(None, request.fixed_date)
    data = render_tracker(merged.rows, existing.added, request.theme, when, GENERATOR)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
    except OSError as error:
        raise TrackError([f"{path}: cannot write: {error.strerror or error}"]) from None
    ids = tuple(sorted(episode.id for episode in episodes))
    written = Written(path, FORMAT, MEDIA_TYPE, ids, len(data), hashlib.sha256(data).hexdigest())
    problems = record_written(path.parent, written)
    return Outcome(
        path,
        len(episodes),
        len(merged.rows),
        merged.new,
        merged.removed,
        tuple(str(problem) for problem in problems),
    )
