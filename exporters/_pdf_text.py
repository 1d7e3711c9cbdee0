"""Episode text as reportlab Paragraph markup, and as plain strings drawn on the canvas.

reportlab parses Paragraph text as markup: ``0.1 < x`` would crash it, ``AT&T``
would lose its ampersand, and ``<a href>`` or ``<img src>`` would make a live link
or embed a local file. So every piece of episode text is escaped first, and the
only tags in the result are the ``<font>``, ``<br/>`` and ``<a>`` this module and
its callers write themselves around escaped pieces.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape, quoteattr

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph

from exporters._pdf_fonts import EmbeddedFont, runs

ELLIPSIS = "…"
_RTL_CLASSES = frozenset({"R", "AL"})
# Characters that may sit inside a right-to-left passage without ending it.
_INSIDE_RTL_CLASSES = frozenset({"R", "AL", "NSM", "WS", "ON", "CS", "ES", "ET", "BN", "EN", "AN"})
_DIGIT_CLASSES = frozenset({"EN", "AN"})
# The blocks that hold every right-to-left letter: a quick test before the exact one.
_RTL_BLOCKS = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def _clusters(text: str) -> list[str]:
    """Base characters with the marks that follow them, so reordering never splits one."""
    clusters: list[str] = []
    for char in text:
        if clusters and unicodedata.bidirectional(char) in ("NSM", "BN"):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _visual_rtl(passage: str) -> str:
    """A right-to-left passage in drawing order: clusters reversed, digit runs kept
    left to right, paired brackets mirrored."""
    clusters = _clusters(passage)[::-1]
    result: list[str] = []
    digits: list[str] = []
    for cluster in clusters:
        if unicodedata.bidirectional(cluster[0]) in _DIGIT_CLASSES:
            digits.append(cluster)
            continue
        result.extend(reversed(digits))
        digits = []
        result.append(cluster.translate(_MIRRORED))
    result.extend(reversed(digits))
    return "".join(result)


def visual_order(text: str) -> str:
    """``text`` as it is drawn on a left-to-right line.

    Each right-to-left passage (from its first to its last Hebrew, Arabic or other
    strong right-to-left letter, with the spaces, punctuation and numbers between)
    is reversed, which is what the Unicode bidi algorithm gives for such a passage
    in a left-to-right paragraph. Text extractors (pypdf, poppler) undo it, so the
    text layer reads in logical order again. A passage is reordered as a whole
    before line breaking, so one longer than a line reads in the wrong line order:
    the briefing's languages are left to right, and this keeps names and short
    quotations in other scripts legible.
    """
    if not _RTL_BLOCKS.search(text):
        return text
    pieces: list[str] = []
    position = 0
    length = len(text)
    while position < length:
        if unicodedata.bidirectional(text[position]) not in _RTL_CLASSES:
            pieces.append(text[position])
            position += 1
            continue
        end = position
        last_strong = position
        while end < length and unicodedata.bidirectional(text[end]) in _INSIDE_RTL_CLASSES:
            if unicodedata.bidirectional(text[end]) in _RTL_CLASSES:
                last_strong = end
            end += 1
        # Trailing marks belong to the last letter; trailing spaces and digits do not.
        stop = last_strong + 1
        while stop < end and unicodedata.bidirectional(text[stop]) in ("NSM", "BN"):
            stop += 1
        pieces.append(_visual_rtl(text[position:stop]))
        position = stop
    return "".join(pieces)


class Paragraph(paragraph.Paragraph):
    """reportlab's Paragraph, breaking its lines once per width.

    Tables wrap every cell to measure the row and again to draw it, and page
    breaking wraps flowables to try them; a paragraph's lines depend only on the
    width, so the last result is kept and reused for the same width.
    """

    _wrapped_width: float | None = None
    _wrapped_lines: object = None
    _wrapped_size: tuple[float, float] = (0.0, 0.0)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # reportlab drops or replaces ``blPara`` when it splits a paragraph, so the
        # kept result counts only while the lines it computed are still in place.
        lines = self.__dict__.get("blPara")
        if (
            lines is not None
            and lines is self._wrapped_lines
            and available_width == self._wrapped_width
        ):
            self.width, self.height = self._wrapped_size
            return self._wrapped_size
        size = super().wrap(available_width, available_height)
        self._wrapped_width, self._wrapped_lines, self._wrapped_size = (
            available_width,
            self.blPara,
            size,
        )
        return size


def markup(text: str, primary: EmbeddedFont) -> str:
    """Paragraph markup that shows ``text`` literally: escaped, one ``<font>`` per
    fallback run, line breaks as ``<br/>``."""
    return "<br/>".join(_line_markup(line, primary) for line in text.split("\n"))


def _line_markup(line: str, primary: EmbeddedFont) -> str:
    pieces = []
    for run in runs(visual_order(line), primary):
        escaped = escape(run.text)
        if run.font is primary:
            pieces.append(escaped)
        else:
            pieces.append(f"<font face={quoteattr(run.font_name)}>{escaped}</font>")
    return "".join(pieces)


def link(inner_markup: str, target: str, colour: str | None = None) -> str:
    """``inner_markup`` (already escaped) as a link to a URL or ``#destination``."""
    colour_attribute = f" color={quoteattr(colour)}" if colour else ""
    return f"<a href={quoteattr(target)}{colour_attribute}>{inner_markup}</a>"


def text_width(text: str, primary: EmbeddedFont, size: float) -> float:
    return sum(
        pdfmetrics.stringWidth(run.text, run.font_name, size)
        for run in runs(visual_order(text), primary)
    )


def fit(text: str, primary: EmbeddedFont, size: float, width: float) -> str:
    """``text`` on one line of ``width`` points, cut at a word with ``…`` if it is longer."""
    line = " ".join(text.split())
    if text_width(line, primary, size) <= width:
        return line
    low, high = 0, len(line)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(line[:middle].rstrip() + ELLIPSIS, primary, size) <= width:
            low = middle
        else:
            high = middle - 1
    cut = line[:low]
    if " " in cut and len(cut) - cut.rindex(" ") < 16:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + ELLIPSIS


def draw(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    primary: EmbeddedFont,
    size: float,
    align: str = "left",
) -> float:
    """Draw one line of text in its fallback runs; returns its width."""
    pieces = runs(visual_order(text), primary)
    widths = [pdfmetrics.stringWidth(run.text, run.font_name, size) for run in pieces]
    total = sum(widths)
    if align == "right":
        x -= total
    elif align == "centre":
        x -= total / 2
    text_object = canvas.beginText(x, y)
    for run in pieces:
        text_object.setFont(run.font_name, size)
        text_object.textOut(run.text)
    canvas.drawText(text_object)
    return total
