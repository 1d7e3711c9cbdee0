"""The Excel workbook: claims, predictions, facts and the rest as filterable tables.

This module stays small and free of openpyxl so that listing formats never loads
it; ``render`` imports the modules that do the work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from datetime import datetime

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

    def render(self, episode: Episode, theme: Theme, labels: Labels) -> bytes:
        from briefing.reproducible import document_date

        return _render_workbook()([episode], theme, labels, document_date(episode))

    def render_combined(self, episodes: Iterable[Episode], theme: Theme, labels: Labels) -> bytes:
        """Every episode's rows in one workbook; ``episodes`` is read once, as a stream."""
        from briefing.reproducible import document_date

        return _render_workbook()(episodes, theme, labels, document_date())


def _render_workbook() -> Callable[[Iterable[Episode], Theme, Labels, datetime], bytes]:
    from exporters._optional import without

    with without("numpy"):
        from exporters._xlsx_workbook import render_workbook
    return render_workbook
