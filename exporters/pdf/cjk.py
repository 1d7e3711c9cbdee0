"""Chinese, Japanese and Korean line breaking, and its repair where reportlab loses text.

reportlab's CJK breaking (``wordWrap="CJK"``, the styles of a CJK-language briefing)
may break between any two characters, which those scripts need, but the part of a
paragraph that goes on the next page is rebuilt from the broken lines: every space
dropped at a line end is lost (``word word`` came back as ``wordword``) and, with
several fonts, a space is added where two lines of Chinese met. So a paragraph without
CJK characters is broken the ordinary way, at spaces, and the continuation of one with
them is made again from its own text (``exporters.pdf.text.Paragraph.split``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from exporters.pdf.spans import Span

_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003ffff]"
)
"""Hangul jamo and syllables, CJK radicals, punctuation, kana, ideographs, full widths."""


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def line_texts(lines: Iterable[object]) -> list[str]:
    """The characters of each line reportlab broke a paragraph into: ``(space, [text])``
    for a paragraph of one fragment, lines with fragment ``words`` otherwise."""
    texts = []
    for line in lines:
        if isinstance(line, tuple):
            texts.append("".join(str(word) for word in line[1]))
        else:
            texts.append("".join(getattr(word, "text", "") for word in line.words))
    return texts


def shown_length(text: str, lines: Sequence[str]) -> int | None:
    """How many characters of ``text`` the ``lines`` show, with the spaces dropped where
    they break; None if they are not the beginning of ``text``. Spaces at a line's end
    are not counted (reportlab adds one where it rebuilds lines into fragments)."""
    position = 0
    for line in (line.rstrip(" ") for line in lines):
        while position < len(text) and text[position].isspace():
            if text.startswith(line, position):
                break
            position += 1
        if not text.startswith(line, position):
            return None
        position += len(line)
    return position


def spans_after(spans: Sequence[Span], offset: int) -> list[Span]:
    """What ``spans`` hold after their first ``offset`` characters, leading spaces dropped."""
    rest: list[Span] = []
    for span in spans:
        if offset >= len(span.text):
            offset -= len(span.text)
            continue
        text = span.text[offset:]
        offset = 0
        rest.append(replace(span, text=text if rest else text.lstrip(" ")))
    return [span for span in rest if span.text]
