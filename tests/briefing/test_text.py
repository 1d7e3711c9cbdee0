"""The one text-shortening function every format uses."""

from __future__ import annotations

from briefing.text import shorten


def test_short_text_is_one_line_as_it_was() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("one two\nthree", 20) == "one two three"


def test_long_text_is_cut_at_a_word_with_an_ellipsis() -> None:
    assert shorten("abcdefghijklmnop", 8) == "abcdefg…"
    assert shorten("words that run long", 12) == "words that…"
    assert shorten("a list, of things; that goes on", 10) == "a list…"
    for limit in range(2, 40):
        assert len(shorten("the quick brown fox jumps over the lazy dog " * 3, limit)) <= limit
