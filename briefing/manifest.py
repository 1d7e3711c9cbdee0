"""``manifest.json``: every file the tool has written into a folder, with its hash, true
whatever happened to the runs that wrote them.

A run never rewrites the manifest file by file (that would cost the whole manifest per
document). Instead, under the folder's lock, it appends to the folder's journal
(``.manifest.journal``) a line naming the file it is about to rename into place, renames
it, and appends a line saying it is placed; one lock hold for the three, so the journal's
order is the order files landed in, across every run into the folder. At its end a run,
again under the lock, folds the journal into ``manifest.json`` and removes it. So:

- runs overlapping in one folder never lose an entry, and the last one to finish leaves
  each file listed with the hash of the bytes that landed last;
- after ``kill -9`` at any moment, the journal is still there and the next run folds it
  in; a file announced but not marked placed (the kill came between the two lines) is
  listed only if its bytes on disk are the ones announced.

Entries read back are checked (a plain file name in the folder, the fields of their
types); a manifest that is not one at all is rebuilt from the files in the folder.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from briefing import __version__, interrupts
from briefing.files import folder_lock, remove_stale_temporaries, write_atomically
from briefing.manifest_file import (
    EntryStore,
    NotLineLayout,
    entries_by_line,
    entry_store,
    write_by_line,
)
from briefing.source import Problem

MANIFEST_NAME = "manifest.json"
COMBINED_STEM = "episodes"
"""The name of ``--combine``'s file in the folder: ``episodes.<suffix>``."""
JOURNAL_NAME = ".manifest.journal"
MAX_NAME_BYTES = 255
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FIELD_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "format": ((str,), "text"),
    "media_type": ((str,), "text"),
    "episode": ((str, type(None)), "text or null"),
    "bytes": ((int,), "a whole number"),
    "sha256": ((str,), "text"),
    "version": ((str,), "text"),
}

Identify = Callable[[str], "tuple[str, str] | None"]
"""A file name -> (format, media type) of the registered format that writes such files."""


@dataclass(frozen=True)
class Written:
    path: Path
    format: str
    media_type: str
    episodes: tuple[str, ...]
    size: int
    sha256: str
    digest: str | None = None
    """What the document was made from (``briefing.incremental``); None for files that
    are always rebuilt (combined, ``-o FILE``, the tracker's workbook)."""


@dataclass
class Outcome:
    """What bringing the manifest up to date found: problems (it could not be written)
    and warnings (entries dropped or rebuilt)."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    interrupted: bool = False


def entry_of(written: Written, folder: Path) -> dict[str, Any]:
    single = len(written.episodes) == 1
    return {
        "file": _relative(written.path, folder),
        "format": written.format,
        "media_type": written.media_type,
        "episode": written.episodes[0] if single else None,
        **({} if single else {"episodes": list(written.episodes)}),
        "bytes": written.size,
        "sha256": written.sha256,
        "version": __version__,
        **({} if written.digest is None else {"digest": written.digest}),
    }


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a file the tool wrote into the folder, or None."""
    if not isinstance(name, str) or not name:
        return "is not a file name"
    if any(ch in name for ch in "/\\\0") or not name.isprintable():
        return "is not a plain file name in this folder"
    if name.startswith("."):
        return "is not a file the tool writes (it starts with a dot)"
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        return f"is longer than {MAX_NAME_BYTES} bytes"
    if name == MANIFEST_NAME:
        return "is the manifest itself"
    return None


def _field_problem(entry: dict[str, Any]) -> str | None:
    for key, (types, kind) in _FIELD_TYPES.items():
        value = entry.get(key)
        if not isinstance(value, types) or isinstance(value, bool):
            return f"{key} is not {kind}"
    if entry["bytes"] < 0 or not _SHA256.match(entry["sha256"]):
        return "bytes or sha256 is not what a file has"
    digest = entry.get("digest")
    if digest is not None and not (isinstance(digest, str) and _SHA256.match(digest)):
        return "digest is not a sha256"
    episodes = entry.get("episodes")
    if episodes is not None and not (
        isinstance(episodes, list) and all(isinstance(item, str) for item in episodes)
    ):
        return "episodes is not a list of ids"
    return None


def _shown(name: object) -> str:
    """A name from the manifest, in one line that cannot forge another (repr escapes
    newlines and bidi overrides), and short."""
    text = repr(name)
    return text if len(text) <= 80 else text[:77] + "..."


class Folder:
    """An output folder and its manifest."""

    def __init__(self, path: Path, identify: Identify) -> None:
        self.path = path
        self.identify = identify

    @property
    def manifest_path(self) -> Path:
        return self.path / MANIFEST_NAME

    @property
    def journal_path(self) -> Path:
        return self.path / JOURNAL_NAME

    def prepare(self) -> None:
        """Create the folder, and remove temporary files of runs that died in it."""
        self.path.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.path)

    def listed_names(self) -> set[str]:
        """The names ``manifest.json`` and the journal list now (not validated, not
        waiting for the lock): what an input folder that is also this folder must skip."""
        names = {MANIFEST_NAME}
        names.update(str(entry.get("file")) for entry in _manifest_entries(self.manifest_path))
        names.update(str(entry.get("file")) for entry, _ in self._journal_lines())
        return names

    def recorded(self) -> Iterator[dict[str, Any]]:
        """The entries the manifest and the journal hold now, checked, the journal's
        placed ones last (they are newer); read without the lock, to decide what to
        skip: a file another run replaces meanwhile is listed with its own entry."""
        placed = (entry for entry, done in self._journal_lines() if done)
        for entry in itertools.chain(_manifest_entries(self.manifest_path), placed):
            good = isinstance(entry, dict) and not name_problem(entry.get("file"))
            if good and not _field_problem(entry):
                yield entry

    def write(self, written: Written, data: bytes) -> None:
        """``data`` into ``written.path``, renamed into place and journaled as one step."""
        entry = entry_of(written, self.path)

        def placed(rename: Callable[[], None]) -> None:
            with interrupts.deferred():
                self._journal({"placing": entry})
                rename()
                self._journal({"placed": entry["file"]})

        write_atomically(written.path, data, placed)

    def _journal(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC
        descriptor = os.open(self.journal_path, flags, 0o666)
        try:
            os.write(descriptor, line)  # one write: a line is there whole or not at all
        finally:
            os.close(descriptor)

    def _journal_lines(self) -> Iterator[tuple[dict[str, Any], bool]]:
        """(entry, placed) per file announced in the journal, in the order they landed;
        read line by line (a run's journal has two lines per file it wrote), holding only
        the entries announced and not yet placed."""
        try:
            handle = self.journal_path.open("rb")
        except OSError:
            return
        announced: dict[str, dict[str, Any]] = {}
        with handle:
            for line in handle:
                try:
                    record = json.loads(line.decode("utf-8", "replace"))
                except ValueError:
                    continue  # not a line this tool wrote whole
                if not isinstance(record, dict):
                    continue
                if isinstance(record.get("placing"), dict):
                    entry = record["placing"]
                    announced[str(entry.get("file"))] = entry
                elif isinstance(record.get("placed"), str) and record["placed"] in announced:
                    yield announced.pop(record["placed"]), True
        for entry in announced.values():
            yield entry, False

    def update(self, extra: Sequence[Written] = ()) -> Outcome:
        """Fold the journal (and ``extra``, files written by other means) into the
        manifest: entries of files still there, the newest for each, sorted by file."""
        outcome = Outcome()
        with folder_lock(self.path), interrupts.deferred():
            journal = self._journal_lines()
            first = next(journal, None)
            if first is None and not extra:
                return outcome
            with entry_store() as entries:
                self._entries_before(entries, outcome)
                for entry, placed in itertools.chain([first] if first else [], journal):
                    if name_problem(entry.get("file")) or _field_problem(entry):
                        continue
                    if placed or self.holds(entry):
                        entries.put(entry)
                for written in extra:
                    entries.put(entry_of(written, self.path))
                written_whole = self._write_manifest(
                    functools.partial(self._write_still_there, entries), outcome
                )
            if written_whole and first is not None:
                self.journal_path.unlink(missing_ok=True)
        return outcome

    def _write_still_there(self, entries: EntryStore, handle: IO[bytes]) -> None:
        """The entries of files still in the folder, as the manifest (from the start at
        each call: a write interrupted once is made again)."""
        still_there = (e for e in entries.sorted_entries() if (self.path / e["file"]).is_file())
        write_by_line(handle, still_there)

    def _write_manifest(self, data: Callable[[IO[bytes]], None], outcome: Outcome) -> bool:
        for attempt in (1, 2):
            try:
                write_atomically(self.manifest_path, data)
                return True
            except KeyboardInterrupt:
                # The files are on disk already; without this write the manifest would not
                # list them. It takes milliseconds, so it is finished once; a second
                # interrupt still ends the run, with the old manifest whole (and the journal
                # kept for the next run).
                if attempt == 2:
                    raise
                outcome.interrupted = True
            except OSError as error:
                message = f"cannot write: {error.strerror or error}"
                outcome.problems.append(Problem(str(self.manifest_path), message))
                return False
        return False

    def holds(self, entry: dict[str, Any]) -> bool:
        """Whether the file on disk is the one an entry describes (size, then sha256)."""
        path = self.path / entry["file"]
        try:
            if path.stat().st_size != entry["bytes"]:
                return False
            return sha256_of(path) == entry["sha256"]
        except OSError:
            return False

    def _entries_before(self, store: EntryStore, outcome: Outcome) -> None:
        """The manifest's entries, checked, into ``store``; rebuilt from the folder when
        it is not a manifest."""
        try:
            warnings = self._checked_entries(entries_by_line(self.manifest_path), store)
        except FileNotFoundError:
            return
        except (NotLineLayout, OSError):
            store.clear()
            entries, problem = _read_manifest(self.manifest_path)
            if problem is not None:
                where = str(self.manifest_path)
                outcome.warnings.append(
                    Problem(where, f"{problem}; rebuilt from the files in the folder")
                )
                self._rebuilt(store)
                return
            warnings = self._checked_entries(iter(entries), store)
        outcome.warnings.extend(warnings)

    def _checked_entries(self, entries: Iterator[Any], store: EntryStore) -> list[Problem]:
        """Each good entry into ``store``; the warnings for the others."""
        warnings: list[Problem] = []
        for index, entry in enumerate(entries):
            where = f"files.{index}"
            name = entry.get("file") if isinstance(entry, dict) else None
            why = name_problem(name)
            if why is not None:
                message = f"{_shown(name)} {why}; entry dropped"
                warnings.append(Problem(str(self.manifest_path), message, where))
                continue
            assert isinstance(entry, dict) and isinstance(name, str)
            why = _field_problem(entry)
            if why is not None:
                rebuilt = self._rebuilt_entry(name)
                fate = "rebuilt from the file" if rebuilt else "dropped (no such file)"
                message = f"{why}; entry {fate}"
                warnings.append(Problem(str(self.manifest_path), message, where))
                if rebuilt is None:
                    continue
                entry = rebuilt
            store.put(entry)
        return warnings

    def _rebuilt(self, store: EntryStore) -> None:
        for path in sorted(self.path.iterdir()):
            if name_problem(path.name) is None:
                entry = self._rebuilt_entry(path.name)
                if entry is not None:
                    store.put(entry)

    def _rebuilt_entry(self, name: str) -> dict[str, Any] | None:
        """An entry for a file already in the folder, if a registered format writes such
        files: its format and media type from its suffix, its episode from its name."""
        path = self.path / name
        known = self.identify(name)
        if known is None or path.is_symlink() or not path.is_file():
            return None
        stem = name.rpartition(".")[0]
        episodes = () if stem == COMBINED_STEM else (stem,)
        data = path.read_bytes()
        written = Written(
            path, known[0], known[1], episodes, len(data), hashlib.sha256(data).hexdigest()
        )
        return entry_of(written, self.path)


def _manifest_entries(path: Path) -> Iterator[Any]:
    """The entries of a manifest file as they are read, not checked; none when it is
    missing or not a manifest. A file in another layout is read whole (when it turns out
    to be one midway, the entries given so far are given again: readers keep the last)."""
    try:
        yield from entries_by_line(path)
    except (NotLineLayout, OSError):
        yield from _read_manifest(path)[0]


def _read_manifest(path: Path) -> tuple[list[Any], str | None]:
    """The entries of a manifest file, and what is wrong with it as a whole (None when it
    is fine or missing)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return [], None
    except (OSError, ValueError) as error:
        return [], f"not a manifest this version can read ({type(error).__name__})"
    if not isinstance(data, dict):
        return [], "not a manifest this version can read (not a JSON object)"
    files = data.get("files")
    if not isinstance(files, list):
        return [], "not a manifest this version can read (files is not a list)"
    return files, None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_written(out_dir: Path, written: Written, identify: Identify) -> list[Problem]:
    """List one file written outside an export (``briefing track``'s workbook) in the
    folder's manifest; returns what went wrong writing the manifest."""
    return Folder(out_dir, identify).update([written]).problems
