"""The page in a real browser: Debian's Chromium driven by Playwright (nothing downloaded),
axe-core from the axe-playwright-python wheel. No sideways scrolling, every seed item
visible, no WCAG 2.1 A/AA violation, no request beyond the page, every item in print."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.labels import CHINESE, ENGLISH
from briefing.model import Episode
from styles import load_theme
from tests import readback
from tests.episodes import expected_texts
from tests.exporters.html.pages import hostile_episode_data, page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


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


def open_page(browser, path: Path, width: int, scheme: str = "light"):
    """The page loaded at ``width``; every request it makes is recorded on ``requests``."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.goto(path.as_uri())
    return context, tab


def episode_for(name: str, seed_episode: Episode) -> Episode:
    return Episode.model_validate(hostile_episode_data()) if name == "hostile" else seed_episode


@pytest.mark.parametrize("width", [360, 375, 1280, 1440])
@pytest.mark.parametrize("name", ["en", "zh", "hostile"])
def test_no_sideways_scroll_and_every_item_visible(
    browser, pages, seed_episode, name, width
) -> None:
    context, tab = open_page(browser, pages[name], width)
    try:
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        visible = tab.inner_text("body")
        episode = episode_for(name, seed_episode)
        assert [(w, t) for w, t in expected_texts(episode) if t not in visible] == []
        assert tab.requests == [pages[name].as_uri()]
        # No script ran: the CSP meta forbids it, and there is none.
        assert tab.evaluate("document.scripts.length") == 0
    finally:
        context.close()


@pytest.mark.parametrize(
    ("name", "scheme"),
    [
        ("en", "light"),
        ("en", "dark"),
        ("zh", "light"),
        ("print", "light"),
        ("print", "dark"),
        ("hostile", "dark"),
    ],
)
def test_axe_finds_no_wcag_21_a_or_aa_violation(browser, pages, name, scheme) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for width in (375, 1280):
        context, tab = open_page(browser, pages[name], width, scheme)
        try:
            results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
            assert results.violations_count == 0, results.generate_report()
        finally:
            context.close()


def test_a_print_to_pdf_has_every_item(browser, pages, seed_episode) -> None:
    from pypdf import PdfReader

    context, tab = open_page(browser, pages["print"], 1280)
    try:
        tab.emulate_media(media="print")
        assert tab.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
        pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    text = readback.pdf_text(pdf)
    missing = [
        (where, t)
        for where, t in expected_texts(seed_episode)
        if not readback.shows("pdf", text, t)
    ]
    assert missing == []
