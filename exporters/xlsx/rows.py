"""A streamed sheet's rows as XML text, the very bytes openpyxl writes for them.

openpyxl's write-only sheets write a cell at a time through nested lxml ``xmlfile``
contexts, looking its style up anew each time (hashing the style array into the
workbook's list of styles), and every value first becomes a ``Cell`` whose setter
checks and types it: for a workbook of 100,000 rows that was most of the export.
The cells this project makes are of few kinds, text (inline strings), numbers and
links, so a row of them is written as text, escaped as lxml escapes it (``&``,
``<``, ``>``, carriage returns; non-ASCII as character references, as lxml does
without a declared encoding), each look's style index found once per sheet.

The data sheets go further: their values come as ``Entry`` objects (a value and its
look, no ``Cell``), each turned into the XML after its ``r`` attribute once, so a
label repeated on every row of an episode is escaped once. Only the place is written
per row.

Anything else (a formula, a date, a comment, an empty value, a row of no cells, a
row attribute that is not a plain number, a number that is not finite, a character
XML cannot hold) leaves the row to openpyxl's own writer (an ``Entry`` row first
becomes ``Cell`` objects), which writes it, or refuses it, as it always did. The
bytes are the same either way: checked on every workbook of the bundled episode,
the adversarial corpus and synthetic libraries. This reaches into openpyxl's
private members (``_value``, ``_style``, ``_hyperlinks``, ``_cell_styles``), so
openpyxl is pinned to the minor version these checks pass on (see pyproject.toml).
"""

from __future__ import annotations

import math
import re

from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.hyperlink import Hyperlink

_NEEDS_ESCAPE = re.compile("[&<>\r]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PLAIN_ATTRIBUTE = re.compile(r"[0-9.]+")


class Entry:
    """A data cell before it has a place: its value, its look and its link, if any.

    ``xml`` is the cell's XML after ``<c r="..."``, filled in when it is first written
    (its style index is only known then) and reused wherever the entry appears again;
    an empty string means it cannot be written as text.
    """

    __slots__ = ("link", "style", "text", "value", "xml")

    def __init__(
        self, value: str | int | float, style: StyleArray, link: str | None = None
    ) -> None:
        self.value = value
        self.style = style
        self.text = isinstance(value, str)
        self.link = link
        self.xml: str | None = None

    def cell(self, sheet: WriteOnlyWorksheet, row: int, column: int) -> Cell:
        """The openpyxl cell this entry stands for, in its place."""
        cell = Cell(sheet, row=row, column=column, value=self.value, style_array=self.style)
        if self.text:
            # openpyxl types ``=...`` as a formula and ``#N/A`` as an error; episode text is
            # neither, so the type is set back to string after the value.
            cell.data_type = "s"
        if self.link is not None:
            cell.hyperlink = self.link
        return cell


class EntryRow(list):  # type: ignore[type-arg]
    """A row of entries (None for a blank), as a list so openpyxl's ``append`` takes it."""

    def cells(self, sheet: WriteOnlyWorksheet, row: int) -> list[Cell]:
        return [
            entry.cell(sheet, row, column)
            for column, entry in enumerate(self, 1)
            if entry is not None
        ]


class RowText:
    """Writes the ``<row>`` elements of one sheet as text."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self._sheet = sheet
        self._style_attributes: dict[bytes, str] = {}

    def text(self, cells: list[Cell], attributes: dict[str, str]) -> bytes | None:
        """The row holding ``cells`` (placed already), or None to leave it to openpyxl."""
        if not cells or not _plain(attributes):
            return None
        parts = [_row_start(attributes)]
        for cell in cells:
            value = cell._value
            if cell._comment is not None or value is None or value == "":
                return None
            place = f"{get_column_letter(cell.column)}{cell.row}"
            style = self._style_attribute(cell._style)
            if cell.data_type == "s" and isinstance(value, str):
                parts.append(f'<c r="{place}"{_text_xml(style, value)}')
            elif cell.data_type == "n" and isinstance(value, int | float):
                parts.append(f'<c r="{place}"{style} t="n"><v>{safe_string(value)}</v></c>')
            else:
                return None
        parts.append("</row>")
        row = "".join(parts)
        if _NOT_XML.search(row):
            return None
        for cell in cells:
            if cell.hyperlink:
                # openpyxl collects a sheet's links as it writes their cells.
                self._sheet._hyperlinks.append(cell.hyperlink)
        return row.encode("ascii", "xmlcharrefreplace")

    def entries(self, row: EntryRow, number: int, attributes: dict[str, str]) -> bytes | None:
        """The row of ``row``'s entries at row ``number``, or None to leave it to openpyxl."""
        if not _plain(attributes):
            return None
        parts = [_row_start(attributes)]
        links = []
        for column, entry in enumerate(row, 1):
            if entry is None:
                continue
            xml = entry.xml
            if xml is None:
                xml = entry.xml = self._entry_xml(entry)
            if not xml:
                return None
            place = f"{get_column_letter(column)}{number}"
            parts.append(f'<c r="{place}"{xml}')
            if entry.link is not None:
                links.append(Hyperlink(ref=place, target=entry.link))
        if len(parts) == 1:
            return None
        parts.append("</row>")
        self._sheet._hyperlinks.extend(links)
        # Every entry's XML is ASCII already (see _entry_xml).
        return "".join(parts).encode("ascii")

    def _entry_xml(self, entry: Entry) -> str:
        value = entry.value
        style = self._style_attribute(entry.style)
        if entry.text:
            if not value:
                return ""
            xml = _text_xml(style, str(value))
            if _NOT_XML.search(xml):
                return ""
            return xml if xml.isascii() else xml.encode("ascii", "xmlcharrefreplace").decode()
        if type(value) not in (int, float) or not math.isfinite(value):
            return ""
        return f'{style} t="n"><v>{safe_string(value)}</v></c>'

    def _style_attribute(self, style: StyleArray | None) -> str:
        if style is None:
            return ""
        key = style.tobytes()
        found = self._style_attributes.get(key)
        if found is None:
            # The workbook's list of looks only grows, so an index found once stays right.
            # Asked for at the first cell of the look, as openpyxl's writer would.
            found = ""
            if any(style):
                found = f' s="{self._sheet.parent._cell_styles.add(style)}"'
            self._style_attributes[key] = found
        return found


def _plain(attributes: dict[str, str]) -> bool:
    return all(_PLAIN_ATTRIBUTE.fullmatch(value) for value in attributes.values())


def _row_start(attributes: dict[str, str]) -> str:
    shown = " ".join(f'{name}="{value}"' for name, value in attributes.items())
    return f"<row {shown}>"


def _text_xml(style: str, value: str) -> str:
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'{style} t="inlineStr"><is><t{space}>{_escaped(value)}</t></is></c>'


def _escaped(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )
