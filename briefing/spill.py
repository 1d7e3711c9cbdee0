"""What a run must remember of every episode until its end, kept on disk.

A run of 100,000 episodes would otherwise hold, for each one, the file's identity (to
read a file named twice once) and the episode's id (to refuse a second file with it):
some 100 MB of Python objects. They go instead into a temporary SQLite file, whose page
cache is bounded, so the main process's memory does not grow with the library.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def temporary_database(schema: str) -> Iterator[sqlite3.Connection]:
    """A SQLite database with ``schema`` in a private temporary file, in one open
    transaction. SQLite makes the file itself (an empty name) and removes it when the
    connection closes, or the process dies: nothing in it outlives the run, so there is
    nothing to recover after a crash (no rollback journal, no fsync)."""
    database = sqlite3.connect("", isolation_level=None)
    try:
        database.execute("PRAGMA journal_mode = OFF")
        database.execute("PRAGMA synchronous = OFF")
        # A small page cache (SQLite's default is 2 MiB): the tables are written in order
        # and read once, so more cache buys little and would grow with the library.
        database.execute("PRAGMA cache_size = -256")
        database.executescript(schema)
        database.execute("BEGIN")
        yield database
    finally:
        database.close()


_RUN_SCHEMA = """
CREATE TABLE files (device INTEGER, inode INTEGER, PRIMARY KEY (device, inode)) WITHOUT ROWID;
CREATE TABLE owners (episode TEXT PRIMARY KEY, source TEXT NOT NULL) WITHOUT ROWID;
"""


class RunIndex:
    """The files a run has read and the episode ids it has given out."""

    def __init__(self, database: sqlite3.Connection) -> None:
        self._db = database

    def first_sight(self, status: os.stat_result) -> bool:
        """Whether the file with this status is seen for the first time in the run."""
        key = (_signed(status.st_dev), _signed(status.st_ino))
        cursor = self._db.execute("INSERT OR IGNORE INTO files VALUES (?, ?)", key)
        return cursor.rowcount == 1

    def claim(self, episode_id: str, source: Path) -> Path:
        """The file that owns ``episode_id``: ``source`` unless an earlier one does."""
        text = os.fsencode(source)
        cursor = self._db.execute("INSERT OR IGNORE INTO owners VALUES (?, ?)", (episode_id, text))
        if cursor.rowcount == 1:
            return source
        (owner,) = self._db.execute(
            "SELECT source FROM owners WHERE episode = ?", (episode_id,)
        ).fetchone()
        return Path(os.fsdecode(owner))


def _signed(number: int) -> int:
    """An unsigned 64-bit number as SQLite's signed one, one to one (inodes can be that
    large)."""
    return number - (1 << 64) if number >= 1 << 63 else number


@contextmanager
def run_index() -> Iterator[RunIndex]:
    with temporary_database(_RUN_SCHEMA) as database:
        yield RunIndex(database)


class ByDigest:
    """Manifest entries by the digest of what their file was made from."""

    def __init__(self, database: sqlite3.Connection) -> None:
        self._db = database
        self.empty = database.execute("SELECT NOT EXISTS (SELECT 1 FROM entries)").fetchone()[0]

    def get(self, digest: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT entry FROM entries WHERE digest = ?", (digest,)).fetchone()
        return None if row is None else json.loads(row[0])


@contextmanager
def by_digest(entries: Iterable[dict[str, Any]]) -> Iterator[ByDigest]:
    """``entries`` (each with a ``digest``) to look up by digest, the last one for a digest
    winning: a re-run of a library of 100,000 episodes looks up half a million entries
    without holding them."""
    schema = "CREATE TABLE entries (digest TEXT PRIMARY KEY, entry TEXT NOT NULL) WITHOUT ROWID;"
    with temporary_database(schema) as database:
        rows = ((entry["digest"], json.dumps(entry, ensure_ascii=False)) for entry in entries)
        database.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)
        yield ByDigest(database)
