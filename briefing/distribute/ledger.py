"""What was sent to whom: a SQLite file (the standard library's ``sqlite3``).

One row per message and run: when, team, recipient, content digest, Message-ID,
status (``sent`` or ``failed``), the server's answer, size and subject; and for each
message the episodes it carried (id and episode digest). An episode counts as
delivered to a recipient of a team when a ``sent`` message carried it, so a rerun
sends nothing already sent and, after a failure part-way, exactly what is missing.
Each row is committed as soon as the server has answered, so an interrupted run
loses at most the answer it was waiting for.

The one gap SMTP leaves: a server that accepted a message and dropped the connection
before its answer arrived is recorded as failed and sent again; the second copy has
the same Message-ID, so mail systems that deduplicate by it show one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefing.distribute.messages import Outgoing

LEDGER_NAME = "ledger.sqlite"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    team TEXT NOT NULL,
    recipient TEXT NOT NULL,
    digest TEXT NOT NULL,
    message_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    answer TEXT NOT NULL,
    size INTEGER NOT NULL,
    subject TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_recipient ON messages (team, recipient, status);
CREATE TABLE IF NOT EXISTS message_episodes (
    message INTEGER NOT NULL REFERENCES messages (id),
    episode TEXT NOT NULL,
    episode_digest TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS episodes_by_message ON message_episodes (message);
"""


class LedgerError(Exception):
    """A ledger that cannot be read or written."""


@dataclass(frozen=True)
class Entry:
    at: str
    team: str
    recipient: str
    status: str
    episodes: tuple[str, ...]
    message_id: str
    answer: str
    size: int
    subject: str


class Ledger:
    """The ledger file; ``read_only`` opens an existing file without changing it (or
    stands for an empty ledger when there is none yet), for dry runs and the outbox."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        try:
            if read_only:
                uri = path.resolve().as_uri() + "?mode=ro"
                self._db = sqlite3.connect(uri if path.exists() else ":memory:", uri=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(path)
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise LedgerError(f"{path}: written by a newer briefing (ledger version {version})")
            if not read_only or not path.exists():
                self._db.executescript(_SCHEMA)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                self._db.commit()
        except (sqlite3.Error, OSError) as error:
            raise LedgerError(f"{path}: cannot use the ledger: {error}") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def delivered(self, team: str, address: str) -> set[tuple[str, str]]:
        """(episode id, episode digest) of every episode already sent to this recipient."""
        rows = self._db.execute(
            "SELECT e.episode, e.episode_digest FROM message_episodes e "
            "JOIN messages m ON m.id = e.message "
            "WHERE m.team = ? AND m.recipient = ? AND m.status = 'sent'",
            (team, address),
        )
        return {(episode, digest) for episode, digest in rows}

    def times_sent(self, address: str, digest: str) -> int:
        row = self._db.execute(
            "SELECT COUNT(*) FROM messages WHERE recipient = ? AND digest = ? AND status = 'sent'",
            (address, digest),
        ).fetchone()
        return int(row[0])

    def record(self, outgoing: Outgoing, status: str, answer: str) -> None:
        at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        try:
            with self._db:
                cursor = self._db.execute(
                    "INSERT INTO messages (at, team, recipient, digest, message_id, status, "
                    "answer, size, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        at,
                        outgoing.team,
                        outgoing.address,
                        outgoing.digest,
                        outgoing.message_id,
                        status,
                        answer,
                        outgoing.size,
                        outgoing.subject,
                    ),
                )
                self._db.executemany(
                    "INSERT INTO message_episodes (message, episode, episode_digest) "
                    "VALUES (?, ?, ?)",
                    [(cursor.lastrowid, episode, digest) for episode, digest in outgoing.episodes],
                )
        except sqlite3.Error as error:
            raise LedgerError(f"{self.path}: cannot record a message: {error}") from None

    def entries(self) -> Iterator[Entry]:
        rows = self._db.execute(
            "SELECT m.id, m.at, m.team, m.recipient, m.status, m.message_id, m.answer, "
            "m.size, m.subject, group_concat(e.episode, ' ') FROM messages m "
            "LEFT JOIN message_episodes e ON e.message = m.id GROUP BY m.id ORDER BY m.id"
        )
        for _, at, team, recipient, status, msg_id, answer, size, subject, episodes in rows:
            yield Entry(
                at,
                team,
                recipient,
                status,
                tuple((episodes or "").split()),
                msg_id,
                answer,
                size,
                subject,
            )
