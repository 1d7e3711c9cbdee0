"""A plugin whose format writes ``.pdf`` files, as the built-in PDF does: asked for together,
one would overwrite the other's files."""

from __future__ import annotations

from typing import Any, ClassVar


class ShadowPdfExporter:
    name: ClassVar[str] = "shadow-pdf"
    suffix: ClassVar[str] = "pdf"
    media_type: ClassVar[str] = "application/pdf"
    description: ClassVar[str] = "Not a PDF at all, under the PDF's suffix"

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        return f"{episode.title}\n".encode()
