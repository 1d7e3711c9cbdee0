"""Reading the tracker already there: its rows by ID, what the team wrote in them, and
the columns it added. Whatever made the file (this tool, openpyxl, LibreOffice, Excel),
each problem is one ``TrackerFileError`` naming the file, the cell and what is wrong.

The tool's columns are found by their headers, wherever the team moved them; any other
header is a column the team added. The team's sort order does not matter.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet

from briefing.tracker.cells import SECONDS_PER_DAY
from briefing.tracker.columns import (
    CLASS,
    DUE_BY,
    EPISODE,
    HORIZON,
    ID,
    KNOWN_HEADERS,
    NOT_IN_LIBRARY,
    PUBLISHED,
    SEGMENT,
    SHEET,
    STATEMENT,
    SUMMARY_SHEET,
    TEAM_HEADERS,
    TIME,
    TITLE,
    YEARS,
)
from briefing.tracker.columns import IN_LIBRARY_COLUMN as LIBRARY
from briefing.tracker.rows import Row, TeamCell, ToolValues
from briefing.tracker.writing import AddedColumn


class TrackerFileError(Exception):
    """A tracker file that cannot be updated; the message is the whole line."""


@dataclass(frozen=True)
class Existing:
    rows: list[Row]
    added: list[AddedColumn]


def read_tracker(path: Path) -> Existing:
    book = _open(path)
    extra = [name for name in book.sheetnames if name not in (SHEET, SUMMARY_SHEET)]
    if SHEET not in book.sheetnames:
        raise TrackerFileError(
            f"{path}: no sheet named {SHEET!r}, so it is not a tracker; "
            "give another file name to start a new one"
        )
    if extra:
        raise TrackerFileError(
            f"{path}: sheet {extra[0]!r} is not the tracker's and would be lost when the "
            "tracker is rewritten; move it into a workbook of its own first"
        )
    return _Reader(path, book[SHEET]).read()


def _open(path: Path) -> Any:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (LibreOffice's extensions, say); the
            # tracker rebuilds them, so these are not the team's concern.
            warnings.simplefilter("ignore")
            return load_workbook(path, data_only=False)
    except OSError as error:
        raise TrackerFileError(f"{path}: cannot read: {error.strerror or error}") from None
    except Exception as error:  # openpyxl and zipfile raise many kinds for a bad file
        reason = str(error) or type(error).__name__
        raise TrackerFileError(
            f"{path}: cannot read: not an Excel workbook (.xlsx): {reason}"
        ) from None


class _Reader:
    def __init__(self, path: Path, sheet: Worksheet) -> None:
        self.path = path
        self.sheet = sheet
        self.columns: dict[str, int] = {}
        """Header -> column number, from 1."""
        self.added: list[tuple[str, int]] = []

    def fail(self, cell: str, message: str) -> TrackerFileError:
        return TrackerFileError(f"{self.path}:{SHEET}!{cell}: {message}")

    def read(self) -> Existing:
        self._headers()
        rows: list[Row] = []
        seen: dict[str, int] = {}
        id_letter = get_column_letter(self.columns[ID.header])
        for number, cells in enumerate(self.sheet.iter_rows(min_row=2), 2):
            if all(cell.value is None or cell.value == "" for cell in cells):
                continue  # a blank row, perhaps left by a deleted one
            row_id = _text(self._cell(cells, ID.header))
            if row_id is None:
                raise self.fail(
                    f"{id_letter}{number}",
                    "this row has no ID, and rows are matched by ID; "
                    "put its ID back or clear the whole row",
                )
            if row_id in seen:
                raise self.fail(
                    f"{id_letter}{number}", f"ID {row_id!r} is also in row {seen[row_id]}"
                )
            seen[row_id] = number
            rows.append(Row(row_id, self._tool(cells, row_id), self._team(cells)))
        widths = _widths(self.sheet)
        added = [AddedColumn(header, widths.get(column)) for header, column in self.added]
        return Existing(rows, added)

    def _headers(self) -> None:
        header_row = next(self.sheet.iter_rows(min_row=1, max_row=1), ())
        used = _used_columns(self.sheet)
        for cell in header_row:
            header = _text(cell)
            letter = get_column_letter(cell.column)
            if header is None:
                if cell.column not in used:
                    continue  # formatting only: nothing to keep
                header = f"Column {letter}"
            if header in self.columns:
                other = get_column_letter(self.columns[header])
                raise self.fail(f"{letter}1", f"two columns are headed {header!r} ({other}1 too)")
            self.columns[header] = cell.column
            if header not in KNOWN_HEADERS:
                self.added.append((header, cell.column))
        if ID.header not in self.columns:
            raise self.fail("A1", f"no {ID.header!r} column in the header row")

    def _cell(self, cells: Sequence[Cell], header: str) -> Cell | None:
        column = self.columns.get(header)
        if column is None or column > len(cells):
            return None
        return cells[column - 1]

    def _tool(self, cells: Sequence[Cell], row_id: str) -> ToolValues:
        """What the tool wrote (or what is left of it): kept for rows no longer in the
        library, and what a prediction is matched on."""

        def value(header: str) -> Any:
            found = self._cell(cells, header)
            return None if found is None else found.value

        return ToolValues(
            episode=_text(self._cell(cells, EPISODE.header)) or "",
            statement=_text(self._cell(cells, STATEMENT.header)) or "",
            title=_text(self._cell(cells, TITLE.header)),
            published=_date(value(PUBLISHED.header)),
            at=_seconds(value(TIME.header)),
            segment=_text(self._cell(cells, SEGMENT.header)),
            horizon=_text(self._cell(cells, HORIZON.header)),
            years=_number(value(YEARS.header)),
            horizon_class=_text(self._cell(cells, CLASS.header)),
            due=_date(value(DUE_BY.header)),
            in_library=_text(self._cell(cells, LIBRARY.header)) != NOT_IN_LIBRARY,
        )

    def _team(self, cells: Sequence[Cell]) -> dict[str, TeamCell]:
        team = {}
        for header in (*TEAM_HEADERS, *(header for header, _ in self.added)):
            found = self._cell(cells, header)
            if found is None or found.value is None or found.value == "":
                continue
            value = found.value
            if isinstance(value, datetime) and value.time() == time():
                value = value.date()  # a date, however the office suite stored it
            team[header] = TeamCell(value, found.data_type == "s", found.number_format)
        return team


def _used_columns(sheet: Worksheet) -> set[int]:
    return {
        cell.column
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.value is not None and cell.value != ""
    }


def _widths(sheet: Worksheet) -> dict[int, float]:
    """Column widths the workbook sets, by column number (a dimension may span several)."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        if not dimension.customWidth or not dimension.width:
            continue
        first = dimension.min or 1
        for column in range(first, (dimension.max or first) + 1):
            widths[column] = round(float(dimension.width), 2)
    return widths


def _text(cell: Cell | None) -> str | None:
    if cell is None or cell.value is None:
        return None
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 0 < value < 2_958_466:
        return from_excel(value).date()
    return None


def _seconds(value: Any) -> int | None:
    """A time cell as seconds, whether it reads back as a duration, a time of day or a
    fraction of a day."""
    if isinstance(value, timedelta):
        return round(value.total_seconds())
    if isinstance(value, datetime):
        return round((value - datetime(1899, 12, 30)).total_seconds())
    if isinstance(value, time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, int | float) and value >= 0:
        return round(value * SECONDS_PER_DAY)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else float(value)
