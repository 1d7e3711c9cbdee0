"""The report under construction: styled paragraphs, bookmarked headings, tables.

Section writers call these few methods and never touch fonts or colours; every
paragraph gets a named style from ``exporters.docx.template``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph

from briefing.labels import Labels
from briefing.model import Episode, Segment
from briefing.values import format_timestamp
from exporters.docx.fields import (
    add_bookmark,
    add_internal_link,
    append_row,
    keep_row_on_one_page,
    make_element,
    put_in_order,
    repeat_as_header,
)
from exporters.docx.template import TABLE_HEADING, TABLE_STYLE, TABLE_TEXT
from exporters.docx.text import append_run, paragraph_element
from styles import Theme

SEPARATOR = " · "

Cell = str | Segment | None
"""What a table cell shows: text, a segment (its title, linked to its heading), or nothing."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int
    bookmark: str


class ReportBuilder:
    """Appends to a document; remembers headings for the table of contents."""

    def __init__(
        self,
        document: DocumentObject,
        style_ids: Mapping[str, str],
        episode: Episode,
        theme: Theme,
        labels: Labels,
    ) -> None:
        self.document = document
        self.style_ids = style_ids
        self.episode = episode
        self.theme = theme
        self.labels = labels
        self.headings: list[Heading] = []
        self._segment_bookmarks: dict[int, str] = {}
        self._body = document._body
        # Body paragraphs go before the closing section properties, found here once.
        self._end = document.element.body.sectPr

    # -- paragraphs -----------------------------------------------------------

    def paragraph(self, text: str | None = None, style: str = "Normal") -> Paragraph:
        element = paragraph_element(None if style == "Normal" else self.style_ids[style])
        self._end.addprevious(element)
        if text:
            append_run(element, text)
        return Paragraph(element, self._body)

    def set_style(self, paragraph: Paragraph, style: str) -> None:
        paragraph._p.style = self.style_ids[style]

    def run(self, paragraph: Paragraph, text: str, style: str | None = None) -> None:
        append_run(paragraph._p, text, None if style is None else self.style_ids[style])

    def heading(self, text: str, level: int, segment: Segment | None = None) -> Paragraph:
        """A Heading 1/2 with a bookmark around it, listed in the table of contents."""
        paragraph = self.paragraph(text, f"Heading {level}")
        bookmark = f"_Toc{len(self.headings) + 1:09d}"
        add_bookmark(paragraph, bookmark, len(self.headings) + 1)
        self.headings.append(Heading(text, level, bookmark))
        if segment is not None:
            self._segment_bookmarks[segment.at] = bookmark
        return paragraph

    def bookmark_for(self, segment: Segment) -> str | None:
        return self._segment_bookmarks.get(segment.at)

    def add_segment(self, paragraph: BaseOxmlElement, segment: Segment) -> None:
        """The segment's title at the end of a ``w:p``, linked to its heading if it has one."""
        bookmark = self.bookmark_for(segment)
        if bookmark is None:
            append_run(paragraph, segment.title)
        else:
            add_internal_link(paragraph, bookmark, segment.title)

    def add_moment(self, paragraph: Paragraph, at: int | None, segment: Segment | None) -> None:
        """``01:48 · The Decade of Agents``: a time always names the segment it falls in."""
        if at is not None:
            self.run(paragraph, format_timestamp(at))
        if segment is not None:
            if at is not None:
                self.run(paragraph, SEPARATOR)
            self.add_segment(paragraph._p, segment)

    # -- tables ---------------------------------------------------------------

    @property
    def text_width_mm(self) -> float:
        """What the section's margins leave: the theme's, or a reference document's."""
        section = self.document.sections[0]
        width, left, right = section.page_width, section.left_margin, section.right_margin
        if self.theme.reference_docx is None or width is None or left is None or right is None:
            return self.theme.page.text_width_mm
        return width.mm - left.mm - right.mm

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> Table:
        """A table in the house table style: the header row repeats on every page, rows
        never split across pages, and columns are as wide as their content needs."""
        widths = column_widths(
            headers,
            [[_cell_text(cell) for cell in row] for row in rows],
            self.text_width_mm,
            self.theme.fonts.size_pt * 0.9,
        )
        table = self.document.add_table(rows=1, cols=len(headers))
        table._tbl.tblPr.style = self.style_ids[TABLE_STYLE]
        table.autofit = False
        _use_header_row_and_bands(table)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        header = table.rows[0]
        keep_row_on_one_page(header)
        repeat_as_header(header)
        for cell, text, width in zip(header.cells, headers, widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            self.set_style(paragraph, TABLE_HEADING)
            self.run(paragraph, text)
        widths_twips = [width.twips for width in widths]
        text_style = self.style_ids[TABLE_TEXT]
        for values in rows:
            paragraphs = append_row(table._tbl, widths_twips, text_style)
            for paragraph, value in zip(paragraphs, values, strict=True):
                if isinstance(value, Segment):
                    self.add_segment(paragraph, value)
                elif value:
                    append_run(paragraph, value)
        return table


def _cell_text(cell: Cell) -> str:
    if isinstance(cell, Segment):
        return cell.title
    return cell or ""


def _use_header_row_and_bands(table: Table) -> None:
    """Which parts of the table style apply: the header row and row banding, nothing else."""
    properties = table._tbl.tblPr
    put_in_order(
        properties,
        make_element(
            "w:tblLook",
            val="0420",
            firstRow="1",
            lastRow="0",
            firstColumn="0",
            lastColumn="0",
            noHBand="0",
            noVBand="1",
        ),
    )
    width = properties.find(qn("w:tblW"))
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")


_NARROW = frozenset(" .,:;!'|()[]{}ijlrtf")
_WIDE = frozenset("MWmw@%")


def _char_em(char: str) -> float:
    # Rough advance widths of a sans-serif, erring wide (DejaVu Sans is the widest likely
    # substitute), so that a time or a short word never breaks inside its cell.
    if unicodedata.east_asian_width(char) in "WF":
        return 1.0
    if char in _NARROW:
        return 0.36
    if char in _WIDE or char.isupper():
        return 0.78
    return 0.64


def text_width_em(text: str) -> float:
    return sum(_char_em(char) for char in text)


_LONGEST_WORD = 10.0
"""Ems; beyond this a word is broken inside its cell rather than widening the column."""
_BOLD = 1.1
"""Header cells are bold, and bold is wider."""


def _widest_line(text: str) -> float:
    return max(text_width_em(line) for line in text.split("\n"))


def _widest_word(text: str) -> float:
    return min(max((text_width_em(word) for word in text.split()), default=0), _LONGEST_WORD)


def column_widths(
    headers: Sequence[str], rows: Sequence[Sequence[str]], total_mm: float, size_pt: float
) -> list[Mm]:
    """Widths that fill ``total_mm``: every column gets room for its header and its longest
    word (up to a limit), and what is left goes to the columns with the longest content."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in headers]
    natural = [
        max(_widest_line(header) * _BOLD, *(_widest_line(text) for text in column))
        for header, column in zip(headers, columns, strict=True)
    ]
    shortest = [
        max(_widest_word(header) * _BOLD, *(_widest_word(text) for text in column))
        for header, column in zip(headers, columns, strict=True)
    ]
    em_mm = size_pt * 25.4 / 72
    padding_mm = 2 * 85 / 1440 * 25.4 + 0.5  # the style's cell margins, and a little air
    minimum = [max(ems, 1) * em_mm + padding_mm for ems in shortest]
    wanted = [max(ems, 1) * em_mm + padding_mm for ems in natural]
    wanted = [max(want, least) for want, least in zip(wanted, minimum, strict=True)]
    if sum(minimum) >= total_mm:
        widths = [least * total_mm / sum(minimum) for least in minimum]
    elif sum(wanted) <= total_mm:
        spare = total_mm - sum(wanted)
        widths = [want + spare * want / sum(wanted) for want in wanted]
    else:
        room = total_mm - sum(minimum)
        extra = [want - least for want, least in zip(wanted, minimum, strict=True)]
        widths = [
            least + room * more / sum(extra) for least, more in zip(minimum, extra, strict=True)
        ]
    return [Mm(width) for width in widths]
