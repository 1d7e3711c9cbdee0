"""The cache folder the pipeline hands to formats (``RenderContext.cache``).

Formats ask it for bytes by key and hand bytes back; the folder, its location and
every file in it belong here. Where: ``$BRIEFING_CACHE_DIR`` when that is set (set
and empty turns the cache off), else ``$XDG_CACHE_HOME/briefing`` or
``~/.cache/briefing``. A cache that cannot be read or written is passed by: a
format then does the work again, and its documents are the same bytes either way.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from briefing.files import write_atomically
from briefing.formats import Cache, NoCache

_KEY = re.compile(r"^[a-z0-9_-]+(/[A-Za-z0-9_.-]+)*$")
"""Keys are relative names of our own making: no ``..``, no absolute path."""
_MAX_ENTRY_BYTES = 256 * 1024 * 1024


class FolderCache:
    """One file per key under ``folder``, written whole or not at all (two processes
    may write the same entry)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path | None:
        if not _KEY.match(key) or ".." in key.split("/"):
            return None
        return self.folder / key

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            with path.open("rb") as entry:
                data = entry.read(_MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
        return data if len(data) <= _MAX_ENTRY_BYTES else None

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, data)
        except OSError:
            return

    def __repr__(self) -> str:
        return f"FolderCache({str(self.folder)!r})"


def cache_folder() -> Path | None:
    configured = os.environ.get("BRIEFING_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "briefing"


def user_cache() -> Cache:
    """The user's cache as the environment sets it, or one that keeps nothing."""
    folder = cache_folder()
    return FolderCache(folder) if folder is not None else NoCache()
