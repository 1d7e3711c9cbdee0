"""Paragraphs and runs written straight into the XML tree: the one way text gets in.

python-docx's ``add_paragraph`` and ``add_run`` find where each new element goes
by scanning its siblings and build every element through several layers; for a
report with a few thousand table rows that was nearly all of the render time.
These helpers write the elements python-docx writes for the same call: text in
``w:t`` (space kept where it leads or trails), each tab as ``w:tab``, each line
break as ``w:br``. Text is only ever an element's text, which lxml escapes, so
episode text cannot become markup, a field or a link.
"""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.etree import SubElement

_P_PROPERTIES, _P_STYLE = qn("w:pPr"), qn("w:pStyle")
_RUN, _R_PROPERTIES, _R_STYLE = qn("w:r"), qn("w:rPr"), qn("w:rStyle")
_TEXT, _TAB, _BREAK = qn("w:t"), qn("w:tab"), qn("w:br")
_VAL = qn("w:val")
_SPACE = qn("xml:space")
_PIECES = re.compile(r"([\t\n\r])")


def append_run(parent: BaseOxmlElement, text: str, style_id: str | None = None) -> None:
    """A ``w:r`` holding ``text``, at the end of a paragraph or a hyperlink."""
    run = SubElement(parent, _RUN)
    if style_id is not None:
        SubElement(SubElement(run, _R_PROPERTIES), _R_STYLE).set(_VAL, style_id)
    for piece in _PIECES.split(text):
        if piece == "\t":
            SubElement(run, _TAB)
        elif piece in ("\n", "\r"):
            SubElement(run, _BREAK)
        elif piece:
            element = SubElement(run, _TEXT)
            element.text = piece
            if piece.strip() != piece:
                element.set(_SPACE, "preserve")


def paragraph_element(style_id: str | None) -> BaseOxmlElement:
    """An empty ``w:p`` in the given paragraph style (None: Normal), not yet placed."""
    paragraph = OxmlElement("w:p")
    if style_id is not None:
        SubElement(SubElement(paragraph, _P_PROPERTIES), _P_STYLE).set(_VAL, style_id)
    return paragraph


def append_paragraph(parent: BaseOxmlElement, style_id: str | None) -> BaseOxmlElement:
    paragraph = paragraph_element(style_id)
    parent.append(paragraph)
    return paragraph
