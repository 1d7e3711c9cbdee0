"""The Tracker sheet: one row per prediction, an Excel table with filters, the Status
dropdown, the date check on Resolved on and the highlight of overdue open predictions.

The highlight is a conditional format whose rule calls ``TODAY()``: Excel and
LibreOffice evaluate it when the workbook is opened, so the file itself never depends
on the day it was written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from briefing.tracker.cells import (
    DATE_FORMAT,
    DURATION_FORMAT,
    SECONDS_PER_DAY,
    Looks,
    argb,
    column_width,
    fit_to_cell,
    put_text,
    row_height,
    text_width,
    tint,
    wrapped_lines,
)
from briefing.tracker.columns import (
    ADDED_CAP,
    COLUMNS,
    DUE_BY,
    IN_LIBRARY,
    NOT_IN_LIBRARY,
    RESOLVED_ON,
    STATUS,
    STATUSES,
    TABLE,
    TEAM_COLUMNS,
    TOOL_COLUMNS,
    Column,
    position,
)
from briefing.tracker.rows import Row, TeamCell, ToolValues
from styles import Theme

_PAPER = {"A4": Worksheet.PAPERSIZE_A4, "Letter": Worksheet.PAPERSIZE_LETTER}
_MM_PER_INCH = 25.4
_OVERDUE_SHARE = 0.3
"""How much of the theme's accent colour the overdue highlight keeps (the rest white)."""
Value = str | int | float | date | None


@dataclass(frozen=True)
class AddedColumn:
    """A column the team added to the right of the tool's, kept by header."""

    header: str
    width: float | None = None
    """As the workbook had it; None: sized to its content."""


def tool_cells(row_id: str, tool: ToolValues) -> tuple[Value, ...]:
    """The tool's values of a row, in the order of ``columns.TOOL_COLUMNS``."""
    return (
        row_id,
        tool.episode,
        tool.title,
        tool.published,
        tool.at,
        tool.segment,
        tool.statement,
        tool.horizon,
        tool.years,
        tool.horizon_class,
        tool.due,
        IN_LIBRARY if tool.in_library else NOT_IN_LIBRARY,
    )


class TrackerSheet:
    def __init__(self, sheet: Worksheet, theme: Theme, added: Sequence[AddedColumn]) -> None:
        self.sheet = sheet
        self.theme = theme
        self.looks = Looks.of(theme)
        self.added = list(added)
        self.headers = [column.header for column in COLUMNS] + [a.header for a in self.added]
        self._content = [0.0] * len(self.headers)

    def write(self, rows: Sequence[Row]) -> None:
        sheet = self.sheet
        for index, header in enumerate(self.headers, 1):
            cell = sheet.cell(row=1, column=index)
            put_text(cell, header)
            cell.font, cell.fill = self.looks.header, self.looks.header_fill
            cell.alignment = self.looks.header_alignment
        lines: list[list[tuple[int, str]]] = []
        for number, row in enumerate(rows, 2):
            lines.append(self._write_row(number, row))
        widths = self._widths()
        for index, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        size = self.theme.fonts.size_pt
        for number, texts in enumerate(lines, 2):
            tallest = max((wrapped_lines(text, widths[i]) for i, text in texts), default=1)
            height = row_height(tallest, size)
            if height is not None:
                sheet.row_dimensions[number].height = height
        last = max(len(rows) + 1, 2)  # a table needs a row under its header, even empty
        self._finish(last)

    def _write_row(self, number: int, row: Row) -> list[tuple[int, str]]:
        """Write one row; returns its text cells (column index, text) for the row height."""
        font = self.looks.body if row.tool.in_library else self.looks.muted
        texts = []
        for index, (column, value) in enumerate(
            zip(TOOL_COLUMNS, tool_cells(row.id, row.tool), strict=True)
        ):
            cell = self.sheet.cell(row=number, column=index + 1)
            self._put_tool(cell, column, value)
            cell.font = font
            if isinstance(value, str):
                texts.append((index, str(cell.value)))
        team_columns = [*TEAM_COLUMNS, *(Column(a.header, "text", ADDED_CAP) for a in self.added)]
        for index, column in enumerate(team_columns, len(TOOL_COLUMNS)):
            found = row.team.get(column.header)
            cell = self.sheet.cell(row=number, column=index + 1)
            cell.font = font
            cell.alignment = self.looks.wrap
            if column is RESOLVED_ON:
                cell.number_format = DATE_FORMAT
            if found is None:
                continue
            _put_team(cell, found, keep_format=index >= len(COLUMNS))
            if column is RESOLVED_ON and isinstance(found.value, date):
                cell.alignment = self.looks.centred
            self._measure(index, cell.value)
            if isinstance(cell.value, str) and found.text:
                texts.append((index, cell.value))
        return texts

    def _put_tool(self, cell: Cell, column: Column, value: Value) -> None:
        if value is None:
            return
        if isinstance(value, str):
            put_text(cell, fit_to_cell(value))
            cell.alignment = self.looks.wrap
        elif column.kind == "time" and isinstance(value, int):
            cell.value = value / SECONDS_PER_DAY
            cell.number_format = DURATION_FORMAT
            cell.alignment = self.looks.centred
        else:
            cell.value = value
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            cell.alignment = self.looks.centred
        self._measure(COLUMNS.index(column), cell.value, column.kind)

    def _measure(self, index: int, value: object, kind: str = "text") -> None:
        if isinstance(value, str):
            width = text_width(value)
        elif kind == "time":
            width = 8.0
        elif isinstance(value, date | datetime):
            width = 10.0
        else:
            width = float(min(len(str(value)), 11))
        self._content[index] = max(self._content[index], width)

    def _widths(self) -> list[float]:
        caps = [column.cap for column in COLUMNS] + [ADDED_CAP] * len(self.added)
        widths = [
            column_width(header, content, cap)
            for header, content, cap in zip(self.headers, self._content, caps, strict=True)
        ]
        for index, column in enumerate(COLUMNS):
            widths[index] = max(widths[index], column.least)
        for offset, added in enumerate(self.added):
            if added.width is not None:
                widths[len(COLUMNS) + offset] = added.width
        return widths

    def _finish(self, last: int) -> None:
        sheet = self.sheet
        end = get_column_letter(len(self.headers))
        ref = f"A1:{end}{last}"
        style = TableStyleInfo(name=self.theme.tables.xlsx_style, showRowStripes=True)
        sheet.add_table(Table(displayName=TABLE, ref=ref, tableStyleInfo=style))
        sheet.freeze_panes = "A2"
        status = get_column_letter(position(STATUS))
        resolved = get_column_letter(position(RESOLVED_ON))
        due = get_column_letter(position(DUE_BY))
        choices = DataValidation(
            type="list",
            formula1='"' + ",".join(STATUSES) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Status",
            error="Pick one of: " + ", ".join(STATUSES) + ".",
        )
        choices.add(f"{status}2:{status}{last}")
        dates = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="1",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Resolved on",
            error="A date, such as 2026-03-31.",
        )
        dates.add(f"{resolved}2:{resolved}{last}")
        sheet.add_data_validation(choices)
        sheet.add_data_validation(dates)
        overdue = FormulaRule(
            formula=[f'AND(${status}2="{STATUSES[0]}",ISNUMBER(${due}2),${due}2<TODAY())'],
            fill=PatternFill(bgColor=tint(self.theme.colours.accent, _OVERDUE_SHARE)),
            font=Font(bold=True, color=argb(self.theme.colours.text)),
        )
        sheet.conditional_formatting.add(f"A2:{end}{last}", overdue)
        prepare_for_print(sheet, self.theme, header_rows="1:1")


def _put_team(cell: Cell, found: TeamCell, keep_format: bool) -> None:
    value = found.value
    if found.text and isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value
    if keep_format:
        cell.number_format = found.number_format
    elif isinstance(value, datetime | date) and not isinstance(value, time | timedelta):
        cell.number_format = DATE_FORMAT


def prepare_for_print(sheet: Worksheet, theme: Theme, header_rows: str | None) -> None:
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
