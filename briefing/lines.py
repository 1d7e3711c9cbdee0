"""Pieces of a source page's lines, split by hand where a pattern would backtrack.

Python's ``re`` backtracks: a pattern with a lazy part followed by optional groups
that begin with ``\\s+`` retries every run of spaces from every position, so a padded
line costs the square or the cube of its length. These splits scan each line a fixed
number of times instead (``benchmarks/ingest_growth.py`` measures them at 1k, 10k
and 100k characters); ``tests/briefing/test_ingest.py`` holds them to what the
patterns they replace read.
"""

from __future__ import annotations

import re

TIME = r"\d{1,2}(?::\d{1,2}){1,2}"
"""``MM:SS`` or ``H:MM:SS`` as a page writes it (the model checks the ranges)."""
_HEADING_NAME = re.compile(r"[^\W\d_][\w&'’ -]{0,60}")


def split_heading(text: str) -> tuple[str, str | None] | None:
    r"""``Segments (14)`` -> (``Segments``, ``14``); None when it cannot be a heading.

    By hand rather than one pattern: ``name\s*\((\d+)\)$`` retried the run of spaces
    and the digits for each of the name's 61 possible lengths (61 passes over a padded
    line). The count is what is between the last ``(`` and a final ``)``.
    """
    name, count = text, None
    if text.endswith(")"):
        before, paren, inside = text[:-1].rpartition("(")
        if paren and inside.isdecimal():
            name, count = before.rstrip(), inside
    if len(name) > 61 or not _HEADING_NAME.fullmatch(name):
        return None
    return name.strip(), count


_QUOTE_DASHES = "—–"
_TIME_ONLY = re.compile(TIME)


def split_quote(line: str) -> tuple[str, str, str]:
    r"""``text — Speaker @ 12:34`` -> (text, speaker, time); the last two may be empty.

    By hand rather than one pattern: the pattern this replaces (a lazy text, then
    optional ``\s+[—–]\s+speaker`` and ``\s+@\s+time``) tried every run of spaces from
    every position, so a padded line was quadratic, and cubic around a dash (a
    4,000-space line took two minutes). Here each step is one scan from the right:
    the time is after the last ``@``, the speaker after the last dash, each
    separated by whitespace on both sides, the speaker holding no ``@``.
    """
    rest, at = line, ""
    head, sign, tail = line.rpartition("@")
    if sign and _spaced(head, tail) and _TIME_ONLY.fullmatch(tail.strip()) and head.strip():
        rest, at = head.rstrip(), tail.strip()
    last_dash = max(rest.rfind(dash) for dash in _QUOTE_DASHES)
    if last_dash > 0:
        before, after = rest[:last_dash], rest[last_dash + 1 :]
        speaker = after.strip()
        if _spaced(before, after) and before.strip() and speaker and "@" not in speaker:
            return before.rstrip(), speaker, at
    return rest, "", at


def _spaced(before: str, after: str) -> bool:
    """Whether a separator between these two parts has whitespace on both sides."""
    return bool(before) and bool(after) and before[-1].isspace() and after[0].isspace()
