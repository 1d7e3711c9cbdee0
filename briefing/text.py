"""Text helpers every format shares."""

from __future__ import annotations

_TRAILING = " ,;:·—-"
"""What a shortened line should not end in before its ellipsis."""


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text`` on one line, cut at a word with ``…``.

    Whitespace runs (line breaks too) become one space. A cut goes back to the last
    space when that is in the second half of the line, so a word is not broken unless it
    is very long; trailing spaces and punctuation are dropped before the ellipsis."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    kept = line[: limit - 1]
    if " " in kept[limit // 2 :]:
        kept = kept[: kept.rindex(" ")]
    return kept.rstrip(_TRAILING) + "…"
