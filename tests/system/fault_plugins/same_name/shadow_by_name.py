"""A plugin that registers a format named ``pdf``, as the built-in one is."""

from __future__ import annotations

from typing import Any, ClassVar


class ShadowPdfByName:
    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = "pdf"
    media_type: ClassVar[str] = "application/pdf"
    description: ClassVar[str] = "Not a PDF at all, under the PDF's name"

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        return f"{episode.title}\n".encode()
