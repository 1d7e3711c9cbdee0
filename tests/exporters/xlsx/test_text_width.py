"""Column widths in Excel's units, in the digits of the body font: an East Asian wide
character counts two, a combining mark none, every other character one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exporters.xlsx.text import _FIRST_WIDE, _wide, text_width


def test_wide_characters_count_two_and_marks_none() -> None:
    assert text_width("abc") == 3
    assert text_width("‘café’ — ok") == 11
    assert text_width("\u10ff") == 1  # just before the first wide block
    assert text_width("\u1100") == 2  # its first character, Hangul Jamo
    assert text_width("中文 text") == 9
    assert text_width("😀!") == 3
    assert text_width("e\u0301") == 1
    assert text_width("ab\n中文中文") == 8  # the longest line


@given(st.text(st.characters(codec="utf-8", max_codepoint=ord(_FIRST_WIDE) - 1)))
def test_no_wide_character_below_the_first_wide_block(line: str) -> None:
    # What lets _line_width pass the wide class by for such lines (curly quotes, dashes).
    assert _wide().findall(line) == []
