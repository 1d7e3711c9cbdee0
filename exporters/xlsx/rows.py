"""A streamed sheet's rows as XML text, the very bytes openpyxl writes for them.

openpyxl's write-only sheets write a cell at a time through nested lxml ``xmlfile``
contexts, looking its style up anew each time (hashing the style array into the
workbook's list of styles), and every value first becomes a ``Cell`` whose setter
checks and types it: for a workbook of 100,000 rows that was most of the export.
The cells this project makes are of few kinds, text (inline strings), numbers and
links, so a row of them is written as text, escaped as lxml escapes it (``&``,
``<``, ``>``, carriage returns; non-ASCII as character references, as lxml does
without a declared encoding), each look's style index found once per sheet.

The data sheets go furthest (``exporters.xlsx.data``): a cell's XML after its ``r``
attribute (a *fragment*, ``CellXml``) is made from its value and look, reused for a
label repeated on every row of an episode, and a whole row is joined as text and
handed to the sheet's stream (``XmlRow``); no ``Cell`` is made at all.

Anything else (a formula, a date, a comment, an empty value, a row of no cells, a
row attribute that is not a plain number, a number that is not finite, a character
XML cannot hold) leaves the row to openpyxl's own writer (a data row first becomes
``Cell`` objects through ``Entry``), which writes it, or refuses it, as it always
did. The bytes are the same either way: checked on every workbook of the bundled
episode, the adversarial corpus, generated episodes and synthetic libraries.

Why not openpyxl's public API alone: its writer is the slow path described above
(measured on 100 synthetic episodes, 10,000 prediction rows: 3.1 s of CPU through
openpyxl's cell writer, 0.7 s as text, the same bytes), and the whole workbook is
then slower than xlsxwriter's ``constant_memory`` mode by far. The price is that this
reaches into openpyxl's private members (``_value``, ``_style``, ``_comment``,
``_hyperlinks``, ``_cell_styles``, and in ``stream`` the write-only sheet's writer), so
openpyxl is pinned to the minor version the byte-for-byte tests pass on
(``openpyxl>=3.1,<3.2`` in pyproject.toml); a new minor version is taken only once
those tests pass on it.
"""

from __future__ import annotations

import math
import re

from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.hyperlink import Hyperlink

_NEEDS_ESCAPE = re.compile("[&<>\r]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PLAIN_ATTRIBUTE = re.compile(r"[0-9.]+")


class Entry:
    """A data cell before it has a place: its value, its look and its link, if any.

    What a row that must go through openpyxl's writer is made of (see ``EntryRow``).
    """

    __slots__ = ("link", "style", "value")

    def __init__(
        self, value: str | int | float, style: StyleArray, link: str | None = None
    ) -> None:
        self.value = value
        self.style = style
        self.link = link

    def cell(self, sheet: WriteOnlyWorksheet, row: int, column: int) -> Cell:
        """The openpyxl cell this entry stands for, in its place."""
        cell = Cell(sheet, row=row, column=column, value=self.value, style_array=self.style)
        if isinstance(self.value, str):
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


class XmlRow(list):  # type: ignore[type-arg]
    """A whole ``<row>`` element already written as text, and the links of its cells.

    A list, so openpyxl's ``append`` takes it and counts it as a row like any other.
    """

    __slots__ = ("links", "xml")

    def __init__(self, xml: bytes, links: list[Hyperlink]) -> None:
        super().__init__()
        self.xml = xml
        self.links = links


class CellXml:
    """Fragments of one sheet: a cell's XML after ``<c r="..."``, as openpyxl writes it.

    An empty fragment means the value cannot be written as text here and the row must
    go to openpyxl's writer. Style indexes are asked of the workbook when a look is
    first written, as openpyxl's writer would, so they come out the same.
    """

    def __init__(self, sheet: WriteOnlyWorksheet, shared_looks: bool = True) -> None:
        self._sheet = sheet
        self._style_attributes: dict[bytes, str] = {}
        self._by_identity: dict[int, tuple[StyleArray, str]] | None = {} if shared_looks else None
        """``shared_looks``: the arrays given are a few made once (``CellStyles``), so they
        are known by identity; an openpyxl ``Cell`` has a copy of its own instead."""

    def text(self, value: str, style: StyleArray | None) -> str:
        if not value:
            return ""
        xml = _text_xml(self.style_attribute(style), value)
        if _NOT_XML.search(xml):
            return ""
        return xml if xml.isascii() else xml.encode("ascii", "xmlcharrefreplace").decode()

    def number(self, value: object, style: StyleArray | None) -> str:
        # bool is an int to Python but a boolean cell to openpyxl: left to it.
        if type(value) not in (int, float) or not math.isfinite(value):  # type: ignore[arg-type]
            return ""
        # As openpyxl's safe_string writes a finite number ("%.16g").
        return f'{self.style_attribute(style)} t="n"><v>{value:.16g}</v></c>'

    def style_attribute(self, style: StyleArray | None) -> str:
        if style is None:
            return ""
        # By identity first where looks are shared; each array is kept alive here, so an id
        # is never reused for another one.
        identities = self._by_identity
        if identities is not None:
            known = identities.get(id(style))
            if known is not None:
                return known[1]
        key = style.tobytes()
        found = self._style_attributes.get(key)
        if found is None:
            # The workbook's list of looks only grows, so an index found once stays right.
            found = ""
            if any(style):
                found = f' s="{self._sheet.parent._cell_styles.add(style)}"'
            self._style_attributes[key] = found
        if identities is not None:
            identities[id(style)] = (style, found)
        return found


class RowText:
    """Writes the ``<row>`` elements of placed openpyxl cells as text (headers, Overview)."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self._sheet = sheet
        self._xml = CellXml(sheet, shared_looks=False)

    def text(self, cells: list[Cell], attributes: dict[str, str]) -> bytes | None:
        """The row holding ``cells`` (placed already), or None to leave it to openpyxl."""
        if not cells or not all(_PLAIN_ATTRIBUTE.fullmatch(v) for v in attributes.values()):
            return None
        parts = ["<row ", " ".join(f'{name}="{value}"' for name, value in attributes.items()), ">"]
        for cell in cells:
            value = cell._value
            if cell._comment is not None or value is None or value == "":
                return None
            if cell.data_type == "s" and isinstance(value, str):
                fragment = self._xml.text(value, cell._style)
            elif cell.data_type == "n":
                fragment = self._xml.number(value, cell._style)
            else:
                return None
            if not fragment:
                return None
            parts.append(f'<c r="{get_column_letter(cell.column)}{cell.row}"{fragment}')
        parts.append("</row>")
        for cell in cells:
            if cell.hyperlink:
                # openpyxl collects a sheet's links as it writes their cells.
                self._sheet._hyperlinks.append(cell.hyperlink)
        # Every fragment is ASCII already (see CellXml.text).
        return "".join(parts).encode("ascii")


def _text_xml(style: str, value: str) -> str:
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'{style} t="inlineStr"><is><t{space}>{_escaped(value)}</t></is></c>'


def _escaped(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )
