"""A folder cache that counts the entries of one kind it hands back, for tests of what a
render keeps in the pipeline's cache."""

from __future__ import annotations

from pathlib import Path

from briefing.cache import FolderCache


class CountingCache(FolderCache):
    """A ``FolderCache`` that lists the keys under ``folder/`` it found an entry for."""

    def __init__(self, root: Path, folder: str) -> None:
        super().__init__(root)
        self._prefix = f"{folder}/"
        self.hits: list[str] = []

    def get(self, key: str) -> bytes | None:
        data = super().get(key)
        if data is not None and key.startswith(self._prefix):
            self.hits.append(key)
        return data
