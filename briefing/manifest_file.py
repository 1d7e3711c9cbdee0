"""``manifest.json`` as a file, read and written in constant memory.

A folder of 100,000 episodes in five formats has a manifest of half a million entries
(about 150 MB of JSON); held as Python objects it would be several times that. So the
manifest is written one entry per line::

    {"tool": "briefing", "files": [
    {"file": "a.md", "format": "md", ...},
    {"file": "b.md", "format": "md", ...}
    ]}

which is still one JSON document for any reader, and is read back here line by line. A
manifest in any other layout (one written by an earlier version with ``indent=2``, or
edited by hand) is read whole, as before.

While the journal is folded in, the entries wait in a temporary SQLite file
(``EntryStore``), keyed by file name, rather than in a dict: SQLite keeps a bounded page
cache and sorts on disk, and its default ``BINARY`` collation orders UTF-8 text by code
point, as Python's ``sorted`` orders ``str``, so the manifest comes out sorted by file
exactly as before.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from briefing.spill import temporary_database

HEAD = b'{"tool": "briefing", "files": [\n'
TAIL = b"]}\n"


class NotLineLayout(Exception):
    """The manifest is not in the one-entry-per-line layout; read it whole instead."""


def entries_by_line(path: Path) -> Iterator[Any]:
    """The entries of a manifest in the line layout, as they are read; NotLineLayout as
    soon as the file turns out to be in another one (before or after some were given)."""
    with path.open("rb") as handle:
        if handle.readline() != HEAD:
            raise NotLineLayout
        previous: bytes | None = None
        for line in handle:
            if line == TAIL:
                if previous is not None and previous.endswith(b",\n"):
                    raise NotLineLayout  # a comma before the closing bracket
                if handle.read(1):
                    raise NotLineLayout
                return
            if previous is not None and not previous.endswith(b",\n"):
                raise NotLineLayout
            text = line[:-2] if line.endswith(b",\n") else line.rstrip(b"\n")
            try:
                entry = json.loads(text.decode("utf-8"))
            except ValueError as error:
                raise NotLineLayout from error
            previous = line
            yield entry
        raise NotLineLayout  # no closing line: cut short


def write_by_line(handle: IO[bytes], entries: Iterator[dict[str, Any]]) -> None:
    """``entries`` as a manifest in the line layout."""
    handle.write(HEAD)
    pending: bytes | None = None
    for entry in entries:
        if pending is not None:
            handle.write(pending + b",\n")
        pending = json.dumps(entry, ensure_ascii=False).encode("utf-8")
    if pending is not None:
        handle.write(pending + b"\n")
    handle.write(TAIL)


class EntryStore:
    """Manifest entries by file name, the last put for a name winning, in a temporary
    SQLite file (``briefing.spill``)."""

    def __init__(self, database: sqlite3.Connection) -> None:
        self._db = database

    def clear(self) -> None:
        self._db.execute("DELETE FROM entries")

    def put(self, entry: dict[str, Any]) -> None:
        text = json.dumps(entry, ensure_ascii=False)
        self._db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?)", (entry["file"], text))

    def sorted_entries(self) -> Iterator[dict[str, Any]]:
        """Every entry, by file name; read in pages, so memory stays flat."""
        cursor = self._db.execute("SELECT entry FROM entries ORDER BY file")
        while rows := cursor.fetchmany(1000):
            for (text,) in rows:
                yield json.loads(text)


@contextmanager
def entry_store() -> Iterator[EntryStore]:
    schema = "CREATE TABLE entries (file TEXT PRIMARY KEY, entry TEXT NOT NULL) WITHOUT ROWID;"
    with temporary_database(schema) as database:
        yield EntryStore(database)
