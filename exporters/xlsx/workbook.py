"""Episodes in, workbook bytes out, in one pass over the episodes.

One episode and a whole library take the same road: each episode's rows go to
every data sheet in turn (each streams to its own temporary file), the Overview
is written last but sits first, and the package is zipped with fixed times.
Memory grows with the number of episodes (one short summary each, for the
Overview), never with the number of rows.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import replace

from openpyxl.packaging.core import DocumentProperties
from openpyxl.workbook import Workbook
from openpyxl.worksheet.table import TABLESTYLES
from openpyxl.writer.excel import ExcelWriter

from briefing.formats import RenderContext
from briefing.labels import Labels
from briefing.model import Episode
from briefing.text import shorten
from exporters.xlsx.cells import CellMaker, CellStyles
from exporters.xlsx.data import DataSheet
from exporters.xlsx.overview import EpisodeSummary, Overview, SheetEntry
from exporters.xlsx.sheets import OVERVIEW_TITLE, SHEETS, SheetSpec
from exporters.xlsx.stream import FixedTimeZip, StreamingSheet, add_sheet, discard_spools
from styles import Theme

_PROPERTY_LIMIT = 255
_MAX_KEYWORDS = 50


def render_workbook(
    episodes: Iterable[Episode], theme: Theme, labels: Labels, context: RenderContext
) -> bytes:
    if theme.tables.xlsx_style not in TABLESTYLES:
        raise ValueError(
            f"theme {theme.name!r}: tables.xlsx_style {theme.tables.xlsx_style!r} is not one of "
            "Excel's built-in table styles (TableStyleLight1-21, Medium1-28, Dark1-11)"
        )
    book = _Book(theme, labels, context)
    try:
        for episode in episodes:
            book.add(episode)
        return book.save(context)
    except BaseException:
        discard_spools(book.workbook)
        raise


class _Book:
    def __init__(self, theme: Theme, labels: Labels, context: RenderContext) -> None:
        self.workbook = Workbook(write_only=True)
        self._labels = labels
        self._scratch = context.scratch
        # Created first so that it is the first tab; written last.
        self._overview_sheet = add_sheet(self.workbook, OVERVIEW_TITLE, 0, self._scratch)
        self._cells = CellMaker(CellStyles(self._overview_sheet, theme, labels), labels)
        self._theme = theme
        self._sheets = [
            DataSheet(spec, self._cells, theme, labels, self._new_sheet) for spec in SHEETS
        ]
        self._summaries: list[EpisodeSummary] = []
        self._keywords: dict[str, None] = {}

    def _new_sheet(self, spec: SheetSpec) -> StreamingSheet:
        # Sheets appear as their first row comes; each goes after the Overview and the
        # sheets that precede it in SHEETS, whatever order they were created in.
        earlier = sum(
            1
            for data in self._sheets
            if data.sheet is not None and SHEETS.index(data.spec) < SHEETS.index(spec)
        )
        return add_sheet(self.workbook, spec.title, 1 + earlier, self._scratch)

    def add(self, episode: Episode) -> None:
        counts = tuple(data.add_episode(episode) for data in self._sheets)
        self._summaries.append(EpisodeSummary.of(episode, counts))
        for word in (*episode.topics, *episode.companies):
            if len(self._keywords) >= _MAX_KEYWORDS:
                break
            self._keywords.setdefault(word)

    def save(self, context: RenderContext) -> bytes:
        when = context.date
        for data in self._sheets:
            data.finish()
        present = [data for data in self._sheets if data.sheet is not None]
        entries = [
            SheetEntry(data.spec.title, data.spec.section_name(self._labels), data.rows)
            for data in present
        ]
        summaries = [
            _only_counts(summary, [self._sheets.index(data) for data in present])
            for summary in self._summaries
        ]
        Overview(self._overview_sheet, self._cells, self._theme, self._labels).write(
            summaries, entries
        )
        self.workbook.properties = self._properties(context)
        buffer = io.BytesIO()
        # ExcelWriter rather than Workbook.save: save() stamps the modified date with
        # the clock and writes through a zip of its own. The zip is closed here too, so
        # a failure inside save() does not leave it to be closed by the garbage collector.
        with FixedTimeZip(buffer, when) as archive:
            ExcelWriter(self.workbook, archive).save()
        return buffer.getvalue()

    def _properties(self, context: RenderContext) -> DocumentProperties:
        summaries = self._summaries
        categories = dict.fromkeys(summary.category for summary in summaries if summary.category)
        naive = context.date.replace(tzinfo=None)
        return DocumentProperties(
            title=_property(" · ".join(summary.title for summary in summaries)) or None,
            subject=_property(" · ".join(categories)) or None,
            keywords=_property(", ".join(self._keywords)) or None,
            creator=context.generator,
            language=summaries[0].language_tag if len(summaries) == 1 else None,
            created=naive,
            modified=naive,
        )


def _only_counts(summary: EpisodeSummary, positions: list[int]) -> EpisodeSummary:
    """The summary with counts for the sheets the workbook has, in their order."""
    return replace(summary, counts=tuple(summary.counts[index] for index in positions))


def _property(text: str) -> str:
    return shorten(text, _PROPERTY_LIMIT)
