"""One data sheet of the workbook, streamed: created at its first row, sized on the
first rows, made an Excel table after the last.

Column widths must be written before the first row, and in a stream the rows to
come are unknown. So the first ``MEASURED_ROWS`` rows are held back, the columns
are sized to fit them (each up to its cap, longer text wraps), and everything
after is written as it comes. A single episode almost always fits in the rows
measured; a large library is sized by its first episodes.

Rows of wrapped text are given a height from an estimate of their lines, since
LibreOffice does not refit rows when it opens a workbook.
"""

from __future__ import annotations

from collections.abc import Callable

from briefing.labels import Labels
from briefing.model import Episode
from exporters.xlsx.cells import CellMaker, content_width
from exporters.xlsx.rows import Entry, EntryRow
from exporters.xlsx.sheets import Column, SheetSpec, Value, episode_columns
from exporters.xlsx.stream import (
    StreamingSheet,
    add_table,
    prepare_for_print,
    set_widths,
    unique_headers,
)
from exporters.xlsx.text import LINKS_PER_SHEET, column_width, row_height, wrapped_lines
from styles import Theme

MEASURED_ROWS = 200

SheetFactory = Callable[[SheetSpec], StreamingSheet]
Held = tuple[EntryRow, tuple[Value, ...]]


class DataSheet:
    def __init__(
        self,
        spec: SheetSpec,
        cells: CellMaker,
        theme: Theme,
        labels: Labels,
        new_sheet: SheetFactory,
    ) -> None:
        self.spec = spec
        self.columns: tuple[Column, ...] = episode_columns(labels) + spec.columns(labels)
        self.headers = unique_headers(column.header for column in self.columns)
        self.sheet: StreamingSheet | None = None
        self.rows = 0
        self._cells = cells
        self._theme = theme
        self._labels = labels
        self._new_sheet = new_sheet
        self._held: list[Held] | None = []
        self._content = [0.0] * len(self.columns)
        self._widths: list[float] = []
        self._links = 0
        # The episode's id and title repeat on every row of the episode, like a label.
        self._kinds = ["label", "label", *(column.kind for column in self.columns[2:])]

    def add_episode(self, episode: Episode) -> int:
        """Write the episode's rows; returns how many there were."""
        count = 0
        # One entry can serve every row of the episode that shows the same text in the same
        # column: the episode's id and title, and the ``label`` columns. Their XML is made
        # once (see ``exporters.xlsx.rows``) and their lines are counted once.
        repeated: dict[tuple[int, str], tuple[Entry, int]] = {}
        size = self._theme.fonts.size_pt
        for values in self.spec.rows(episode, self._labels):
            sheet = self.sheet or self._start()
            shown = (episode.id, episode.title, *values)
            row = EntryRow()
            lines = 1
            for index, value in enumerate(shown):
                entry, entry_lines = self._entry(index, value, episode.watch_url, repeated)
                row.append(entry)
                if entry_lines > lines:
                    lines = entry_lines
            if self._held is None:
                sheet.append_row(row, row_height(lines, size))
            else:
                self._measure(shown)
                self._held.append((row, shown))
                if len(self._held) >= MEASURED_ROWS:
                    self._release(sheet, self._held)
                    repeated.clear()  # their lines were counted before the widths were known
            count += 1
        self.rows += count
        return count

    def _start(self) -> StreamingSheet:
        self.sheet = self._new_sheet(self.spec)
        return self.sheet

    def _entry(
        self,
        index: int,
        value: Value,
        watch_url: str | None,
        repeated: dict[tuple[int, str], tuple[Entry, int]],
    ) -> tuple[Entry | None, int]:
        """The entry for a value, and how many lines it wraps to (1 until widths are known)."""
        if value is None:
            return None, 1
        kind = self._kinds[index]
        if isinstance(value, str):
            if kind == "text":
                return self._cells.text_entry(value), self._lines(index, value)
            key = (index, value)
            found = repeated.get(key)
            if found is None:
                found = repeated[key] = (self._cells.text_entry(value), self._lines(index, value))
            return found
        if kind == "time" and isinstance(value, int):
            linked = watch_url if self._links < LINKS_PER_SHEET else None
            entry = self._cells.time(value, linked)
            self._links += entry.link is not None
            return entry, 1
        if kind == "money" and isinstance(value, tuple):
            return self._cells.money(*value), 1
        if isinstance(value, int | float):
            return self._cells.number_entry(value), 1
        raise TypeError(f"{self.spec.title}: {self.headers[index]}: cannot store {value!r}")

    def _lines(self, index: int, text: str) -> int:
        return wrapped_lines(text, self._widths[index]) if self._widths else 1

    def _measure(self, shown: tuple[Value, ...]) -> None:
        for index, (column, value) in enumerate(zip(self.columns, shown, strict=True)):
            if value is not None:
                self._content[index] = max(self._content[index], content_width(column.kind, value))

    def _release(self, sheet: StreamingSheet, held: list[Held]) -> None:
        """Size the columns on the rows held so far, write the header, then those rows."""
        self._held = None
        self._widths = [
            column_width(header, content, column.cap)
            for header, content, column in zip(
                self.headers, self._content, self.columns, strict=True
            )
        ]
        set_widths(sheet, self._widths)
        sheet.freeze_panes = "A2"
        prepare_for_print(sheet, self._theme, header_rows="1:1")
        header_style = self._cells.styles.header
        sheet.append_row(
            [self._cells.styled(sheet, header, header_style) for header in self.headers]
        )
        size = self._theme.fonts.size_pt
        for row, shown in held:
            lines = max(
                (
                    self._lines(index, value)
                    for index, value in enumerate(shown)
                    if isinstance(value, str)
                ),
                default=1,
            )
            sheet.append_row(row, row_height(lines, size))

    def finish(self) -> None:
        """Write what is still held and declare the rows a table; a sheet without rows
        was never created, as an empty section is left out everywhere."""
        if self.sheet is None:
            return
        if self._held is not None:
            self._release(self.sheet, self._held)
        add_table(
            self.sheet,
            self.spec.table,
            self.headers,
            first_row=1,
            data_rows=self.rows,
            style=self._theme.tables.xlsx_style,
        )
