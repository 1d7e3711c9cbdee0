"""What a spreadsheet cell may hold: Excel's limits on text and links, and column widths.

Pure functions of strings, so the workbook writer stays about openpyxl and these
rules can be tested on their own.
"""

from __future__ import annotations

import functools
import math
import re

CELL_LIMIT = 32_767
"""Excel's most characters in one cell, counted in UTF-16 code units."""

URL_LIMIT = 255
"""Excel refuses a hyperlink whose address is longer than this."""

LINKS_PER_SHEET = 65_530
"""Excel's most hyperlinks in one worksheet; a file with more needs repair when opened."""

# A cell whose text starts with one of these would be read as a formula if someone
# retyped it, so it also gets Excel's quote prefix (shown as a leading apostrophe
# while editing) on top of being stored as a string.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def fit_to_cell(text: str, marker: str) -> str:
    """``text``, or as much of it as fits with ``marker`` after it when it is too long.

    ``marker`` is the labels' ``truncated`` note, with ``{chars}`` for the full length,
    so a cut is always visible in the cell itself.
    """
    # A code point is at most two UTF-16 units: short text never needs counting.
    if len(text) <= CELL_LIMIT // 2 or _utf16_length(text) <= CELL_LIMIT:
        return text
    note = "\n" + marker.format(chars=len(text))
    room = CELL_LIMIT - _utf16_length(note)
    # Cutting the UTF-16 bytes and dropping a half pair keeps whole characters only.
    kept = text.encode("utf-16-le")[: room * 2].decode("utf-16-le", errors="ignore")
    return kept.rstrip() + note


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def needs_quote_prefix(text: str) -> bool:
    return text.startswith(_FORMULA_STARTS)


def link_at(url: str, seconds: int) -> str | None:
    """``url`` opened at ``seconds``: ``?t=90`` or ``&t=90`` added, an earlier ``t`` replaced.

    None when the result would be longer than Excel accepts for a link.
    """
    address, hash_mark, fragment = url.partition("#")
    base, _, query = address.partition("?")
    kept = [part for part in query.split("&") if part and not _is_time_parameter(part)]
    kept.append(f"t={seconds}")
    linked = f"{base}?{'&'.join(kept)}{hash_mark}{fragment}"
    return linked if len(linked) <= URL_LIMIT else None


def _is_time_parameter(part: str) -> bool:
    return part == "t" or part.startswith("t=")


# Excel measures a column in widths of the digit 0 of the body font. East Asian wide
# characters (CJK, kana, hangul, full-width forms, emoji) take about two of them,
# combining marks and format characters none. Ranges rather than a per-character
# unicodedata lookup: this runs on every text cell of a large workbook.
_FIRST_WIDE = "\u1100"
"""Below it no character is wide (the pattern's first range starts there)."""


@functools.cache
def _wide() -> re.Pattern[str]:
    # Compiled on the first line that can hold a wide character: the class takes 2.4 ms
    # to compile, and most workbooks (Latin text, curly quotes and dashes) never need it.
    return re.compile(
        "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
        "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
        "\uffe0-\uffe6\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0003fffd]"
    )


_ZERO_WIDTH = re.compile("[\u0300-\u036f\u200b-\u200f\u20d0-\u20ff\ufe00-\ufe0f]")
_MIN_WIDTH = 6.0
_PADDING = 1.5
_FILTER_BUTTON = 3.0
"""Room for the filter drop-down that an Excel table draws in each header cell."""


def text_width(text: str) -> float:
    """Width of the longest line of ``text``, in Excel's character units."""
    return max(_line_width(line) for line in text.split("\n"))


def _line_width(line: str) -> float:
    if line.isascii():
        return float(len(line))
    wide = len(_wide().findall(line)) if max(line) >= _FIRST_WIDE else 0
    return float(len(line) + wide - len(_ZERO_WIDTH.findall(line)))


def column_width(header: str, content_width: float, cap: float) -> float:
    """Room for the header (with its filter button) and the content, capped; longer
    content wraps inside the column."""
    header_width = text_width(header) + _FILTER_BUTTON
    wanted = max(header_width, content_width + _PADDING, _MIN_WIDTH)
    return round(min(wanted, max(cap, header_width)), 1)


LINE_SPACING = 1.3
"""Row height per line of text, as a multiple of the font size."""
CHARACTERS_PER_UNIT = 1.1
"""Text characters per unit of column width: the unit is a digit, most letters are narrower."""
MAX_ROW_HEIGHT = 409.0
"""Excel's tallest row, in points."""


def wrapped_lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes when wrapped in a column ``width`` wide."""
    room = max(width - 1.0, 1.0) * CHARACTERS_PER_UNIT
    # No character is wider than two units: short text needs no measuring.
    if "\n" not in text and (len(text) * 2 <= room or (len(text) <= room and text.isascii())):
        return 1
    return sum(max(1, math.ceil(_line_width(line) / room)) for line in text.split("\n"))


def row_height(lines: int, size_pt: float, single: bool = False) -> float | None:
    """The height of a row whose tallest cell has ``lines`` lines of ``size_pt`` text.

    None for a single line of body text, which the default row height holds; ``single``
    asks for the height of one line anyway (a heading in a larger font).
    """
    if lines <= 1 and not single:
        return None
    return min(round(lines * size_pt * LINE_SPACING + 2.0, 1), MAX_ROW_HEIGHT)
