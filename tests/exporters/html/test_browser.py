"""The page in a real browser: Debian's Chromium driven by Playwright (nothing downloaded),
axe-core from the axe-playwright-python wheel. No sideways scrolling, every seed item
visible, no WCAG 2.1 A/AA violation, no request beyond the page, every item in print, and
East Asian text drawn in the face the page carries, on a system with no CJK font."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.labels import CHINESE, ENGLISH
from briefing.model import Episode
from styles import load_theme
from tests.exporters.html.chromium import (
    EMBEDDED_FACE,
    MARKS,
    axe_report,
    carried_codes,
    fonts_of_east_asian_runs,
    layout_problems,
    missing_in_print,
    opened,
    printed,
)
from tests.exporters.html.pages import hostile_episode_data, page

pytestmark = MARKS


@pytest.fixture(scope="module")
def pages(tmp_path_factory, seed_episode) -> dict[str, Path]:
    """The seed in English, in Chinese, in the print theme, and the hostile episode."""
    folder = tmp_path_factory.mktemp("html")
    hostile = Episode.model_validate(hostile_episode_data())
    made = {
        "en": page(seed_episode, load_theme(), ENGLISH),
        "zh": page(seed_episode, load_theme(), CHINESE),
        "print": page(seed_episode, load_theme("print"), ENGLISH),
        "hostile": page(hostile, load_theme(), ENGLISH),
    }
    for name, data in made.items():
        (folder / f"{name}.html").write_bytes(data)
    return {name: folder / f"{name}.html" for name in made}


def episode_for(name: str, seed_episode: Episode) -> Episode:
    return Episode.model_validate(hostile_episode_data()) if name == "hostile" else seed_episode


@pytest.mark.parametrize("width", [360, 375, 1280, 1440])
@pytest.mark.parametrize("name", ["en", "zh", "hostile"])
def test_no_sideways_scroll_and_every_item_visible(
    browser, pages, seed_episode, name, width
) -> None:
    with opened(browser, pages[name], width) as tab:
        assert layout_problems(tab, pages[name], episode_for(name, seed_episode), width) == []


@pytest.mark.parametrize(
    ("name", "scheme"),
    [
        ("en", "light"),
        ("en", "dark"),
        ("zh", "light"),
        ("zh", "dark"),
        ("print", "light"),
        ("print", "dark"),
        ("hostile", "dark"),
    ],
)
def test_axe_finds_no_wcag_21_a_or_aa_violation(browser, pages, name, scheme) -> None:
    for width in (375, 1280):
        with opened(browser, pages[name], width, scheme) as tab:
            assert axe_report(tab) == ""


@pytest.mark.parametrize("name", ["print", "zh"])
def test_a_print_to_pdf_has_every_item(browser, pages, seed_episode, name) -> None:
    with opened(browser, pages[name], 1280) as tab:
        pdf = printed(tab)
        assert tab.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
        missing = missing_in_print(pdf, seed_episode, tab)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 3
    assert missing == []


@pytest.mark.parametrize(("name", "runs"), [("en", 1), ("zh", 50)])
@pytest.mark.parametrize("width", [375, 1280])
def test_east_asian_text_is_drawn_in_the_face_the_page_carries(
    browser, pages, name, runs, width
) -> None:
    """Without it, a machine with no CJK font (this one: DejaVu only) draws boxes, which
    Chromium reports as glyphs of a system font that has none of these characters."""
    with opened(browser, pages[name], width) as tab:
        found = fonts_of_east_asian_runs(tab, carried_codes(pages[name].read_bytes()))
    assert len(found) >= runs
    wrong = [
        (text, fonts)
        for text, fonts in found
        if [(font["familyName"], font["isCustomFont"]) for font in fonts] != [(EMBEDDED_FACE, True)]
    ]
    assert wrong == []
