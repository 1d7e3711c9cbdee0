"""What the tracker's cells look like and hold: the theme's looks, Excel's limits on
text, and column widths. Text from episodes is always a string cell, never a formula.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill

from briefing.labels import ENGLISH
from styles import Theme

DATE_FORMAT = "yyyy-mm-dd"
DURATION_FORMAT = "[h]:mm:ss"
SECONDS_PER_DAY = 86_400
CELL_LIMIT = 32_767
"""Excel's most characters in one cell, in UTF-16 code units."""
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FILTER_BUTTON = 3.0
_PADDING = 1.5
_MIN_WIDTH = 6.0
LINE_SPACING = 1.3
MAX_ROW_HEIGHT = 409.0
_CHARACTERS_PER_UNIT = 1.1


def argb(colour: str) -> str:
    return "FF" + colour.removeprefix("#").upper()


def tint(colour: str, share: float) -> str:
    """``colour`` mixed with white, ``share`` of it kept: a fill light enough to read on."""
    channels = [int(colour.removeprefix("#")[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(255 - (255 - channel) * share) for channel in channels]
    return "".join(f"{channel:02X}" for channel in mixed)


@dataclass(frozen=True)
class Looks:
    body: Font
    muted: Font
    header: Font
    header_fill: PatternFill
    wrap: Alignment
    centred: Alignment
    header_alignment: Alignment
    heading: Font

    @classmethod
    def of(cls, theme: Theme) -> Looks:
        fonts, colours = theme.fonts, theme.colours
        return cls(
            body=Font(name=fonts.body, size=fonts.size_pt, color=argb(colours.text)),
            muted=Font(name=fonts.body, size=fonts.size_pt, color=argb(colours.muted)),
            header=Font(
                name=fonts.heading,
                size=fonts.size_pt,
                bold=True,
                color=argb(colours.table_header_text),
            ),
            header_fill=PatternFill("solid", fgColor=argb(colours.table_header_background)),
            wrap=Alignment(vertical="top", wrap_text=True),
            centred=Alignment(horizontal="center", vertical="top"),
            header_alignment=Alignment(vertical="center", wrap_text=True),
            heading=Font(
                name=fonts.heading,
                size=round(fonts.size_pt * fonts.heading_scale, 1),
                bold=True,
                color=argb(colours.heading),
            ),
        )


def fit_to_cell(text: str) -> str:
    """``text``, or as much as fits with a note saying it was cut (statements may hold
    200,000 characters; Excel keeps 32,767)."""
    if len(text) <= CELL_LIMIT // 2 or len(text.encode("utf-16-le")) // 2 <= CELL_LIMIT:
        return text
    note = "\n" + ENGLISH.truncated.format(chars=len(text))
    room = CELL_LIMIT - len(note.encode("utf-16-le")) // 2
    kept = text.encode("utf-16-le")[: room * 2].decode("utf-16-le", errors="ignore")
    return kept.rstrip() + note


def put_text(cell: Cell, text: str) -> None:
    """A string cell whatever the text looks like; text that starts like a formula also
    gets the quote prefix, so that editing it in Excel keeps it text."""
    cell.value = text
    # openpyxl types ``=...`` as a formula and ``#N/A`` as an error on assignment.
    cell.data_type = "s"
    if text.startswith(_FORMULA_STARTS):
        cell.quotePrefix = True


def text_width(text: str) -> float:
    """Width of the longest line, in Excel's character units (wide East Asian characters
    count two, combining marks none)."""
    return max(_line_width(line) for line in text.split("\n"))


def _line_width(line: str) -> float:
    if line.isascii():
        return float(len(line))
    width = 0
    for character in line:
        if unicodedata.combining(character):
            continue
        width += 2 if unicodedata.east_asian_width(character) in "WF" else 1
    return float(width)


def column_width(header: str, content: float, cap: float) -> float:
    """Room for the header and its filter button and for the content, up to ``cap``."""
    header_width = text_width(header) + _FILTER_BUTTON
    wanted = max(header_width, content + _PADDING, _MIN_WIDTH)
    return round(min(wanted, max(cap, header_width)), 1)


def wrapped_lines(text: str, width: float) -> int:
    room = max(width - 1.0, 1.0) * _CHARACTERS_PER_UNIT
    return sum(max(1, math.ceil(_line_width(line) / room)) for line in text.split("\n"))


def row_height(lines: int, size_pt: float) -> float | None:
    """Rows of wrapped text get a height, since LibreOffice does not refit rows on opening."""
    if lines <= 1:
        return None
    return min(round(lines * size_pt * LINE_SPACING + 2.0, 1), MAX_ROW_HEIGHT)
