"""Long input in the PDF: a paragraph split over many pages is broken into lines once and
drawn whole; fields of thousands of lines and long lists come out complete and tagged.

Render time itself is measured in ``python -m benchmarks --only pdf-growth``; here the
big inputs run under a hang guard only (a render that went quadratic again would take
many minutes), and what is checked is the output and how often lines are broken.
"""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph as reportlab_paragraph

from briefing.model import Episode
from briefing.text import shorten
from exporters.pdf.front import GLANCE_TAKEAWAY_CHARS
from exporters.pdf.styles import styles_for
from exporters.pdf.text import LINK_CONTENTS_CHARS, Paragraph, paragraph_of
from tests.episodes import make_episode
from tests.exporters.pdf.reading import render
from tests.exporters.pdf.structure import read_tagged
from tests.exporters.pdf.test_tagging import check_structure
from tests.hang_guard import hang_guard

HANG_SECONDS = 900
"""Far beyond what any of these renders takes; only a hang or a quadratic step reaches it."""


def _split_over_pages(part: Paragraph, width: float, height: float) -> list[Paragraph]:
    """The parts a paragraph is drawn in, page after page of ``height`` points."""
    parts = []
    while True:
        _width, needed = part.wrap(width, height)
        if needed <= height:
            return [*parts, part]
        head, part = part.split(width, height)
        assert head.wrap(width, height)[1] <= height
        parts.append(head)


def _drawn_lines(parts: list[Paragraph], width: float, height: float) -> list[str]:
    canvas = Canvas(io.BytesIO())
    lines: list[str] = []
    for part in parts:
        part.wrap(width, height)
        part.drawOn(canvas, 0, 0)
        lines += [_line_text(line) for line in part.blPara.lines]
    return lines


def _line_text(line: object) -> str:
    """A line as reportlab drew it: ``(space, words)`` of one fragment, or fragment words."""
    if isinstance(line, tuple):
        return " ".join(str(word) for word in line[1])
    return "".join(getattr(word, "text", "") for word in line.words).rstrip(" ")


@pytest.fixture
def breaking_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many paragraphs reportlab breaks into lines (either way) from here on."""
    calls: list[int] = []
    for name in ("breakLines", "breakLinesCJK"):
        original = getattr(reportlab_paragraph.Paragraph, name)

        def counted(self: object, widths: object, original: object = original) -> object:
            calls.append(1)
            return original(self, widths)  # type: ignore[operator]

        monkeypatch.setattr(reportlab_paragraph.Paragraph, name, counted)
    return calls


@pytest.mark.parametrize("cjk", [False, True], ids=["latin", "cjk"])
def test_a_paragraph_over_many_pages_is_broken_into_lines_once(default_theme, breaking_count, cjk):
    styles = styles_for(default_theme, cjk)
    words = "深度 学习 模型" if cjk else "several words"
    lines = [f"line {number} {words}" for number in range(3000)]
    paragraph = paragraph_of("\n".join(lines), styles.body)
    width, height = 300.0, 200.0
    parts = _split_over_pages(paragraph, width, height)
    assert len(parts) > 100
    # Once for the whole paragraph: the parts are windows on its lines.
    assert len(breaking_count) == 1
    # Every line once, in order; no part starts with an empty line.
    assert _drawn_lines(parts, width, height) == lines
    assert all(part.tag is parts[0].tag for part in parts)


def test_a_window_offered_another_width_is_broken_again(default_theme):
    styles = styles_for(default_theme, False)
    text = " ".join(f"word{number}" for number in range(400))
    head, rest = paragraph_of(text, styles.body).split(300.0, 100.0)
    narrower = _split_over_pages(rest, 200.0, 100.0)
    words = " ".join(_drawn_lines([head], 300.0, 100.0) + _drawn_lines(narrower, 200.0, 100.0))
    assert words.split() == text.split()


def _poppler_text(data: bytes) -> str:
    completed = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return completed.stdout.decode("utf-8")


def _in_order(text: str, expected: list[str]) -> bool:
    position = 0
    for line in expected:
        found = text.find(f"\n{line}\n", position)
        if found < 0:
            return False
        position = found + len(line) + 1
    return True


def _long_fields(lines: list[str]) -> Episode:
    text = "\n".join(lines)
    return make_episode(
        duration_minutes=10,
        takeaways=[text],
        quotes=[{"text": text, "speaker": "Ann", "at": "01:00"}],
        claims=[{"at": "02:00", "kind": "K", "claim": text, "evidence": text}],
    )


def _check_long_fields(lines: list[str], data: bytes) -> None:
    text = _poppler_text(data)
    # At a glance, the takeaway cut to a few lines of its words; then the takeaway in its
    # section, the quote, the claim, its evidence (whose first line also has the label
    # "Evidence"), each whole.
    glance = shorten("\n".join(lines), GLANCE_TAKEAWAY_CHARS)
    assert " ".join(text[: text.index(f"\n{lines[0]}\n")].split()).find(glance[:-1]) >= 0
    for _ in range(4):
        assert _in_order(text, lines[1:])
        text = text[text.index(f"\n{lines[-1]}\n") + len(lines[-1]) :]
    check_structure(read_tagged(data))
    # The one linked text is the cut takeaway at a glance: reportlab makes an annotation
    # per line of a linked paragraph, so a few, not one per line of the field.
    pdf = pikepdf.open(io.BytesIO(data))
    contents = [
        str(annotation.Contents) for page in pdf.pages for annotation in page.get("/Annots", [])
    ]
    assert 0 < len(contents) < 50
    assert max(len(text) for text in contents) <= LINK_CONTENTS_CHARS
    assert any(text.startswith("row 0 row 1 row 2") for text in contents)


def test_fields_of_two_thousand_lines_are_complete_and_tagged(default_theme):
    lines = [f"row {number}" for number in range(2_000)]
    with hang_guard(HANG_SECONDS):
        data = render(_long_fields(lines), default_theme)
    _check_long_fields(lines, data)


@pytest.mark.slow
def test_fields_of_ten_thousand_lines_are_complete_and_tagged(default_theme):
    lines = [f"row {number}" for number in range(10_000)]
    with hang_guard(HANG_SECONDS):
        data = render(_long_fields(lines), default_theme)
    _check_long_fields(lines, data)


@pytest.mark.slow
def test_a_field_of_a_hundred_thousand_lines(default_theme):
    lines = [chr(ord("a") + number % 26) for number in range(100_000)]
    episode = make_episode(duration_minutes=10, takeaways=["\n".join(lines)])
    with hang_guard(HANG_SECONDS):
        data = render(episode, default_theme)
    text = _poppler_text(data)
    # Whole in its section (at a glance it is cut to its first few hundred letters).
    assert _in_order(text, lines)
