"""A theme that loads renders in every format: what the layout needs is validated.

The corner themes leave exactly the least text area allowed, with the smallest and
the largest fonts, on both paper sizes; each renders the seed and the corpus cases
that stress the layout most (a 300-character word, Chinese text) in every format.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from briefing.formats import NoCache, Registry, RenderContext
from briefing.labels import labels_for
from briefing.reproducible import FALLBACK
from briefing.source import load_episode
from styles import (
    MIN_TEXT_HEIGHT_MM,
    MIN_TEXT_WIDTH_MM,
    PAGE_SIZES_MM,
    Theme,
    ThemeError,
    load_theme,
)
from tests.conftest import SEED_JSON
from tests.system.adversarial.corpus import CASES_DIR

REGISTRY = Registry.from_metadata()
EPISODES = [SEED_JSON, CASES_DIR / "chars-cjk.json"]
CORNERS = list(itertools.product(["A4", "Letter"], [(6, 1), (24, 3)]))


def corner_theme(tmp_path: Path, size: str, fonts: tuple[float, float]) -> Theme:
    width, height = PAGE_SIZES_MM[size]
    side = (width - MIN_TEXT_WIDTH_MM) / 2
    top = (height - MIN_TEXT_HEIGHT_MM) / 2
    path = tmp_path / f"corner-{size}-{fonts[0]}.toml"
    path.write_text(
        f'[page]\nsize = "{size}"\nmargin_left_mm = {side}\nmargin_right_mm = {side}\n'
        f"margin_top_mm = {top}\nmargin_bottom_mm = {top}\n"
        f"[fonts]\nsize_pt = {fonts[0]}\nheading_scale = {fonts[1]}\n",
        encoding="utf-8",
    )
    return load_theme(str(path))


@pytest.mark.slow
@pytest.mark.parametrize("format_name", REGISTRY.names())
@pytest.mark.parametrize(("size", "fonts"), CORNERS, ids=[f"{s}-{f[0]}pt" for s, f in CORNERS])
def test_the_least_text_area_renders_in_every_format(
    tmp_path: Path, format_name: str, size: str, fonts: tuple[float, float]
) -> None:
    theme = corner_theme(tmp_path, size, fonts)
    assert theme.page.text_width_mm == pytest.approx(MIN_TEXT_WIDTH_MM)
    exporter = REGISTRY.get(format_name)
    for source in EPISODES:
        episode = load_episode(source)
        context = RenderContext(date=FALLBACK, generator="briefing test", cache=NoCache())
        document = exporter.render(episode, theme, labels_for(episode.language), context)
        assert isinstance(document, bytes) and document


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            "margin_left_mm = 100\nmargin_right_mm = 100",
            "page: the left and right margins (100 + 100 mm) leave 10 mm of the A4 page's "
            "210 mm width for text; at least 100 mm is needed",
        ),
        (
            'size = "Letter"\nmargin_top_mm = 80\nmargin_bottom_mm = 80',
            "page: the top and bottom margins (80 + 80 mm) leave 119.4 mm of the Letter "
            "page's 279.4 mm height for text; at least 120 mm is needed",
        ),
    ],
)
def test_margins_that_leave_too_little_text_area_are_refused(
    tmp_path: Path, page: str, message: str
) -> None:
    theme = tmp_path / "narrow.toml"
    theme.write_text(f"[page]\n{page}\n", encoding="utf-8")
    with pytest.raises(ThemeError) as raised:
        load_theme(str(theme))
    assert str(raised.value) == f"{theme}: {message}"


def test_a_paper_size_inherited_is_the_one_checked(tmp_path: Path) -> None:
    """55 + 55 mm leave 100 mm of A4 (210) but 105.9 mm of Letter: the parent's size counts."""
    (tmp_path / "letter.toml").write_text('[page]\nsize = "Letter"\n', encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(
        'extends = "letter"\n[page]\nmargin_left_mm = 57\nmargin_right_mm = 57\n', encoding="utf-8"
    )
    assert load_theme(str(mine)).page.text_width_mm == pytest.approx(101.9)
    mine.write_text(
        'extends = "default"\n[page]\nmargin_left_mm = 57\nmargin_right_mm = 57\n',
        encoding="utf-8",
    )
    with pytest.raises(ThemeError, match="leave 96 mm of the A4 page's 210 mm width"):
        load_theme(str(mine))
