"""One run into one output folder: what it is asked, what it reports, and how each
rendered episode's documents land in the folder.

The folder is prepared first (created; temporary files of dead runs removed). Each
document is written whole and renamed into place under the folder's lock, with its
record in the folder's journal; at the end, whatever ended the run (done, a problem,
Ctrl-C, SIGTERM, SIGHUP), the journal is folded into ``manifest.json``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefing import __version__, interrupts
from briefing.cache import user_cache
from briefing.files import SpooledScratch
from briefing.formats import Cache, RenderContext
from briefing.manifest import Folder, Identify, Written
from briefing.model import Episode
from briefing.reproducible import document_date, source_date_epoch
from briefing.source import Problem
from briefing.spill import RunIndex, run_index
from styles import Theme

GENERATOR = f"briefing {__version__}"


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
    timeout: float | None = None
    """Seconds a document may take; past them it fails and its worker is stopped. Set,
    each document renders alone in a worker process (at least one, even with jobs=1)."""
    force: bool = False
    """Render every document, even those already in the folder as this run would write
    them (``briefing.incremental``)."""
    listing: bool = True
    """Keep every document written or unchanged in the report (``Report.listing``)."""

    def context(self, episode: Episode | None) -> RenderContext:
        """What formats are given for ``episode`` (None: a combined document)."""
        return RenderContext(
            date=document_date(episode, self.fixed_date),
            generator=GENERATOR,
            cache=self.cache,
            scratch=SpooledScratch(),
        )


@dataclass
class Report:
    listing: bool = True
    """Whether ``written`` and ``unchanged`` list every document (for ``-v``, ``-o`` and
    ``briefing distribute``). Without it they stay empty and only the counts are kept, so
    that a run of 100,000 episodes holds no more than one of 1,000."""
    written: list[Written] = field(default_factory=list)
    unchanged: list[Written] = field(default_factory=list)
    """Documents already in the folder as this run would write them, so not written."""
    files_written: int = 0
    files_unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Things put right on the way (manifest entries dropped or rebuilt); not failures."""
    episodes_exported: int = 0
    episodes_failed: int = 0
    episodes_unchanged: int = 0
    """Episodes none of whose documents had to be written."""
    interrupted: bool = False
    exit_signal: int = 0
    """The signal that interrupted the run (SIGINT, SIGTERM, SIGHUP), when one did."""

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
    lost: bool = False
    """Nothing came back: the worker died twice, or the deadline passed."""


class Batch:
    """Writes rendered episodes into the folder and keeps the report."""

    def __init__(self, folder: Folder, report: Report, index: RunIndex) -> None:
        self.folder = folder
        self.report = report
        self.index = index
        """The files read and ids given out so far (on disk: memory stays flat)."""

    def write(
        self,
        path: Path,
        data: bytes,
        name: str,
        media_type: str,
        ids: tuple[str, ...],
        digest: str | None = None,
    ) -> bool:
        """One document into place and recorded (with ``digest``, what it was made from);
        a failure is the report's problem."""
        sha256 = hashlib.sha256(data).hexdigest()
        written = Written(path, name, media_type, ids, len(data), sha256, digest)
        try:
            self.folder.write(written, data)
        except OSError as error:
            message = f"cannot write: {error.strerror or error}"
            self.report.problems.append(Problem(str(path), message))
            return False
        self.report.files_written += 1
        if self.report.listing:
            self.report.written.append(written)
        return True

    def store(
        self,
        rendered: Rendered,
        unchanged: tuple[Written, ...] = (),
        digest_of: Callable[[str], str | None] = lambda name: None,
    ) -> None:
        """An episode's documents, unless its id is another input's (the first one wins);
        ``unchanged``, its documents already in place; ``digest_of`` a format's digest."""
        report = self.report
        report.problems.extend(rendered.problems)
        if rendered.episode_id is None:
            report.episodes_failed += 1
            return
        owner = self.index.claim(rendered.episode_id, rendered.source)
        if owner != rendered.source:
            message = (
                f"duplicate id {rendered.episode_id!r}: {owner} has it too, so its files were kept"
            )
            report.problems.append(Problem(str(rendered.source), message, "id"))
            report.episodes_failed += 1
            return
        report.files_unchanged += len(unchanged)
        if report.listing:
            report.unchanged.extend(unchanged)
        if unchanged and not rendered.documents and not rendered.problems:
            report.episodes_unchanged += 1
            return
        all_written = not rendered.problems
        for name, suffix, media_type, data in rendered.documents:
            path = self.folder.path / f"{rendered.episode_id}.{suffix}"
            ids = (rendered.episode_id,)
            if not self.write(path, data, name, media_type, ids, digest_of(name)):
                all_written = False
        if all_written:
            report.episodes_exported += 1
        else:
            report.episodes_failed += 1


@contextmanager
def batch(out_dir: Path, identify: Identify, report: Report) -> Iterator[Batch]:
    """Around a whole run: an interrupt or an unusable output folder ends up in the report,
    and the manifest always lists what was written before it happened."""
    folder = Folder(out_dir, identify)
    previous = {number: signal.getsignal(number) for number in interrupts.HANDLED}
    interrupts.install()
    interrupts.set_last_resort(functools.partial(_last_resort, folder))
    try:
        try:
            folder.prepare()
            with run_index() as index:
                yield Batch(folder, report, index)
        except KeyboardInterrupt as error:
            _interrupted(report, error)
        except OSError as error:
            message = f"cannot use: {error.strerror or error}"
            report.problems.append(Problem(str(out_dir), message))
        try:
            outcome = folder.update()
        except KeyboardInterrupt as error:
            _interrupted(report, error)
        else:
            report.problems.extend(outcome.problems)
            report.warnings.extend(outcome.warnings)
            if outcome.interrupted:
                _interrupted(report, interrupts.Interrupted(signal.SIGINT))
    finally:
        interrupts.set_last_resort(None)
        _restore(previous)


def _last_resort(folder: Folder, signal_number: int) -> None:
    """The run is stuck after a signal (a plugin in this process swallowed the interrupt):
    the manifest is brought up to date from here, and the process ends."""
    try:
        folder.update()
    finally:
        how = interrupts.how_stopped(signal_number)
        message = f"briefing: {how}; files already written are whole and listed in the manifest\n"
        os.write(2, message.encode())
        os._exit(128 + signal_number)


def _interrupted(report: Report, error: KeyboardInterrupt) -> None:
    interrupts.disarm()
    if not report.interrupted:
        report.interrupted = True
        report.exit_signal = interrupts.exit_code_of(error) - 128


def _restore(previous: dict[int, object]) -> None:
    for number, handler in previous.items():
        if handler is not None and interrupts.is_main_thread():
            signal.signal(number, handler)  # type: ignore[arg-type]
