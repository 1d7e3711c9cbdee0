"""Plain paragraphs placed and drawn without reportlab's ``drawOn`` and ``drawPara``
(``exporters.pdf.plain_lines``) give the bytes reportlab gives, and every other
paragraph is left to reportlab."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings

from briefing.labels import labels_for
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.pdf import text as pdf_text
from exporters.pdf.document import render_pdf
from styles import Theme
from tests.episodes import episodes, make_episode


@contextmanager
def _counted() -> Iterator[list[bool]]:
    """Every answer of ``draw_plain`` while the block runs, True where it drew."""
    answers: list[bool] = []
    original = pdf_text.draw_plain

    def counting(paragraph: object) -> bool:
        answers.append(original(paragraph))  # type: ignore[arg-type]
        return answers[-1]

    pdf_text.draw_plain = counting
    try:
        yield answers
    finally:
        pdf_text.draw_plain = original


@contextmanager
def _reportlab_only() -> Iterator[None]:
    """Every paragraph placed (``drawOn``) and drawn (``drawPara``) by reportlab."""
    originals = pdf_text.draw_plain, pdf_text.plain
    pdf_text.draw_plain = lambda paragraph: False
    pdf_text.plain = lambda paragraph, canvas: False
    try:
        yield
    finally:
        pdf_text.draw_plain, pdf_text.plain = originals


def _render(episode: Episode, theme: Theme, tagged: bool = True) -> bytes:
    labels = labels_for(episode.language)
    return render_pdf(episode, theme, labels, default_context(episode), tagged=tagged)


def _same_bytes(episode: Episode, theme: Theme, tagged: bool = True) -> list[bool]:
    with _counted() as answers:
        ours = _render(episode, theme, tagged)
    with _reportlab_only():
        theirs = _render(episode, theme, tagged)
    assert ours == theirs
    return answers


def test_the_seed_is_reportlabs_bytes_in_both_themes_tagged_or_not(
    seed_episode, default_theme, print_theme
) -> None:
    for theme in (default_theme, print_theme):
        for tagged in (True, False):
            answers = _same_bytes(seed_episode, theme, tagged)
            # Most paragraphs are plain; the links, headings in colour boxes and
            # mixed-face cells are not.
            assert answers.count(True) > 100 and answers.count(False) > 10


def test_complex_scripts_and_east_asian_text_are_reportlabs_bytes(default_theme) -> None:
    episode = make_episode(
        title="مرحبا بالعالم — नमस्ते दुनिया",
        takeaways=[
            "العربية مع النص اللاتيني 2025م",
            "हिन्दी में एक वाक्य",
            "中文的句子，和 English words 一起",
            "שלום עולם",
            "plain words " * 40,
        ],
        topics=["ไทย", "தமிழ்", "বাংলা"],
    )
    assert True in _same_bytes(episode, default_theme)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(episodes(max_items=4))
def test_any_episode_is_reportlabs_bytes(default_theme, episode: Episode) -> None:
    _same_bytes(episode, default_theme)
