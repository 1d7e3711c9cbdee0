"""Whether a piece of episode text is in a PDF's text layer exactly, as ``tests.readback``
reads it (pypdf).

A PDF shows a text character for character, except where the layout breaks it: a space
may come back as a line break, a word too long for its line may be cut by a
line or page break (at a soft hyphen, drawn as ``-``), and a table row split
over two pages has the rest of the row between its two parts. Runs of
whitespace count as one space (a PDF has no tabs or line breaks of its own),
and a zero-width space beside whitespace or at either end of a text counts as
whitespace too: it marks where a line may break, so reportlab drops it there
like any space at a line end. Between two letters it must come back. Invisible
characters (zero-width space and joiners, bidi controls) at the edge of
right-to-left text are left out of the comparison: readers move them across the run
they reverse. In right-to-left text, which the PDF draws in visual order, readers
(pypdf and poppler alike) reverse the drawn characters one by one, so where a letter
and its marks are drawn unshaped (without HarfBuzz) each combining mark comes out
before the letter it sits on (and a mark that follows no letter after the next one);
the comparison expects them there. Shaped clusters come back as written (their
glyphs carry their characters in reading order, see ``exporters.pdf.shaping``),
which it accepts too.
"""

from __future__ import annotations

import re
import unicodedata

SOFT_HYPHEN = "\xad"
PAGE_BREAK = "\f"
"""Joins the pages of a PDF's text: a form feed, which no episode text can hold."""


def pdf_shows(document_text: str, text: str) -> bool:
    """Whether ``text`` is in the PDF's text layer ``document_text`` (see the docstring)."""
    return any(_wrapped_text_shows(document_text, form) for form in _pdf_forms(text))


def _pdf_forms(text: str) -> list[str]:
    """``text``, and where it has characters of the right-to-left blocks but no right-to-left
    letter (marks with nothing to sit on, bidi controls), also the form pypdf reads: the
    exporter leaves such text in logical order, and pypdf reverses each run of those
    characters together with the neutral ones after it."""
    if not _RTL_BLOCK_CHARACTER.search(text) or _RTL_LETTER_CHARACTER.search(text):
        return [text]
    return [text, _PYPDF_RTL_RUN.sub(lambda run: run.group()[::-1], text)]


def _wrapped_text_shows(document: str, text: str) -> bool:
    """``text`` in a PDF's text layer, where every space may have become a line break (a
    wrapped line), a word may have been cut by a line or page break (a word longer than the
    line; at a soft hyphen, drawn as ``-``), and a text in a table row split over pages may
    have the rest of the row between its part on one page and its part on the next.
    Right-to-left text may come back with its marks before their letters (drawn unshaped)
    or as written (shaped)."""
    pages = [
        [_layer_words(line) for line in page.split("\n")] for page in document.split(PAGE_BREAK)
    ]
    pages = [[line for line in lines if line] for lines in pages]
    cut_at_soft_hyphen = SOFT_HYPHEN in text
    return any(
        _target_shows(pages, target, cut_at_soft_hyphen)
        for target in dict.fromkeys((_as_read_back(text), _layer_words(text)))
    )


def _target_shows(pages: list[list[str]], target: str, cut_at_soft_hyphen: bool) -> bool:
    """Whether the pages' lines show ``target`` (see ``_wrapped_text_shows``)."""
    if not target:
        return True
    # Wrapped at spaces only, on one page: the common case, and a fast one.
    if any(target in " ".join(lines) for lines in pages):
        return True
    for page_number, lines in enumerate(pages):
        for line_number, line in enumerate(lines):
            for start, char in enumerate(line):
                if char != target[0]:
                    continue
                offset = _advance(target, 0, line[start:], cut_at_soft_hyphen)
                position = (page_number, line_number + 1)
                if offset is not None and _carried_on(
                    pages, position, target, offset, cut_at_soft_hyphen
                ):
                    return True
    return False


_RTL_BLOCKS = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFE))
"""The blocks that hold the right-to-left scripts (pypdf's own test for right to left)."""


def _right_to_left_characters(category: str) -> str:
    found = (
        chr(code)
        for start, end in _RTL_BLOCKS
        for code in range(start, end + 1)
        if unicodedata.category(chr(code)) == category
        or (category == "letter" and unicodedata.bidirectional(chr(code)) in ("R", "AL"))
    )
    return re.escape("".join(found))


_RTL_LETTER = _right_to_left_characters("letter")
_RTL_MARK = _right_to_left_characters("Mn")
_RTL_CLUSTER = re.compile(
    f"([{_RTL_LETTER}])([{_RTL_MARK}]+)|(?<![{_RTL_LETTER}])([{_RTL_MARK}]+)([{_RTL_LETTER}])"
)
_RTL_BLOCK = "".join(f"{chr(start)}-{chr(end)}" for start, end in _RTL_BLOCKS)
_RTL_BLOCK_CHARACTER = re.compile(f"[{_RTL_BLOCK}]")
_RTL_LETTER_CHARACTER = re.compile(f"[{_RTL_LETTER}]")
_PYPDF_NEUTRAL = "\x00-\x2f\x3a-\x40\u0660-\u066d\u06f0-\u06f9\u2000-\u206f\u20a0-\u21ff"
"""pypdf's ``NEUTRAL_CHARACTER_RANGES``: characters that keep the direction of the run."""
_PYPDF_RTL_RUN = re.compile(f"[{_RTL_BLOCK}][{_RTL_BLOCK}{_PYPDF_NEUTRAL}]*")
_EDGE_ZERO_WIDTH_SPACE = re.compile(r"(?:^|(?<=\s))\u200b+|\u200b+(?=\s|$)")
_INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069"
"""Zero-width spaces and joiners, bidi marks, embeddings, overrides and isolates."""
# At the edge of a run of right-to-left-block characters, readers put an invisible
# character where they like: pypdf and poppler move it to the far side of the run they
# reverse. Inside a run (a Persian word's ZWNJ) it must come back where it was.
_INVISIBLE_BY_RIGHT_TO_LEFT = re.compile(
    f"(?<=[{_RTL_BLOCK}])[{_INVISIBLE}]+(?![{_RTL_BLOCK}])"
    f"|(?<![{_RTL_BLOCK}])[{_INVISIBLE}]+(?=[{_RTL_BLOCK}])"
)


def _layer_words(text: str) -> str:
    """``text`` as words joined by single spaces, the way a PDF's text layer can show it."""
    without_hyphens = text.replace(SOFT_HYPHEN, "")
    visible = _INVISIBLE_BY_RIGHT_TO_LEFT.sub("", _EDGE_ZERO_WIDTH_SPACE.sub("", without_hyphens))
    return " ".join(_EDGE_ZERO_WIDTH_SPACE.sub("", visible).split())


def _swap_cluster(match: re.Match[str]) -> str:
    letter, marks, lone_marks, next_letter = match.groups()
    return marks[::-1] + letter if letter else next_letter + lone_marks[::-1]


def _as_read_back(text: str) -> str:
    """``text`` as a reader gets it out of the PDF: a right-to-left letter's marks come
    back before it and marks that follow no letter after the next one, last first either
    way (readers reverse the drawn line character by character)."""
    return _RTL_CLUSTER.sub(_swap_cluster, _layer_words(text))


def _carried_on(
    pages: list[list[str]], position: tuple[int, int], target: str, offset: int, hyphen: bool
) -> bool:
    """Whether lines from ``position`` carry ``target`` on from ``offset`` to its end: the
    next line of the page or, once that does not go on with it, a line of the next page."""
    page_number, line_number = position
    while offset < len(target):
        lines = pages[page_number]
        if line_number < len(lines):
            advanced = _advance(target, offset, lines[line_number], hyphen)
            if advanced is not None:
                offset, line_number = advanced, line_number + 1
                continue
        page_number += 1
        if page_number == len(pages):
            return False
        found = next(
            (
                (advanced, index + 1)
                for index, line in enumerate(pages[page_number])
                if (advanced := _advance(target, offset, line, hyphen)) is not None
            ),
            None,
        )
        if found is None:
            return False
        offset, line_number = found
    return True


def _advance(target: str, offset: int, line: str, hyphen: bool) -> int | None:
    """Where ``target`` goes on after ``line`` carries it on from ``offset`` (joined by a
    space, by nothing for a word cut at the end of the line, or by a zero-width space,
    which reportlab drops where it breaks a line at one); None if it does not."""
    pieces = [" " + line, line, "\u200b" + line]
    if hyphen and line.endswith("-"):
        # The hyphen drawn where a line broke at a soft hyphen.
        pieces += [" " + line[:-1], line[:-1]]
    remaining = len(target) - offset
    for piece in pieces:
        if target.startswith(piece, offset):
            return offset + len(piece)
        if len(piece) > remaining and piece.startswith(target[offset:]):
            return len(target)  # the text ends inside this line
    return None
