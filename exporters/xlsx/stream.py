"""Streaming openpyxl: sheets that take ready-made cells, data sheets as Excel tables,
and a zip that is reproducible without holding the package twice.

What openpyxl's write-only mode allows, read from its source (3.1): a sheet writes
its rows to a stream of its own as they come (here a scratch stream the pipeline
gives, ``RenderContext.scratch``), so rows can
go to several sheets in turn; ``freeze_panes``, ``column_dimensions``, print
settings and the sheet properties are written with the first row, so they are set
before it; tables (``add_table``) and hyperlinks are written when the sheet is
closed at save time, so a table's range can be set after its last row; a table's
columns must be named by hand, as there is no header row to read back.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from briefing.formats import Scratch
from exporters.ooxml import fixed_entry
from exporters.xlsx.rows import EntryRow, RowText, XmlRow
from styles import Theme


class _SpooledSheetWriter(WorksheetWriter):
    """openpyxl's sheet writer, writing to a scratch stream instead of the named
    temporary file openpyxl would make for every write-only sheet, and taking rows
    already written as text (``exporters.xlsx.rows``) straight to that stream.

    Row numbers come from the sheet's own count (``StreamingSheet.next_row``), as rows
    of text do not pass through openpyxl's row generator; text is gathered and written
    in chunks, before anything lxml writes and when the sheet is closed.
    """

    _CHUNK = 1 << 16

    def __init__(self, sheet: StreamingSheet) -> None:
        # Open for the life of the writer: cleanup() closes it, after the zip has it.
        super().__init__(sheet, out=sheet.scratch())
        self._rows = RowText(sheet)
        self._xf: object | None = None
        self._xml_pending = True
        """lxml may hold XML not yet in ``out`` (at first the ``<sheetData>`` tag)."""
        self._text: list[bytes] = []
        self._text_size = 0

    def write_row(self, xf: object, row: Iterable[Cell] | EntryRow | XmlRow, row_idx: int) -> None:
        self._xf = xf
        number = self.ws._rows_appended
        if isinstance(row, XmlRow):
            self.write_text_row(row)
            return
        if isinstance(row, EntryRow):
            row = row.cells(self.ws, number)
        cells = list(row)
        attributes = {"r": f"{number}"}
        attributes.update(self.ws.row_dimensions.get(number, {}))
        text = self._rows.text(cells, attributes)
        if text is None:
            self.flush_text()
            super().write_row(xf, cells, number)
            self._xml_pending = True
        else:
            self._add_text(text)

    @property
    def started(self) -> bool:
        """Whether a row has come through openpyxl, so ``<sheetData>`` is open."""
        return self._xf is not None

    def write_text_row(self, row: XmlRow) -> None:
        self._add_text(row.xml)
        # openpyxl collects a sheet's links as it writes their cells.
        self.ws._hyperlinks.extend(row.links)

    def _add_text(self, text: bytes) -> None:
        if self._xml_pending:
            # What lxml holds goes out first, so the row lands where it belongs.
            self._xf.flush()  # type: ignore[union-attr]
            self._xml_pending = False
        self._text.append(text)
        self._text_size += len(text)
        if self._text_size >= self._CHUNK:
            self.flush_text()

    def flush_text(self) -> None:
        if self._text:
            self.out.write(b"".join(self._text))
            self._text.clear()
            self._text_size = 0

    def cleanup(self) -> None:
        self.out.close()


class StreamingSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are lists of finished cells (or None for a blank).

    openpyxl's own write-only ``append`` assigns every value to a scratch cell and
    tells a ready cell from a value by catching the ValueError that assignment
    raises, message and all: a third of the time of a large sheet. Here each cell
    is only given its place, a row of entries (``exporters.xlsx.rows``) goes to the
    writer untouched, and a row of text goes straight to the writer's stream once
    openpyxl has opened the sheet's data.
    """

    _rows_appended = 0
    scratch: Scratch

    @property
    def next_row(self) -> int:
        """The number the next row appended gets (every row goes through ``append_row``)."""
        return self._rows_appended + 1

    def append_row(
        self, cells: list[Cell | None] | EntryRow | XmlRow, height: float | None = None
    ) -> None:
        """Append a row; ``height`` in points, for rows of wrapped text (an ``XmlRow``
        carries its own).

        The height is written without ``customHeight``: LibreOffice takes it as it is,
        and Excel still refits the row when a cell is edited.
        """
        self._rows_appended += 1
        writer = self._writer
        if isinstance(cells, XmlRow) and writer is not None and writer.started:
            writer.write_text_row(cells)
            return
        if height is None:
            self.append(cells)
            return
        # openpyxl adds a row's entry in row_dimensions to its <row> element when it
        # writes it; the entry is dropped again at once, so nothing grows with the sheet.
        self.row_dimensions[self._rows_appended] = {"ht": f"{height:g}"}
        try:
            self.append(cells)
        finally:
            del self.row_dimensions[self._rows_appended]

    def close(self) -> None:
        # Text still gathered goes out before openpyxl closes ``<sheetData>``.
        if self._writer is not None:
            self._writer.flush_text()
        super().close()

    _writer: _SpooledSheetWriter | None

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = _SpooledSheetWriter(self)
            self._writer.write_top()

    def _values_to_row(
        self, values: Iterable[Cell | None] | EntryRow | XmlRow, row_idx: int
    ) -> Iterator[Cell] | EntryRow | XmlRow:
        # A row of entries or of text goes to the writer as it is: it places them itself.
        if isinstance(values, EntryRow | XmlRow):
            return values
        # openpyxl's count (row_idx) misses the rows of text that went past it.
        return self._placed(values, self._rows_appended)

    def _placed(self, values: Iterable[Cell | None], row_idx: int) -> Iterator[Cell]:
        for column, cell in enumerate(values, 1):
            if cell is None:
                continue
            cell.column = column
            cell.row = row_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            yield cell


def add_sheet(workbook: Workbook, title: str, index: int, scratch: Scratch) -> StreamingSheet:
    sheet = StreamingSheet(parent=workbook, title=title)
    sheet.scratch = scratch
    # Workbook.create_sheet can only make openpyxl's own sheet class.
    workbook._add_sheet(sheet, index)
    return sheet


_PAPER = {"A4": Worksheet.PAPERSIZE_A4, "Letter": Worksheet.PAPERSIZE_LETTER}
_MM_PER_INCH = 25.4


def prepare_for_print(sheet: StreamingSheet, theme: Theme, header_rows: str | None) -> None:
    """Landscape, one page wide, the theme's paper and margins, the header on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = _PAPER[theme.page.size]
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    page = theme.page
    sheet.page_margins.top = page.margin_top_mm / _MM_PER_INCH
    sheet.page_margins.bottom = page.margin_bottom_mm / _MM_PER_INCH
    sheet.page_margins.left = page.margin_left_mm / _MM_PER_INCH
    sheet.page_margins.right = page.margin_right_mm / _MM_PER_INCH
    if header_rows:
        sheet.print_title_rows = header_rows


def set_widths(sheet: StreamingSheet, widths: Iterable[float]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def add_table(
    sheet: StreamingSheet,
    name: str,
    headers: list[str],
    first_row: int,
    data_rows: int,
    style: str,
) -> Table:
    """Declare rows ``first_row`` (the header) to ``first_row + data_rows`` an Excel table."""
    last_column = get_column_letter(len(headers))
    # Excel wants at least one row under the header; an empty table keeps a blank one.
    ref = f"A{first_row}:{last_column}{first_row + max(data_rows, 1)}"
    table = Table(
        displayName=name,
        ref=ref,
        autoFilter=AutoFilter(ref=ref),
        tableColumns=[
            TableColumn(id=index, name=header) for index, header in enumerate(headers, 1)
        ],
        tableStyleInfo=TableStyleInfo(name=style, showRowStripes=True),
    )
    with warnings.catch_warnings():
        # openpyxl warns that write-only tables need their columns named by hand: done above.
        warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
        sheet.add_table(table)
    return table


def unique_headers(headers: Iterable[str]) -> list[str]:
    """Table column names must differ; a repeated one gets a number (``类别 2``)."""
    seen: set[str] = set()
    result = []
    for header in headers:
        name, number = header, 1
        while name.casefold() in seen:
            number += 1
            name = f"{header} {number}"
        seen.add(name.casefold())
        result.append(name)
    return result


class FixedTimeZip(zipfile.ZipFile):
    """A zip whose every entry carries one time and fixed attributes, written as it comes.

    The entries are those ``exporters.ooxml.reproducible_zip`` would give, but the
    worksheets, which openpyxl spools to temporary files, are copied in chunks
    instead of being held in memory a second time for a rewrite.
    """

    def __init__(self, file: IO[bytes], when: datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self._when = when

    def _entry(self, name: str, size: int) -> zipfile.ZipInfo:
        entry = fixed_entry(name, self._when)
        entry.file_size = size
        return entry

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: str | bytes,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        super().writestr(self._entry(str(name), len(payload)), payload)

    def write(
        self,
        filename: str | Path | IO[bytes],
        arcname: str | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Copy a sheet's spooled XML (or a file) into the zip in chunks."""
        if isinstance(filename, str | Path):
            with Path(filename).open("rb") as source:
                self._copy(source, arcname or Path(filename).name)
        else:
            self._copy(filename, str(arcname))

    def _copy(self, source: IO[bytes], name: str) -> None:
        size = source.seek(0, io.SEEK_END)
        source.seek(0)
        with self.open(self._entry(name, size), "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)


def discard_spools(workbook: Workbook) -> None:
    """Close the spools of sheets that were never saved (after a failure)."""
    for sheet in workbook.worksheets:
        writer = getattr(sheet, "_writer", None)
        if writer is None:
            continue
        # Close the row stream, then the XML, in the order openpyxl's own close() does.
        rows = getattr(sheet, "_rows", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
            writer.close()
        writer.cleanup()
