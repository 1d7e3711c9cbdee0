"""The Word report: an editable .docx built with python-docx.

This module stays small and free of python-docx so that listing formats never
loads it; ``render`` imports the modules that do the work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from briefing.formats import RenderContext
    from briefing.labels import Labels
    from briefing.model import Episode
    from styles import Theme


class DocxExporter:
    name: ClassVar[str] = "docx"
    suffix: ClassVar[str] = "docx"
    media_type: ClassVar[str] = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    description: ClassVar[str] = (
        "Word report: styled headings, a table of contents, tables that repeat their header"
    )

    def render(
        self, episode: Episode, theme: Theme, labels: Labels, context: RenderContext
    ) -> bytes:
        from exporters.docx.report import render_report
        from exporters.render_cache import using_cache

        # The restyled template comes from the cache (exporters.docx.template_cache).
        with using_cache(context.cache):
            return render_report(episode, theme, labels, context)
