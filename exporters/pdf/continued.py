"""Splitting a paragraph over pages in time linear in its lines.

reportlab splits a paragraph that does not fit by breaking all of its lines, then
making the rest a new paragraph from the fragments of the lines that did not fit;
that paragraph is broken into lines again on the next page, and so on. A paragraph
of N lines over P pages is broken P times, about N * P / 2 lines in all: a takeaway
of 10,000 short lines took 45 s. Here the lines are broken once, and every part
after the first is a window on those lines (``BrokenLines`` and the index of its
first line): its height is its line count times the leading, and its split cuts the
window. Only the part that is finally drawn whole is made into fragments again, and
the parts before it get the fragments of their own lines, as reportlab gives them.

A window is only used at the width its lines were broken for (a paragraph's rest
always goes to the same column); offered another width, the part becomes an
ordinary paragraph of the fragments of its lines, as in reportlab.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.platypus.paragraph import FragLine, ParaLines

FragmentsOf = Callable[[ParaLines, int, int], list[Any]]
"""reportlab's function giving the fragments of lines [start, stop) of broken lines."""


@dataclass(frozen=True, eq=False)
class BrokenLines:
    """A paragraph's lines, broken once at ``width``, shared by the parts it splits into."""

    lines: ParaLines
    width: float
    fragments_of: FragmentsOf
    spans: Any = None
    """The whole paragraph's spans, when known (to rebuild a CJK rest at another width)."""

    @property
    def count(self) -> int:
        return len(self.lines.lines)

    def fragments(self, start: int, stop: int) -> list[Any]:
        return self.fragments_of(self.lines, start, stop)

    def window(self, start: int, stop: int) -> ParaLines:
        """Lines [start, stop) as reportlab keeps them on the first part of a split."""
        return self.lines.clone(lines=self.lines.lines[start:stop])


def splits_linearly(style: Any, paragraph: Any) -> bool:
    """Whether a paragraph's height is its line count times its leading, which the window
    relies on (no automatic leading, no dot leaders, set in reportlab's own breaking)."""
    auto_leading = getattr(paragraph, "autoLeading", getattr(style, "autoLeading", ""))
    return auto_leading in ("", "off") and not style.endDots


def fitting_lines(style: Any, count: int, available_height: float) -> int | None:
    """How many of ``count`` lines go on the first part, as reportlab's ``split`` decides
    (orphans and widows included); 0: none (the paragraph moves on whole); None: all."""
    fitting = int(available_height / float(style.leading))
    if (not getattr(style, "allowOrphans", 0) and fitting <= 1) or fitting == 0:
        return 0
    if count <= fitting:
        return None
    if not getattr(style, "allowWidows", 1) and count == fitting + 1:
        if (getattr(style, "allowOrphans", 0) and count == 3) or count > 3:
            return fitting - 1
        return 0
    return fitting


def justify_last(lines: ParaLines, stop: int) -> bool:
    """reportlab's rule for the first part: its last line is justified unless a line
    break ends it."""
    last = lines.lines[stop - 1]
    return not (isinstance(last, FragLine) and getattr(last, "lineBreak", False))
