"""The Excel workbook: claims, predictions, facts and the rest as filterable tables.

This module stays small and free of openpyxl so that listing formats never loads
it; ``render`` imports the modules that do the work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from briefing.formats import RenderContext
    from briefing.labels import Labels
    from briefing.model import Episode
    from styles import Theme


class XlsxExporter:
    name: ClassVar[str] = "xlsx"
    suffix: ClassVar[str] = "xlsx"
    media_type: ClassVar[str] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    description: ClassVar[str] = (
        "Excel workbook: a filterable table per section, with times, numbers and prices typed"
    )

    def render(
        self, episode: Episode, theme: Theme, labels: Labels, context: RenderContext
    ) -> bytes:
        return _render_workbook()([episode], theme, labels, context)

    def render_combined(
        self, episodes: Iterable[Episode], theme: Theme, labels: Labels, context: RenderContext
    ) -> bytes:
        """Every episode's rows in one workbook; ``episodes`` is read once, as a stream."""
        return _render_workbook()(episodes, theme, labels, context)


def _render_workbook() -> Callable[[Iterable[Episode], Theme, Labels, RenderContext], bytes]:
    from exporters.optional import without

    with without("numpy"):
        from exporters.xlsx.workbook import render_workbook
    return render_workbook
