"""Right-to-left passages put into drawing order for a left-to-right line.

reportlab draws characters in the order it is given them, and without HarfBuzz
it has no bidi support of its own.
"""

from __future__ import annotations

import re
import unicodedata

_RTL_CLASSES = frozenset({"R", "AL"})
# Characters that may sit inside a right-to-left passage without ending it.
_INSIDE_RTL_CLASSES = frozenset({"R", "AL", "NSM", "WS", "ON", "CS", "ES", "ET", "BN", "EN", "AN"})
_DIGIT_CLASSES = frozenset({"EN", "AN"})
# The blocks that hold every right-to-left letter: a quick test before the exact one.
_RTL_BLOCKS = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def has_right_to_left(text: str) -> bool:
    """Whether ``text`` may hold a right-to-left letter (a quick test by block)."""
    return _RTL_BLOCKS.search(text) is not None


def clusters(text: str) -> list[str]:
    """Base characters with the marks that follow them, so reordering never splits one.

    Invisible characters (bidi class BN: zero-width space and joiners, the soft
    hyphen) are clusters of their own: where they are drawn does not show, and
    readers reverse a right-to-left line character by character, so only as their
    own clusters do they come back where they were (a Persian word's ZWNJ).
    """
    result: list[str] = []
    for char in text:
        if result and unicodedata.bidirectional(char) == "NSM":
            result[-1] += char
        else:
            result.append(char)
    return result


def _visual_rtl(passage: str) -> str:
    """A right-to-left passage in drawing order: clusters reversed, digit runs kept
    left to right, paired brackets mirrored."""
    result: list[str] = []
    digits: list[str] = []
    for cluster in clusters(passage)[::-1]:
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
    text layer reads in logical order again. ``text`` must be one line as it is
    drawn: a paragraph with right-to-left text is broken into lines first
    (``exporters.pdf.text``), as the bidi algorithm reorders line by line.
    """
    if not has_right_to_left(text):
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
        # Trailing marks belong to the last letter; trailing spaces, digits and
        # invisible characters do not.
        stop = last_strong + 1
        while stop < end and unicodedata.bidirectional(text[stop]) == "NSM":
            stop += 1
        pieces.append(_visual_rtl(text[position:stop]))
        position = stop
    return "".join(pieces)
