"""Faster stand-ins for three helpers reportlab's line breaker calls per word.

``Paragraph.breakLines`` calls ``stringWidth`` once per word, ``getAscentDescent``
once per word and ``sameFrag`` once per word of a paragraph of several fragments
(300 items: 330,000, 165,000 and 133,000 calls per render). Each gives the same
answer for the same arguments while the process lives (our faces are registered once,
under names of their own, and their widths only grow where ``EmbeddedFont`` adds a
glyph, which clears the widths kept here), so:

- widths of plain strings are remembered (a bounded cache; a ``str`` subclass such
  as reportlab's shaped or hyphenatable words is measured as before);
- ascent and descent are remembered per font name and size;
- ``sameFrag`` is compared in Python on the fragments' dictionaries: reportlab's C
  version asks for eight attributes most fragments lack, and raising and clearing an
  ``AttributeError`` for each makes it 8 times slower than these dictionary look-ups.

All three return exactly what reportlab's would (the same floats, the same verdict),
so the PDF's bytes do not change. They replace the names in reportlab's paragraph
module, which looked them up as its own globals.
"""

from __future__ import annotations

import functools
from typing import Any

from reportlab.lib.rl_accel import sameFrag as _c_same_frag
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import paragraph
from reportlab.platypus.paraparser import ParaFrag

WIDTHS_KEPT = 1 << 16
"""Plain strings whose widths are remembered, per font and size: words repeat, and a
300-item episode measures about 20,000 distinct ones."""

_COMPARED = ("fontName", "fontSize", "textColor", "rise", "us_lines", "nobr", "link", "backColor")
"""The attributes reportlab's ``sameFrag`` compares, in its order."""
_ABSENT = object()


@functools.lru_cache(maxsize=WIDTHS_KEPT)
def _plain_width(text: str, font_name: str, size: float, encoding: str) -> float:
    return pdfmetrics.getFont(font_name).stringWidth(text, size, encoding=encoding)


def string_width(text: Any, fontName: str, fontSize: float, encoding: str = "utf8") -> float:
    """``pdfmetrics.stringWidth``, remembered for plain strings."""
    if type(text) is str:
        return _plain_width(text, fontName, fontSize, encoding)
    return pdfmetrics.getFont(fontName).stringWidth(text, fontSize, encoding=encoding)


def forget_widths() -> None:
    """A face drew a character it did not have before: widths may have changed."""
    _plain_width.cache_clear()


@functools.cache
def ascent_descent(fontName: str, fontSize: float | None = None) -> tuple[float, float]:
    """``pdfmetrics.getAscentDescent``, remembered (a face's ascent never changes)."""
    return pdfmetrics.getAscentDescent(fontName, fontSize)


def same_frag(f: Any, g: Any) -> bool:
    """reportlab's ``sameFrag`` (two fragments that can be drawn as one), without the
    exceptions of its attribute look-ups. Any other kind of fragment (one whose class
    might define those attributes) goes to reportlab's own."""
    if type(f) is not ParaFrag or type(g) is not ParaFrag:
        return bool(_c_same_frag(f, g))
    first, second = f.__dict__, g.__dict__
    if "cbDefn" in first or "cbDefn" in second or "lineBreak" in first or "lineBreak" in second:
        return False
    for name in _COMPARED:
        one, other = first.get(name, _ABSENT), second.get(name, _ABSENT)
        # ``is`` first, as the C version's rich comparison does: a colour compares in Python.
        if one is not other and one != other:
            return False
    return True


def install() -> None:
    """Put the stand-ins where reportlab's paragraph module looks its helpers up."""
    paragraph.stringWidth = string_width
    paragraph.getAscentDescent = ascent_descent
    paragraph.sameFrag = same_frag
