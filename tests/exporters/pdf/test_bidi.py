"""The hand-written bidi of the PDF: right-to-left passages in drawing order.

It stays because reportlab's ``bidi`` extra cannot be installed here (it needs
``rlbidi``); words of scripts that join or form conjuncts are shaped afterwards, in
logical order again (``exporters.pdf.shaping``, README "Fonts"). Expected strings are
what the Unicode bidi algorithm gives for one line of a left-to-right paragraph, written
out by hand."""

from __future__ import annotations

import pytest

from exporters.pdf.bidi import has_right_to_left, visual_order


@pytest.mark.parametrize(
    ("logical", "drawn"),
    [
        ("plain text, no change", "plain text, no change"),
        ("abc שלום def", "abc םולש def"),
        # Numbers inside a passage keep their own left-to-right order.
        ("שלום 123 עולם", "םלוע 123 םולש"),
        # Marks stay on their letter.
        ("שָׁלוֹם", "םוֹלשָׁ"),
        # Brackets inside a passage are mirrored as they are reversed.
        ("אבג (דהו) זחט", "טחז (והד) גבא"),
        # Punctuation after the last right-to-left letter belongs to the paragraph.
        ("سلام، دنیا!", "ایند ،مالس!"),
        # A zero-width non-joiner is a cluster of its own and comes back where it was.
        ("x \u05d0\u200c\u05d1 y", "x \u05d1\u200c\u05d0 y"),
    ],
)
def test_right_to_left_passages_in_drawing_order(logical, drawn):
    assert visual_order(logical) == drawn


def test_drawing_order_is_undone_by_reversing_each_passage():
    # What text extractors do: reversing a passage again gives the logical text.
    logical = "Arabic: مرحبا بالعالم. Hebrew: שלום עולם."
    drawn = visual_order(logical)
    assert drawn != logical
    assert visual_order(drawn) == logical


def test_the_quick_test_finds_every_right_to_left_block():
    assert has_right_to_left("ש") and has_right_to_left("م") and has_right_to_left("\u07c0")
    assert not has_right_to_left("Latin, Ελληνικά, кириллица, 中文, देवनागरी")
