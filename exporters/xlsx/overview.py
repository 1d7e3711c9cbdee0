"""The Overview sheet: what the workbook holds, with a link to each sheet.

It is the first tab but is written last, once every count is known. One episode
gets its details as a list (title, category, duration, speakers, ...); a
workbook of several gets one row per episode in an ``Episodes`` table instead,
with the same details and each episode's counts, so it filters like the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.hyperlink import Hyperlink

from briefing.labels import Labels, language_name
from briefing.model import Episode
from exporters.xlsx.cells import CellMaker, content_width, external_link, sheet_link
from exporters.xlsx.sheets import EPISODES_TABLE, ID, MEDIUM, NUMBER, PROSE, SHORT, TITLE
from exporters.xlsx.stream import (
    StreamingSheet,
    add_table,
    prepare_for_print,
    set_widths,
    unique_headers,
)
from exporters.xlsx.text import column_width, row_height, wrapped_lines
from styles import Theme

_LIST_SEPARATOR = " · "


@dataclass(frozen=True, slots=True)
class EpisodeSummary:
    """What the Overview needs of an episode after the episode itself is gone."""

    id: str
    title: str
    category: str | None
    duration_minutes: int | None
    speakers: str | None
    language: str
    """As shown: ``English``, ``中文``."""
    language_tag: str
    translations: str | None
    published: date | None
    watch_url: str | None
    counts: tuple[int, ...]

    @classmethod
    def of(cls, episode: Episode, counts: tuple[int, ...]) -> EpisodeSummary:
        translations = _LIST_SEPARATOR.join(language_name(tag) for tag in episode.translations)
        return cls(
            id=episode.id,
            title=episode.title,
            category=episode.category,
            duration_minutes=episode.duration_minutes,
            speakers=_LIST_SEPARATOR.join(episode.speakers) or None,
            language=language_name(episode.language),
            language_tag=episode.language,
            translations=translations or None,
            published=episode.published,
            watch_url=episode.watch_url,
            counts=counts,
        )


@dataclass(frozen=True)
class SheetEntry:
    """A data sheet as the Overview lists it."""

    title: str
    section: str
    rows: int


_FILTER_BUTTON = 3.0


@dataclass(frozen=True, slots=True)
class Placed:
    """A cell of the Overview, with how wide it shows and its text if it may wrap."""

    cell: Cell
    width: float
    text: str | None = None


class Overview:
    def __init__(
        self, sheet: StreamingSheet, cells: CellMaker, theme: Theme, labels: Labels
    ) -> None:
        self._sheet = sheet
        self._cells = cells
        self._theme = theme
        self._labels = labels
        self._rows: list[list[Placed | None]] = []
        self._widths: list[float] = []
        self._heading_rows = 0

    def write(self, summaries: Sequence[EpisodeSummary], sheets: Sequence[SheetEntry]) -> None:
        """One episode: its details, then the contents. Several (or none): the contents,
        then the Episodes table."""
        if len(summaries) == 1:
            self._details(summaries[0])
            self._add([])
            caps = [MEDIUM, PROSE]
        else:
            caps = [ID, TITLE, MEDIUM, NUMBER, MEDIUM, SHORT, MEDIUM, NUMBER, MEDIUM]
        self._contents(sheets)
        headers = self._episode_headers(sheets)
        table_row = None
        if len(summaries) > 1:
            self._add([])
            table_row = len(self._rows) + 1
            self._episodes(summaries, headers)
        self._flush(caps)
        if table_row is not None:
            add_table(
                self._sheet,
                EPISODES_TABLE,
                headers,
                first_row=table_row,
                data_rows=len(summaries),
                style=self._theme.tables.xlsx_style,
            )

    def _add(self, row: Sequence[Placed | None]) -> None:
        """A row of cells, each with how wide it shows and the text that may wrap."""
        self._rows.append(list(row))
        for index, placed in enumerate(row):
            if index == len(self._widths):
                self._widths.append(0.0)
            if placed:
                self._widths[index] = max(self._widths[index], placed.width)

    def _text(self, value: str | None, link: Hyperlink | None = None) -> Placed | None:
        if value is None:
            return None
        cell = self._cells.text(self._sheet, value, link)
        return Placed(cell, content_width("text", value), value)

    def _styled(self, value: str, style: StyleArray, extra: float = 0.0) -> Placed:
        cell = self._cells.styled(self._sheet, value, style)
        return Placed(cell, content_width("text", value) + extra, value)

    def _number(self, value: int, listed: bool = False) -> Placed:
        style = self._cells.styles.listed_number if listed else None
        cell = self._cells.number(self._sheet, value, style)
        return Placed(cell, content_width("number", value))

    def _minutes(self, value: int | None) -> Placed | None:
        if value is None:
            return None
        width = content_width("text", f"{value} {self._labels.minutes}")
        return Placed(self._cells.minutes(self._sheet, value), width)

    def _date(self, value: date | None, listed: bool = False) -> Placed | None:
        if value is None:
            return None
        style = self._cells.styles.listed_date if listed else None
        return Placed(self._cells.date(self._sheet, value, style), content_width("date", value))

    def _watch(self, url: str | None) -> Placed | None:
        return self._text(url, external_link(url)) if url else None

    def _details(self, summary: EpisodeSummary) -> None:
        labels, styles = self._labels, self._cells.styles
        # The title is not measured: it runs on to the right across the empty cells.
        heading = self._cells.styled(self._sheet, summary.title, styles.heading)
        self._rows.append([Placed(heading, 0.0)])
        self._heading_rows = 1
        self._add([])
        details = [
            (labels.episode_id, self._text(summary.id)),
            (labels.category, self._text(summary.category)),
            (labels.duration, self._minutes(summary.duration_minutes)),
            (labels.speakers, self._text(summary.speakers)),
            (labels.language_label, self._text(summary.language)),
            (labels.translations, self._text(summary.translations)),
            (labels.published, self._date(summary.published, listed=True)),
            (labels.watch, self._watch(summary.watch_url)),
        ]
        for label, value in details:
            if value is not None:
                self._add([self._styled(label, styles.subheading), value])

    def _contents(self, sheets: Sequence[SheetEntry]) -> None:
        subheading = self._cells.styles.subheading
        self._add(
            [
                self._styled(self._labels.contents, subheading),
                self._styled(self._labels.count, subheading),
            ]
        )
        for entry in sheets:
            self._add(
                [
                    self._text(entry.section, sheet_link(entry.title)),
                    self._number(entry.rows, listed=True),
                ]
            )

    def _episode_headers(self, sheets: Sequence[SheetEntry]) -> list[str]:
        labels = self._labels
        names = [
            labels.episode_id,
            labels.episode_title,
            labels.category,
            labels.duration,
            labels.speakers,
            labels.language_label,
            labels.translations,
            labels.published,
            labels.watch,
        ]
        return unique_headers([*names, *(entry.section for entry in sheets)])

    def _episodes(self, summaries: Sequence[EpisodeSummary], headers: Sequence[str]) -> None:
        header_style = self._cells.styles.header
        self._add([self._styled(header, header_style, _FILTER_BUTTON) for header in headers])
        for summary in summaries:
            self._add(
                [
                    self._text(summary.id),
                    self._text(summary.title),
                    self._text(summary.category),
                    self._minutes(summary.duration_minutes),
                    self._text(summary.speakers),
                    self._text(summary.language),
                    self._text(summary.translations),
                    self._date(summary.published),
                    self._watch(summary.watch_url),
                    *(self._number(count) for count in summary.counts),
                ]
            )

    def _flush(self, caps: Sequence[float]) -> None:
        widths = [
            column_width("", width, caps[index] if index < len(caps) else NUMBER)
            for index, width in enumerate(self._widths)
        ]
        set_widths(self._sheet, widths)
        prepare_for_print(self._sheet, self._theme, header_rows=None)
        fonts = self._theme.fonts
        for number, row in enumerate(self._rows, 1):
            if number <= self._heading_rows:
                height = row_height(1, fonts.size_pt * fonts.heading_scale, single=True)
            else:
                lines = max(
                    (
                        wrapped_lines(placed.text, width)
                        for placed, width in zip(row, widths, strict=False)
                        if placed and placed.text
                    ),
                    default=1,
                )
                height = row_height(lines, fonts.size_pt)
            self._sheet.append_row([placed.cell if placed else None for placed in row], height)
