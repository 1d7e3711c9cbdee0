"""Exporters that misbehave on purpose, registered by entry point like any plugin.

Used by ``tests/system/test_faults.py`` in real processes (this folder on PYTHONPATH), so
the interrupt and the slowness happen inside a real ``briefing export``.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar


class InterruptOnThirdExporter:
    """Writes plain text, and acts like Ctrl-C while rendering the third episode."""

    name: ClassVar[str] = "interrupt-third"
    suffix: ClassVar[str] = "txt"
    media_type: ClassVar[str] = "text/plain; charset=utf-8"
    description: ClassVar[str] = "Plain text; interrupted on the third episode (fault tests)"
    _rendered: ClassVar[int] = 0

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        type(self)._rendered += 1
        if type(self)._rendered == 3:
            raise KeyboardInterrupt
        return f"{episode.title}\n".encode()


class SlowExporter:
    """Plain text that takes a while, so a real SIGINT lands in the middle of a batch."""

    name: ClassVar[str] = "slow"
    suffix: ClassVar[str] = "txt"
    media_type: ClassVar[str] = "text/plain; charset=utf-8"
    description: ClassVar[str] = "Plain text, slowly (fault tests)"

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        time.sleep(0.4)
        return f"{episode.title}\n".encode()
