"""The pieces a paragraph is built from: text with its own face, colour, size or link."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color

from exporters.pdf.fonts import EmbeddedFont


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph; by default in the paragraph style's face, size and colour."""

    text: str
    face: EmbeddedFont | None = None
    colour: Color | None = None
    size: float | None = None
    link: str | None = None
    """A URL, or ``#name`` for a destination in the document."""
