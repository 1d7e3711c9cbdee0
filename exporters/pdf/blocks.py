"""Building blocks shared by the briefing's parts: section headings and tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, Table, TableStyle

from exporters.pdf.styles import Styles
from exporters.pdf.tagging import TableTagging, tree_of
from exporters.pdf.text import Paragraph

RULE_GAP = 5.0
ACCENT_BAR = 26.0


def destination(key: str) -> str:
    """The named destination of a part of the briefing, for links and the outline."""
    return f"section-{key}"


def heading(title: str, key: str, styles: Styles, room: float | None = None) -> list[Flowable]:
    """A section heading that never ends a page: it moves to the next page unless
    there is ``room`` below it (by default a few lines) for the start of its section.
    (Keeping it with the whole next table instead would leave half-empty pages.)"""
    section_heading = SectionHeading(title, key, styles)
    own_height = section_heading.spaceBefore + styles.h1.leading + RULE_GAP
    needed = own_height + section_heading.spaceAfter + (styles.unit * 4 if room is None else room)
    return [CondPageBreak(needed + 1), section_heading]


class SectionHeading(Flowable):
    """A section title over a hairline rule; also the section's outline entry and link target.

    The bookmark is set when the heading is drawn, so it lands on the page where
    the heading really ends up.
    """

    def __init__(self, title: str, key: str, styles: Styles, role: str = "H2") -> None:
        super().__init__()
        self.title = title
        self.key = key
        self.styles = styles
        self.paragraph = styles.para(title, styles.h1, tag=role)
        self.spaceBefore = styles.unit * 1.8
        self.spaceAfter = styles.unit * 0.8

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _width, height = self.paragraph.wrap(available_width, available_height)
        self.width = available_width
        self.height = height + RULE_GAP
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        palette = self.styles.palette
        self.paragraph.drawOn(canvas, 0, RULE_GAP)
        tree = tree_of(canvas)
        if tree is not None:
            tree.begin_artifact(canvas)
        canvas.saveState()
        canvas.setStrokeColor(palette.rule)
        canvas.setLineWidth(0.5)
        canvas.line(0, 0, self.width, 0)
        canvas.setFillColor(palette.accent)
        canvas.rect(0, -1, ACCENT_BAR, 2, stroke=0, fill=1)
        canvas.restoreState()
        if tree is not None:
            tree.end_marked(canvas)
        canvas.bookmarkHorizontal(destination(self.key), 0, self.height + self.styles.unit)
        canvas.addOutlineEntry(self.title, destination(self.key), level=0)


class OutlineAnchor(Flowable):
    """An outline entry and link target, with no size, for a part that has no heading of its own."""

    def __init__(self, title: str, key: str, styles: Styles) -> None:
        super().__init__()
        self.title = title
        self.key = key
        self.styles = styles
        self.keepWithNext = True
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(destination(self.key), 0, self.styles.unit)
        self.canv.addOutlineEntry(self.title, destination(self.key), level=0)


class _Table(Table):
    """A table that cuts a row in two only when the row is taller than a page.

    reportlab places the rows that fit and then offers the rest of the table to
    the same frame, where it would cut the next row however short it is; here a
    row that fits on a page of its own moves to the next page whole instead.
    """

    page_room: float = 0.0

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self._calc(available_width, available_height)
        parts = self._splitRows(available_height, doInRowSplit=False)
        if not parts:
            header = sum(self._rowHeights[: self.repeatRows])
            next_row = self._rowHeights[min(self.repeatRows, len(self._rowHeights) - 1)]
            if header + next_row <= self.page_room:
                return []
            parts = super().split(available_width, available_height)
        for part in parts:
            part.page_room = self.page_room
        return parts

    def _splitCell(
        self, value: object, style: Any, old_height: float, new_height: float, width: float
    ) -> object:
        """reportlab's cell split, with the cell's flowables split at the width inside its
        padding, where they are wrapped and drawn (reportlab splits them at the column's
        width): a paragraph's rest keeps the lines it was broken into for that width
        (``exporters.pdf.continued``), and the first part is as tall as it was measured."""
        inner = style.copy()
        inner.leftPadding = inner.rightPadding = 0
        content_width = width - style.leftPadding - style.rightPadding
        return super()._splitCell(value, inner, old_height, new_height, content_width)


def plain_table(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    styles: Styles,
    commands: Sequence[tuple[object, ...]],
    repeat_rows: int = 0,
    tagging: TableTagging | None = None,
) -> Table:
    """A table that splits between rows (inside one only when it is taller than a page),
    tagged as ``tagging`` says (by default a layout table: its content is tagged on its own).

    Its base font is the body face: reportlab would otherwise set Helvetica for
    each cell, which would then be listed (unembedded) among the PDF's fonts.
    """
    base: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), styles.faces.body.fontName, styles.theme.fonts.size_pt),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    result = _Table(
        [list(row) for row in rows],
        colWidths=list(widths),
        style=TableStyle([*base, *commands]),
        repeatRows=repeat_rows,
        splitInRow=1,
        hAlign="LEFT",
        renderCB=tagging or TableTagging("layout"),
    )
    result.page_room = styles.frame_height
    return result


ROWS_PER_TABLE = 100
"""The most rows one reportlab table is given. reportlab makes a new table of all the
rows still to come each time it splits one over a page, so a table of thousands of
rows takes time that grows with its square (3,000 predictions: minutes); longer lists
are set as consecutive tables of this many rows, each starting with the header, if
there is one. Even, so that banded rows keep alternating across tables."""


def tables(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    styles: Styles,
    header: bool = False,
    banded: bool = False,
    padding: float = 5.0,
) -> list[Table]:
    """A ruled table of Paragraph cells, its header row (if any) repeated on every page,
    as one table or, when long, as several (see ``ROWS_PER_TABLE``). With a header it is
    tagged as a table, without one as a list whose first column labels each entry."""
    palette = styles.palette
    commands: list[tuple[object, ...]] = [
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding + 1),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, palette.rule),
    ]
    first_body_row = 1 if header else 0
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), palette.header_background),
            ("TOPPADDING", (0, 0), (-1, 0), 4),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
        ]
    if banded:
        commands.append(("ROWBACKGROUNDS", (0, first_body_row), (-1, -1), [None, palette.band]))
    head, body = list(rows[:first_body_row]), list(rows[first_body_row:])
    parts = [body[start : start + ROWS_PER_TABLE] for start in range(0, len(body), ROWS_PER_TABLE)]
    tagging = TableTagging("table" if header else "list", header_rows=first_body_row)
    return [
        plain_table(
            [*head, *part], widths, styles, commands, repeat_rows=first_body_row, tagging=tagging
        )
        for part in parts or [[]]
    ]


def header_cells(names: Sequence[str], styles: Styles) -> list[Paragraph]:
    return [styles.para(name, styles.table_header) for name in names]
