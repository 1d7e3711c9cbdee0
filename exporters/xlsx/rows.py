"""A streamed sheet's rows as XML text, the very bytes openpyxl writes for them.

openpyxl's write-only sheets write a cell at a time through nested lxml ``xmlfile``
contexts, looking its style up anew each time (hashing the style array into the
workbook's list of styles): for a workbook of 100,000 rows that was half the time of
the whole export, and building lxml elements instead still cost a third of it. The
cells this project makes are of few kinds, text (inline strings), numbers and
links, so a row of them is written as text, escaped as lxml escapes it (``&``,
``<``, ``>``, carriage returns; non-ASCII as character references, as lxml does
without a declared encoding), each look's style index found once per sheet.

Anything else (a formula, a date, a comment, an empty value, a row of no cells, a
row attribute that is not a plain number, a character XML cannot hold) leaves the
row to openpyxl's own writer, which writes it, or refuses it, as it always did.
The bytes are the same either way: checked on every workbook of the bundled
episode, the adversarial corpus and synthetic libraries.
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

_NEEDS_ESCAPE = re.compile("[&<>\r]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PLAIN_ATTRIBUTE = re.compile(r"[0-9.]+")


class RowText:
    """Writes the ``<row>`` elements of one sheet as text."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self._sheet = sheet
        self._style_attributes: dict[bytes, str] = {}

    def text(self, cells: list[Cell], attributes: dict[str, str]) -> bytes | None:
        """The row holding ``cells`` (placed already), or None to leave it to openpyxl."""
        if not cells or not all(_PLAIN_ATTRIBUTE.fullmatch(value) for value in attributes.values()):
            return None
        shown = " ".join(f'{name}="{value}"' for name, value in attributes.items())
        parts = [f"<row {shown}>"]
        for cell in cells:
            value = cell._value
            if cell._comment is not None or value is None or value == "":
                return None
            place = f"{get_column_letter(cell.column)}{cell.row}"
            style = self._style_attribute(cell)
            if cell.data_type == "s" and isinstance(value, str):
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(f'<c r="{place}"{style} t="inlineStr"><is><t{space}>')
                parts.append(f"{_escaped(value)}</t></is></c>")
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

    def _style_attribute(self, cell: Cell) -> str:
        style = cell._style
        if style is None:
            return ""
        key = style.tobytes()
        if key not in self._style_attributes:
            # The workbook's list of looks only grows, so an index found once stays right.
            self._style_attributes[key] = f' s="{cell.style_id}"' if any(style) else ""
        return self._style_attributes[key]


def _escaped(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )
