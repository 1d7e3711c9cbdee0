"""An episode at every documented limit renders, whole, in every format.

The limits of ``briefing.model`` were chosen so that such an episode renders in bounded
time (README, "Limits"; measured by ``python -m benchmarks --only pdf-growth``): here it
is built (``benchmarks.pdf_growth.limit_episode``), rendered in every format under a
hang guard, not a timer, and read back.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest

from benchmarks.pdf_growth import FORMATS, QUICK_LIMITS, Limits, limit_episode
from briefing.formats import Registry, render_document
from briefing.labels import labels_for
from briefing.model import (
    MAX_EPISODE_CHARS,
    MAX_EPISODE_LINE_BREAKS,
    MAX_ITEMS,
    Episode,
    text_totals,
)
from briefing.pipeline import default_context
from styles import load_theme
from tests import readback
from tests.hang_guard import hang_guard

HANG_SECONDS = 900
"""Far beyond the two minutes the limits are chosen for: only a hang trips it."""

LISTS = ("segments", "predictions", "facts", "claims", "quotes", "prices", "technologies")


def _poppler_text(data: bytes) -> str:
    # pypdf (readback.pdf_text) would take many minutes over thousands of pages.
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


READERS: dict[str, Callable[[bytes], str]] = {
    "md": readback.markdown_text,
    "html": readback.html_text,
    "docx": readback.docx_text,
    "xlsx": readback.xlsx_text,
    "pdf": _poppler_text,
}


def _main_text(item: object) -> str:
    for name in ("title", "statement", "claim", "text", "item", "name"):
        if isinstance(value := getattr(item, name, None), str):
            return value
    raise AssertionError(f"no main text in {item!r}")


def _render(name: str, episode: Episode) -> bytes:
    exporter = Registry.from_metadata().get(name)
    theme = load_theme("default")
    context = default_context(episode)
    return render_document(exporter, episode, theme, labels_for(episode.language), context)


def test_the_small_limit_sized_episode_is_at_its_limits() -> None:
    episode = limit_episode(QUICK_LIMITS)
    assert text_totals(episode) == (QUICK_LIMITS.chars, QUICK_LIMITS.line_breaks)
    assert {len(getattr(episode, name)) for name in (*LISTS, "takeaways")} == {QUICK_LIMITS.items}
    assert max(len(text) for text in episode.takeaways) <= QUICK_LIMITS.text_chars


def test_the_limit_sized_episode_is_valid_at_every_limit() -> None:
    episode = limit_episode(Limits())
    assert text_totals(episode) == (MAX_EPISODE_CHARS, MAX_EPISODE_LINE_BREAKS)
    assert {len(getattr(episode, name)) for name in (*LISTS, "takeaways")} == {MAX_ITEMS}


@pytest.mark.slow
@pytest.mark.parametrize("name", FORMATS)
def test_the_limit_sized_episode_renders_whole(name: str) -> None:
    episode = limit_episode(Limits())
    with hang_guard(HANG_SECONDS):
        data = _render(name, episode)
    text = READERS[name](data)
    # The first and the last item of every list, and the last takeaway (the first ones
    # are the long texts, cut in a workbook's cells at Excel's limit).
    for list_name in LISTS:
        items = getattr(episode, list_name)
        for item in (items[0], items[-1]):
            assert readback.shows(name, text, _main_text(item)), (list_name, item)
    assert readback.shows(name, text, episode.takeaways[-1])
