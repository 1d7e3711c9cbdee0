"""The line breaker's stand-ins (``exporters.pdf.accel``) and a face's quick
``splitString`` answer exactly what reportlab's own do."""

from __future__ import annotations

import itertools

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import sameFrag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus.paraparser import ParaFrag

from exporters.pdf import accel
from exporters.pdf.fonts import face


def _fragments() -> list[ParaFrag]:
    base = {"text": "a", "fontName": "F", "fontSize": 9, "rise": 0, "us_lines": []}
    grey, same_grey = Color(0.5, 0.5, 0.5), Color(0.5, 0.5, 0.5)
    variants = [
        {},
        {"textColor": grey},
        {"textColor": same_grey},
        {"textColor": Color(0.1, 0.5, 0.5)},
        {"fontSize": 10},
        {"link": [(0, "https://example.org")]},
        {"link": [(1, "https://example.org")]},
        {"backColor": grey},
        {"nobr": True},
        {"lineBreak": True},
        {"cbDefn": object()},
        {"text": "other words"},
    ]
    return [ParaFrag(**{**base, **variant}) for variant in variants]


def test_same_frag_gives_reportlabs_verdict_for_every_pair() -> None:
    fragments = _fragments()
    for first, second in itertools.product(fragments, repeat=2):
        assert accel.same_frag(first, second) == bool(sameFrag(first, second))
    clone = fragments[1].clone(text="b")
    assert accel.same_frag(fragments[1], clone) and sameFrag(fragments[1], clone)


def test_remembered_widths_and_ascents_are_reportlabs() -> None:
    font = face("Fira Sans")
    for text in ("", "word", "Straße → 2030", "word"):
        for size in (8, 9.5):
            expected = pdfmetrics.stringWidth(text, font.fontName, size)
            assert accel.string_width(text, font.fontName, size) == expected
    assert accel.ascent_descent(font.fontName, 9) == pdfmetrics.getAscentDescent(font.fontName, 9)


class _Document:
    """What a face keeps its per-document state under (any object that can be a weak key)."""


def test_a_face_splits_text_as_reportlab_does() -> None:
    ours = face("Fira Sans")
    texts = ["plain words", "plain words", "no\xa0break", "Ünïcödé ⁂ →", "plain words again"]
    texts += ["".join(chr(code) for code in range(0x100, 0x100 + 300) if code in ours.covers)]
    texts += ["plain words", "ĀāĂ plain"]
    document, reference = _Document(), _Document()
    for text in texts:
        quick = ours.splitString(text, document)
        slow = TTFont.splitString(ours, text, reference)
        assert quick == slow
