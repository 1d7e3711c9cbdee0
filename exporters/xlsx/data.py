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

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from briefing.labels import Labels
from briefing.model import Episode
from exporters.xlsx.cells import CellMaker, content_width
from exporters.xlsx.rows import CellXml, Entry, EntryRow, XmlRow
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
Shown = tuple[Value, ...]
"""A row's values as shown: the episode's id and title, then the sheet's columns."""
Held = tuple[Shown, str | None]
"""A row held back until the widths are known, and its episode's watch link."""
Made = tuple[str, int]
"""A cell's XML fragment (``exporters.xlsx.rows.CellXml``) and how many lines it wraps to."""


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
        self._xml: CellXml | None = None
        self._held: list[Held] | None = []
        self._content = [0.0] * len(self.columns)
        self._widths: list[float] = []
        self._links = 0
        # The episode's id and title repeat on every row of the episode, like a label.
        self._kinds = ["label", "label", *(column.kind for column in self.columns[2:])]
        self._letters = [get_column_letter(index) for index in range(1, len(self.columns) + 1)]
        self._row_starts: dict[int, str] = {}
        """The height attribute of a row by its lines of text."""

    def add_episode(self, episode: Episode) -> int:
        """Write the episode's rows; returns how many there were."""
        count = 0
        # One entry can serve every row of the episode that shows the same text in the same
        # column: the episode's id and title, and the ``label`` columns. Their XML is made
        # once and their lines are counted once.
        repeated: dict[tuple[int, str], Made] = {}
        watch_url = episode.watch_url
        for values in self.spec.rows(episode, self._labels):
            shown = (episode.id, episode.title, *values)
            if self._held is None:
                self._write(shown, watch_url, repeated)
            else:
                if self.sheet is None:
                    self._start()
                self._measure(shown)
                self._held.append((shown, watch_url))
                if len(self._held) >= MEASURED_ROWS:
                    self._release()
            count += 1
        self.rows += count
        return count

    def _start(self) -> StreamingSheet:
        self.sheet = self._new_sheet(self.spec)
        self._xml = CellXml(self.sheet)
        return self.sheet

    def _write(
        self, shown: Shown, watch_url: str | None, repeated: dict[tuple[int, str], Made]
    ) -> None:
        """One row, as text when every cell can be (nearly always), else through openpyxl.

        The loop runs for every cell of a large library, so it is kept flat: no call but
        the ones that make a cell's text, and repeated labels from ``repeated``.
        """
        sheet, xml, cells, kinds, letters = (
            self.sheet,
            self._xml,
            self._cells,
            self._kinds,
            self._letters,
        )
        assert sheet is not None and xml is not None  # started before the first row
        number = str(sheet.next_row)
        links_before = self._links
        parts: list[str] = []
        links: list[Hyperlink] = []
        lines = 1
        for index, value in enumerate(shown):
            if value is None:
                continue
            link = None
            if isinstance(value, str):
                if kinds[index] == "text":
                    text, style = cells.text_look(value)
                    fragment = xml.text(text, style)
                    entry_lines = self._lines(index, value)
                else:
                    made = repeated.get((index, value))
                    if made is None:
                        text, style = cells.text_look(value)
                        made = repeated[index, value] = (
                            xml.text(text, style),
                            self._lines(index, value),
                        )
                    fragment, entry_lines = made
                if entry_lines > lines:
                    lines = entry_lines
            else:
                entry = self._number(index, kinds[index], value, watch_url)
                fragment = xml.number(entry.value, entry.style)
                link = entry.link
            if not fragment:
                self._links = links_before  # counted again as openpyxl's row is made
                self._write_through_openpyxl(shown, watch_url)
                return
            place = letters[index] + number
            parts.append(f'<c r="{place}"{fragment}')
            if link is not None:
                links.append(Hyperlink(ref=place, target=link))
        start = self._row_starts.get(lines)
        if start is None:
            height = row_height(lines, self._theme.fonts.size_pt)
            start = self._row_starts[lines] = "" if height is None else f' ht="{height:g}"'
        # Every fragment is ASCII (see CellXml.text).
        row = f'<row r="{number}"{start}>{"".join(parts)}</row>'.encode("ascii")
        sheet.append_row(XmlRow(row, links))

    def _write_through_openpyxl(self, shown: Shown, watch_url: str | None) -> None:
        """The row as entries, for openpyxl's writer to write or refuse."""
        entries: list[Entry | None] = []
        lines = 1
        for index, value in enumerate(shown):
            if value is None:
                entries.append(None)
            elif isinstance(value, str):
                entries.append(self._cells.text_entry(value))
                lines = max(lines, self._lines(index, value))
            else:
                entries.append(self._number(index, self._kinds[index], value, watch_url))
        assert self.sheet is not None
        self.sheet.append_row(EntryRow(entries), row_height(lines, self._theme.fonts.size_pt))

    def _number(self, index: int, kind: str, value: Value, watch_url: str | None) -> Entry:
        if kind == "time" and isinstance(value, int):
            linked = watch_url if self._links < LINKS_PER_SHEET else None
            entry = self._cells.time(value, linked)
            self._links += entry.link is not None
            return entry
        if kind == "money" and isinstance(value, tuple):
            return self._cells.money(*value)
        if isinstance(value, int | float):
            return self._cells.number_entry(value)
        raise TypeError(f"{self.spec.title}: {self.headers[index]}: cannot store {value!r}")

    def _lines(self, index: int, text: str) -> int:
        return wrapped_lines(text, self._widths[index])

    def _measure(self, shown: Shown) -> None:
        for index, (column, value) in enumerate(zip(self.columns, shown, strict=True)):
            if value is not None:
                self._content[index] = max(self._content[index], content_width(column.kind, value))

    def _release(self) -> None:
        """Size the columns on the rows held so far, write the header, then those rows."""
        sheet, held = self.sheet, self._held
        assert sheet is not None and held is not None
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
        repeated: dict[tuple[int, str], Made] = {}
        for shown, watch_url in held:
            self._write(shown, watch_url, repeated)

    def finish(self) -> None:
        """Write what is still held and declare the rows a table; a sheet without rows
        was never created, as an empty section is left out everywhere."""
        if self.sheet is None:
            return
        if self._held is not None:
            self._release()
        add_table(
            self.sheet,
            self.spec.table,
            self.headers,
            first_row=1,
            data_rows=self.rows,
            style=self._theme.tables.xlsx_style,
        )
