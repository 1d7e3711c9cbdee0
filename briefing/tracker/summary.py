"""The Summary sheet: counts by class and status, by episode, and a stacked bar chart
of status by class (a native chart Excel and LibreOffice draw themselves).

The counts are COUNTIFS formulas over the Tracker sheet, so they follow the team's
edits as soon as a Status changes, without another run; Overdue compares Due by with
``TODAY()`` when the workbook is opened. Only rows still in the library are counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from briefing.tracker.cells import Looks, put_text
from briefing.tracker.columns import (
    CLASS,
    CLASSES,
    DUE_BY,
    EPISODE,
    IN_LIBRARY,
    IN_LIBRARY_COLUMN,
    NOT_IN_LIBRARY,
    SHEET,
    STATUS,
    STATUSES,
    Column,
    position,
)
from briefing.tracker.rows import Row
from briefing.tracker.writing import prepare_for_print
from styles import Theme

OTHER = "other"
"""A Status that is blank or not one of the dropdown's."""
COUNT_HEADERS = (*STATUSES, OTHER, "Total", "Overdue")
CLASS_HEADER_ROW = 4
CHART_ROW = CLASS_HEADER_ROW + len(CLASSES) + 4
CHART_ROWS = 16
EPISODE_HEADER_ROW = CHART_ROW + CHART_ROWS + 1
SERIES_COLOURS = ("5B7083", "2E8540", "9BC53D", "C0392B", "8E8E8E", "D4C08A", "3D3D3D")
"""open, came true, partly, did not, withdrawn, unclear, other: told apart in grayscale too."""
_NOTE = (
    "Predictions in the library (In library = yes), counted by formulas over the Tracker "
    "sheet: they follow every change of Status. Overdue: open and past Due by, as of today."
)


def _range(column: Column, last: int) -> str:
    letter = get_column_letter(position(column))
    return f"{SHEET}!${letter}$2:${letter}${last}"


class Summary:
    def __init__(self, sheet: Worksheet, theme: Theme, last_row: int) -> None:
        self.sheet = sheet
        self.theme = theme
        self.looks = Looks.of(theme)
        self.last = last_row
        self._library = f'{_range(IN_LIBRARY_COLUMN, last_row)},"{IN_LIBRARY}"'

    def _count(self, *conditions: str) -> str:
        return "=COUNTIFS(" + ",".join([*conditions, self._library]) + ")"

    def _counts_row(self, number: int, condition: str, start: int = 2) -> None:
        """The status counts, other, total and overdue of the rows matching ``condition``,
        from column ``start`` on."""
        status = _range(STATUS, self.last)
        first = get_column_letter(start)
        last_status = get_column_letter(start + len(STATUSES) - 1)
        total_column = get_column_letter(start + len(STATUSES) + 1)
        formulas = [self._count(condition, f'{status},"{name}"') for name in STATUSES]
        formulas.append(f"={total_column}{number}-SUM({first}{number}:{last_status}{number})")
        formulas.append(self._count(condition))
        overdue = f'{_range(DUE_BY, self.last)},"<"&TODAY()'
        formulas.append(self._count(condition, f'{status},"{STATUSES[0]}"', overdue))
        for offset, formula in enumerate(formulas, start):
            cell = self.sheet.cell(row=number, column=offset, value=formula)
            cell.font, cell.alignment = self.looks.body, self.looks.centred

    def _header(self, number: int, headers: Sequence[str]) -> None:
        for index, header in enumerate(headers, 1):
            cell = self.sheet.cell(row=number, column=index)
            put_text(cell, header)
            cell.font, cell.fill = self.looks.header, self.looks.header_fill
            cell.alignment = self.looks.header_alignment

    def _label(self, number: int, column: int, text: str) -> None:
        cell = self.sheet.cell(row=number, column=column)
        put_text(cell, text)
        cell.font, cell.alignment = self.looks.body, self.looks.wrap

    def write(self, rows: Sequence[Row]) -> None:
        sheet = self.sheet
        heading = sheet.cell(row=1, column=1)
        put_text(heading, "Predictions by class and status")
        heading.font = self.looks.heading
        self._label(2, 1, _NOTE)
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COUNT_HEADERS) + 1)
        sheet.row_dimensions[2].height = 28
        self._header(CLASS_HEADER_ROW, ("Class", *COUNT_HEADERS))
        classes = _range(CLASS, self.last)
        for offset, name in enumerate(CLASSES, 1):
            self._label(CLASS_HEADER_ROW + offset, 1, name)
            self._counts_row(CLASS_HEADER_ROW + offset, f'{classes},"{name}"')
        total_row = CLASS_HEADER_ROW + len(CLASSES) + 1
        self._label(total_row, 1, "all classes")
        for column in range(2, len(COUNT_HEADERS) + 2):
            letter = get_column_letter(column)
            formula = f"=SUM({letter}{CLASS_HEADER_ROW + 1}:{letter}{total_row - 1})"
            cell = sheet.cell(row=total_row, column=column, value=formula)
            cell.font, cell.alignment = self.looks.body, self.looks.centred
        self._label(total_row + 1, 1, "Not in the library any more (not counted above)")
        sheet.merge_cells(
            start_row=total_row + 1, start_column=1, end_row=total_row + 1, end_column=4
        )
        removed = f'=COUNTIF({_range(IN_LIBRARY_COLUMN, self.last)},"{NOT_IN_LIBRARY}")'
        cell = sheet.cell(row=total_row + 1, column=5, value=removed)
        cell.font, cell.alignment = self.looks.body, self.looks.centred
        self._chart()
        self._episodes(rows)
        sheet.column_dimensions["A"].width = 24
        for column in range(2, len(COUNT_HEADERS) + 2):
            sheet.column_dimensions[get_column_letter(column)].width = 11
        sheet.column_dimensions[get_column_letter(len(COUNT_HEADERS) + 2)].width = 40
        prepare_for_print(sheet, self.theme, header_rows=None)

    def _chart(self) -> None:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.gapWidth = 60
        chart.title = "Status by class"
        chart.y_axis.title = "Predictions"
        chart.y_axis.majorGridlines = None
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        data = Reference(
            self.sheet,
            min_col=2,
            max_col=2 + len(STATUSES),
            min_row=CLASS_HEADER_ROW,
            max_row=CLASS_HEADER_ROW + len(CLASSES),
        )
        categories = Reference(
            self.sheet,
            min_col=1,
            min_row=CLASS_HEADER_ROW + 1,
            max_row=CLASS_HEADER_ROW + len(CLASSES),
        )
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(categories)
        for series, colour in zip(chart.series, SERIES_COLOURS, strict=True):
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        chart.width, chart.height = 22.0, 7.5
        chart.legend.position = "r"
        self.sheet.add_chart(chart, f"A{CHART_ROW}")

    def _episodes(self, rows: Sequence[Row]) -> None:
        titles: dict[str, str] = {}
        for row in sorted(rows, key=lambda row: row.tool.episode):
            if row.tool.in_library:
                titles.setdefault(row.tool.episode, row.tool.title or "")
        heading = self.sheet.cell(row=EPISODE_HEADER_ROW - 1, column=1)
        put_text(heading, "By episode")
        heading.font = self.looks.heading
        # The counts line up with the class table's; the title goes last, where it can be long.
        title_column = len(COUNT_HEADERS) + 2
        self._header(EPISODE_HEADER_ROW, ("Episode", *COUNT_HEADERS, "Title"))
        episodes = _range(EPISODE, self.last)
        for number, (episode, title) in enumerate(titles.items(), EPISODE_HEADER_ROW + 1):
            self._label(number, 1, episode)
            self._label(number, title_column, title)
            # Episode ids are letters, digits and hyphens: nothing COUNTIFS reads as a pattern.
            self._counts_row(number, f'{episodes},"{episode}"')
