"""What a cache of bytes is to those who use one: formats (through their
``RenderContext``) and the theme loader. In a module of its own, importing nothing of
ours, so that both can name it; ``briefing.cache`` keeps the folder behind it.
"""

from __future__ import annotations

from typing import Protocol


class Cache(Protocol):
    """Bytes by key, kept between runs by whoever made the cache. A format may use it to
    skip work it has done before; what it renders never depends on what the cache holds."""

    def get(self, key: str) -> bytes | None:
        """What was put under ``key``, or None."""
        ...

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key``; a cache that cannot keep it passes it by."""
        ...


class NoCache:
    """A cache that keeps nothing: every format works without one."""

    def get(self, key: str) -> bytes | None:
        return None

    def put(self, key: str, data: bytes) -> None:
        return None
