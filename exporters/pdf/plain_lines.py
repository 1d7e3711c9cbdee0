"""Drawing the lines of a plain paragraph: one face, left-aligned, no link, underline,
bullet, background or border, which is most paragraphs of a briefing (142 of the
bundled episode's 180).

reportlab's ``Paragraph.drawPara`` saves and restores the whole canvas state around
the lines (22 attributes and the graphics-state dictionary copied each time) only
to undo the one thing it changes, the fill colour, and formats that colour anew for
every paragraph. Here the colour goes straight into the page's content inside the
same ``q``/``Q`` pair, its operator made once per colour, and the lines are drawn
by reportlab's own text object and line function; the canvas is left as it was,
as reportlab's restore leaves it. The bytes are reportlab's
(``tests/exporters/pdf/test_plain_lines.py`` compares whole documents): a paragraph
this module does not take is drawn by reportlab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.rl_config import paraFontSizeHeightOffset

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus.paragraph import Paragraph

_FILL_OPERATORS: dict[tuple[float, float, float], str] = {}
"""``r g b rg`` as ``Canvas.setFillColor`` writes it, per colour."""


def _fill_operator(colour: Color) -> str:
    rgb = (colour.red, colour.green, colour.blue)
    operator = _FILL_OPERATORS.get(rgb)
    if operator is None:
        operator = _FILL_OPERATORS[rgb] = f"{fp_str(rgb)} rg"
    return operator


def plain(paragraph: Paragraph, canvas: Canvas) -> bool:
    """Whether ``paragraph``, its lines broken, is drawn here on ``canvas``."""
    broken = paragraph.blPara
    style = paragraph.style
    if broken.kind != 0 or style.alignment != TA_LEFT or paragraph.bulletText:
        return False
    if style.backColor or (getattr(style, "borderColor", None) and style.borderWidth):
        return False
    if getattr(paragraph, "_offsets", None) or style.wordWrap == "RTL":
        return False
    if getattr(paragraph, "autoLeading", getattr(style, "autoLeading", "")):
        return False
    if broken.us_lines or broken.link or "preformatted" in type(paragraph).__name__.lower():
        return False
    colour = broken.textColor
    if type(colour) is not Color or getattr(canvas, "_enforceColorSpace", None) is not None:
        return False
    # setFillColor sets the colour's alpha too: at 1 over a fill alpha of 1 it writes
    # nothing, but still asks the document for PDF 1.4.
    alpha = colour.alpha
    if alpha is not None and (alpha != 1 or canvas._extgstate.getValue("ca") != 1):
        return False
    return bool(broken.lines)


def draw_plain(paragraph: Paragraph) -> bool:
    """Draw ``paragraph``'s lines as ``drawPara`` would if it is plain; False (and
    nothing drawn) if it is not."""
    canvas = paragraph.canv
    if not plain(paragraph, canvas):
        return False
    broken, style = paragraph.blPara, paragraph.style
    colour = broken.textColor
    code = canvas._code
    code.append("q")
    code.append(_fill_operator(colour))
    if colour.alpha is not None:
        canvas._doc.ensureMinPdfVersion("transparency")
    if paraFontSizeHeightOffset:
        top = paragraph.height - broken.fontSize
    else:
        top = paragraph.height - getattr(broken, "ascent", broken.fontSize)
    text = paragraph.beginText(style.leftIndent, top)
    text.preformatted = False
    wrap = style.wordWrap
    text.direction = wrap + "-handled" if wrap in ("LTR", "RTL") else wrap
    text.setFont(broken.fontName, broken.fontSize, style.leading)
    draw_line = rl_paragraph._leftDrawParaLine  # looked up now: accel may stand in for it
    offset = style.firstLineIndent
    for line in broken.lines:
        draw_line(text, offset, line[0], line[1])
        offset = 0
    canvas.drawText(text)
    code.append("Q")
    return True


def draw_plain_on(paragraph: Paragraph, canvas: Canvas, x: float, y: float) -> None:
    """``Flowable.drawOn`` for a plain paragraph: the same ``q``, translation and ``Q``,
    with only the one attribute of the canvas state a translation changes put back, as
    drawing a plain paragraph changes no other."""
    code = canvas._code
    code.append("q")
    matrix = canvas._currentMatrix
    canvas.translate(x, y)
    paragraph._drawOn(canvas)
    code.append("Q")
    canvas._currentMatrix = matrix
