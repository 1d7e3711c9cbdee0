"""Episode text as reportlab paragraphs and canvas strings, never as markup.

reportlab parses Paragraph text as markup: ``0.1 < x`` would crash it, ``AT&T``
would lose its ampersand, and ``<a href>`` or ``<img src>`` would make a live link
or embed a local file. So no text goes through that parser at all: paragraphs
are built from fragments (one per font run, each with its font, size, colour and
link), which is also several times faster than parsing. Links exist only where
a caller asks for one; a line break in the text is a line break on the page.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph
from reportlab.platypus.paraparser import ParaFrag
from reportlab.rl_config import _FUZZ

from briefing.text import shorten
from exporters.pdf import accel
from exporters.pdf.bidi import has_right_to_left, visual_order
from exporters.pdf.cjk import has_cjk, line_texts, shown_length, spans_after
from exporters.pdf.continued import BrokenLines, fitting_lines, justify_last, splits_linearly
from exporters.pdf.fonts import EmbeddedFont, runs
from exporters.pdf.plain_lines import draw_plain, draw_plain_on, plain
from exporters.pdf.shaping import shaped, shaped_words
from exporters.pdf.spans import Span
from exporters.pdf.tagging import Tag, tree_of

accel.install()

ELLIPSIS = "…"
LINK_CONTENTS_CHARS = 300
"""The most characters of a link's text in its annotation's ``Contents`` (its description
for assistive technology). reportlab makes an annotation per line of a linked paragraph,
so the whole text in each would grow with the square of its length (a takeaway of 1,000
lines: 12 MB); the text itself is in the page's marked content."""

# reportlab breaks lines at these characters, and a line of several fragments loses
# any of them but the ASCII space: words would run together on the page and in its
# text layer. The no-break space is not one of them, so it is kept.
_BREAKING_SPACES = str.maketrans(
    dict.fromkeys(
        (chr(code) for code in range(0x3001) if chr(code).isspace() and chr(code) not in "\n\xa0"),
        " ",
    )
)


def _fragment(text: str, font_name: str, size: float, colour: Color, **extra: object) -> ParaFrag:
    return ParaFrag(
        text=text,
        fontName=font_name,
        fontSize=size,
        textColor=colour,
        rise=0,
        greek=0,
        bold=0,
        italic=0,
        us_lines=[],
        **extra,
    )


def fragments(spans: Sequence[Span], style: ParagraphStyle) -> list[ParaFrag]:
    """Paragraph fragments for ``spans``: one per font run, a break fragment per newline."""
    primary = pdfmetrics.getFont(style.fontName)
    result: list[ParaFrag] = []
    for number, span in enumerate(spans):
        face = span.face or primary
        size = span.size or style.fontSize
        colour = span.colour or style.textColor
        link = [(number, span.link)] if span.link else []
        for index, line in enumerate(span.text.translate(_BREAKING_SPACES).split("\n")):
            if index:
                result.append(_fragment("", face.fontName, size, colour, link=[], lineBreak=True))
            for run in runs(visual_order(line), face):
                text = shaped(run.font, run.text)
                result.append(_fragment(text, run.font_name, size, colour, link=list(link)))
    return result or [_fragment("", primary.fontName, style.fontSize, style.textColor, link=[])]


def broken_for_width(spans: Sequence[Span], style: ParagraphStyle, width: float) -> list[Span]:
    """``spans`` with a line break wherever a line of ``width`` points is full.

    For paragraphs with right-to-left text: the bidi algorithm reorders each line
    as it is drawn, so lines are chosen here, in logical order, before
    ``fragments`` reorders them; reportlab then finds every line short enough.
    A line breaks at its last space (which the break replaces), or inside a word
    longer than the line.
    """
    primary = pdfmetrics.getFont(style.fontName)
    pieces: list[list[str]] = [[] for _ in spans]
    used = 0.0
    after_space = 0.0
    last_space: tuple[int, int] | None = None
    for number, span in enumerate(spans):
        face, size = span.face or primary, span.size or style.fontSize
        out = pieces[number]
        for char, advance in zip(span.text, _advances(span.text, face, size), strict=True):
            if char == "\n":
                out.append(char)
                used = after_space = 0.0
                last_space = None
                continue
            if used + advance > width and used > 0:
                if last_space is not None and after_space + advance <= width:
                    pieces[last_space[0]][last_space[1]] = "\n"
                    used = after_space
                else:
                    out.append("\n")
                    used = after_space = 0.0
                last_space = None
            out.append(char)
            used += advance
            if char == " ":
                last_space, after_space = (number, len(out) - 1), 0.0
            else:
                after_space += advance
    return [replace(span, text="".join(chars)) for span, chars in zip(spans, pieces, strict=True)]


def _advances(text: str, primary: EmbeddedFont, size: float) -> list[float]:
    """Each character's advance; a word that is shaped (``exporters.pdf.shaping``) has its
    shaped width, all on its last character, as its glyphs are not the characters'."""
    advances = [text_width(char, primary, size) for char in text]
    for start, stop in shaped_words(text):
        advances[start:stop] = [0.0] * (stop - start - 1) + [
            text_width(text[start:stop], primary, size)
        ]
    return advances


class Paragraph(paragraph.Paragraph):
    """reportlab's Paragraph, breaking its lines once per width.

    Tables wrap every cell to measure the row and again to draw it, and page
    breaking wraps flowables to try them; a paragraph's lines depend only on the
    width, so the last result is kept and reused for the same width. A paragraph
    with right-to-left text keeps its spans and rebuilds its fragments per width,
    its lines chosen by ``broken_for_width``. In a CJK style only text with CJK
    characters is broken the CJK way (see ``exporters.pdf.cjk``).
    """

    _wrapped_width: float | None = None
    _wrapped_lines: object = None
    _wrapped_size: tuple[float, float] = (0.0, 0.0)
    spans: tuple[Span, ...] | None = None
    """What the paragraph shows, when ``paragraph_of`` made it."""
    right_to_left: bool = False
    """Whether ``spans`` hold right-to-left text, so lines are chosen in logical order."""
    _fragments_width: float | None = None
    cjk_breaking: bool = False
    """Whether the lines are broken the CJK way (so are the parts it splits into)."""
    tag: Tag | None = None
    """The structure element the paragraph's content belongs to (a ``P`` by default)."""
    link_text: str | None = None
    """The paragraph's text when all of it is one link: a ``Link`` in its element."""
    _broken: BrokenLines | None = None
    """For a part of a split paragraph: the lines it is a window on, ``_first_line`` to
    ``_stop_line`` (exclusive)."""
    _first_line: int = 0
    _stop_line: int = 0

    def draw(self) -> None:
        if self._broken is not None:
            # A window is drawn from its lines as they were broken.
            self.blPara = self._broken.window(self._first_line, self._stop_line)
        tree = tree_of(self.canv)
        if tree is None:
            return super().draw()
        if self.tag is None:
            self.tag = Tag()
        tree.begin(self.canv, self.tag, self.link_text)
        super().draw()
        tree.end(self.canv)
        return None

    def drawPara(self, debug: int = 0) -> None:
        if debug or not draw_plain(self):
            super().drawPara(debug)

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        # A window's lines are put in place when it is drawn (``draw``).
        plain_now = self._broken is None and "blPara" in self.__dict__ and not self.debug
        if not plain_now or getattr(self, "_showBoundary", None) or not plain(self, canvas):
            super().drawOn(canvas, x, y, _sW)
            return
        draw_plain_on(self, canvas, self._hAlignAdjust(x, _sW), y)

    def breakLinesCJK(self, maxWidths: list[float]) -> object:
        """reportlab's CJK line breaking for text with CJK characters; the ordinary
        breaking for the rest, and where the CJK one would drop the last line: when that
        line's characters are all zero-width (a lone combining mark, a zero-width space
        after a line break)."""
        # The part of a split paragraph carries its lines already (and no text fragments).
        if getattr(self, "_splitpara", 0):
            return super().breakLinesCJK(maxWidths)
        if not self.cjk_breaking or _last_line_is_zero_width(self.frags):
            return self.breakLines(maxWidths)
        return super().breakLinesCJK(maxWidths)

    def split(self, available_width: float, available_height: float) -> list[Paragraph]:
        """The part that fits and the rest, both windows on the lines broken once
        (``exporters.pdf.continued``).

        The parts are drawn from those lines, never broken again: reportlab would
        rebuild the rest from the broken lines' fragments, which starts it with an empty
        line (the break that ended the last line that fitted) and, broken the CJK way,
        adds a space where two lines met and loses the spaces dropped at line ends."""
        if self.tag is None:
            self.tag = Tag()
        if self._broken is not None and available_width != self._broken.width:
            self._unwindow()
        if self._broken is None:
            if not self.frags or not splits_linearly(self.style, self):
                return self._tagged(super().split(available_width, available_height))
            if available_width < _FUZZ or available_height < _FUZZ:
                return []
            self.wrap(available_width, available_height)
            broken = BrokenLines(
                self.blPara, available_width, self._get_split_blParaFunc(), self.spans
            )
            first, stop = 0, broken.count
        else:
            broken, first, stop = self._broken, self._first_line, self._stop_line
        fitting = fitting_lines(self.style, stop - first, available_height)
        if fitting is None:
            return [self]
        if fitting == 0:
            # As reportlab does: the next frame breaks the lines again.
            self.__dict__.pop("blPara", None)
            return []
        middle = first + fitting
        head = self._window(broken, first, middle, self.style, self.bulletText)
        head._JustifyLast = justify_last(broken.lines, middle)
        rest = self._window(broken, middle, stop, _continued(self.style), None)
        return self._tagged([head, rest])

    def _window(
        self,
        broken: BrokenLines,
        first: int,
        stop: int,
        style: ParagraphStyle,
        bullet: str | None,
    ) -> Paragraph:
        part = type(self)(None, style, bulletText=bullet, frags=[])
        part._broken, part._first_line, part._stop_line = broken, first, stop
        part.cjk_breaking = self.cjk_breaking
        return part

    def _unwindow(self) -> None:
        """Make a window an ordinary paragraph of the fragments of its lines, as reportlab
        does with the rest of a split paragraph: for another width than its lines'."""
        broken, first, stop = self._broken, self._first_line, self._stop_line
        if broken is None:
            return
        self._broken = None
        self.frags = broken.fragments(first, stop)
        if self.cjk_breaking and broken.spans is not None and stop == broken.count:
            # The rest made again from its own text (see ``split``).
            text = "".join(span.text for span in broken.spans)
            shown = shown_length(text, line_texts(broken.lines.lines[:first]))
            if shown is not None:
                self.spans = tuple(spans_after(broken.spans, shown))
                self.frags = fragments(self.spans, self.style)

    def _tagged(self, parts: list[Paragraph]) -> list[Paragraph]:
        """The parts of a split paragraph, its content all in one structure element."""
        for part in parts:
            part.tag, part.link_text = self.tag, self.link_text
        return parts

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        broken = self._broken
        if broken is not None:
            if available_width == broken.width:
                style = self.style
                later = available_width - style.leftIndent - style.rightIndent
                self._wrapWidths = [later - style.firstLineIndent, later]
                lines = self._stop_line - self._first_line
                self.width, self.height = available_width, lines * style.leading
                return self.width, self.height
            self._unwindow()
        if self.right_to_left and self.spans and available_width != self._fragments_width:
            style = self.style
            indents = style.leftIndent + style.rightIndent + max(style.firstLineIndent, 0)
            # A hair less than reportlab's own width, so a line chosen here always fits there.
            width = available_width - indents - 0.01
            self.frags = fragments(broken_for_width(self.spans, style, width), style)
            self._fragments_width = available_width
            self.__dict__.pop("blPara", None)
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


@functools.cache
def _continued(style: ParagraphStyle) -> ParagraphStyle:
    """The style of a paragraph's rest: no first-line indent (reportlab's rule)."""
    if not style.firstLineIndent:
        return style
    return ParagraphStyle(f"{style.name}-continued", parent=style, firstLineIndent=0)


def _last_line_is_zero_width(frags: Sequence[ParaFrag]) -> bool:
    tail: list[ParaFrag] = []
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            tail = []
        else:
            tail.append(frag)
    return any(getattr(frag, "text", "") for frag in tail) and not any(
        pdfmetrics.stringWidth(frag.text, frag.fontName, frag.fontSize) for frag in tail
    )


def text_width(text: str, primary: EmbeddedFont, size: float) -> float:
    return sum(
        pdfmetrics.stringWidth(shaped(run.font, run.text), run.font_name, size)
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
    pieces = [
        replace(run, text=shaped(run.font, run.text)) for run in runs(visual_order(text), primary)
    ]
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


def paragraph_of(
    spans: Sequence[Span] | str,
    style: ParagraphStyle,
    bullet: str | None = None,
    tag: Tag | str | None = None,
) -> Paragraph:
    """A paragraph showing ``spans`` (or one text) literally, in ``style``; ``bullet``
    (our own words or digits, drawn in the style's bullet font) hangs in its indent.
    ``tag`` is the structure element it belongs to, or the role of a new one (a ``P``
    by default); a paragraph that is one link gets a ``Link`` inside it."""
    pieces = [Span(spans)] if isinstance(spans, str) else list(spans)
    text = "".join(span.text for span in pieces)
    result = Paragraph(text, style, bulletText=bullet, frags=fragments(pieces, style))
    result.spans = tuple(pieces)
    result.right_to_left = has_right_to_left(text)
    result.cjk_breaking = style.wordWrap == "CJK" and has_cjk(text)
    result.tag = Tag(tag) if isinstance(tag, str) else tag
    links = {span.link for span in pieces}
    if len(links) == 1 and None not in links:
        result.link_text = (
            text if len(text) <= LINK_CONTENTS_CHARS else shorten(text, LINK_CONTENTS_CHARS)
        )
    return result
