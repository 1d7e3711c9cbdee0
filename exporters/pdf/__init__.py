"""PDF briefing, set with reportlab: the document a team reads first.

Masthead, an at-a-glance panel, a timeline drawing, then every section of
``briefing.sections`` in order; a running header and "Page N of M" on every
page, an outline entry for every part, document metadata, embedded TrueType
fonts with a fallback chain for any script (see ``exporters.pdf.fonts``).
reportlab is imported only when a PDF is rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from briefing.formats import RenderContext
    from briefing.labels import Labels
    from briefing.model import Episode
    from styles import Theme


class PdfExporter:
    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = "pdf"
    media_type: ClassVar[str] = "application/pdf"
    description: ClassVar[str] = "PDF briefing: masthead, at a glance, timeline, every section"

    def render(
        self, episode: Episode, theme: Theme, labels: Labels, context: RenderContext
    ) -> bytes:
        from exporters.optional import without

        with without("pyphen"):
            from exporters.pdf.document import render_pdf

        return render_pdf(episode, theme, labels, context)
