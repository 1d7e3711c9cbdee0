"""Values from the input, as messages show them: escaped and cut.

A message is one line on a terminal or in a log that a program may parse. A file
name, a key or a value comes from whoever wrote the input, so it must not be able to
start a line of its own (a newline), to reorder the line on screen (a bidi override),
or to fill the screen (a key of ten million characters).
"""

from __future__ import annotations

SHOWN_CHARS = 60
"""How much of a value from the input a message quotes."""


def printable(text: str, limit: int | None = None) -> str:
    """``text`` safe to print on one line: every character that is not printable (NUL,
    newline, bidi overrides, zero-width marks) as its escape, so a file name or a key
    can neither start a line of its own nor reorder the line on screen; with ``limit``,
    cut after that many characters, saying how long it was."""
    if text.isprintable() and (limit is None or len(text) <= limit):
        return text  # the common case, settled in C
    cut = text if limit is None or len(text) <= limit else text[:limit]
    escaped = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in cut)
    return escaped if cut is text else f"{escaped}… ({len(text):,} characters)"


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value from the input, quoted for a message: repr (which escapes what is not
    printable), at most ``limit`` characters of it."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= limit + 2 else f"{text[:limit]}… ({len(text):,} characters)"
