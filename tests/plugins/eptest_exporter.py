"""A minimal third-party exporter: plain text, registered only by its entry point."""

from __future__ import annotations

from typing import Any, ClassVar


class PlainTextExporter:
    name: ClassVar[str] = "txt"
    suffix: ClassVar[str] = "txt"
    media_type: ClassVar[str] = "text/plain; charset=utf-8"
    description: ClassVar[str] = "Plain text (test plugin)"

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        lines = [episode.title, *episode.takeaways]
        return ("\n".join(lines) + "\n").encode("utf-8")
