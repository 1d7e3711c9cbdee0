"""Generated episodes through every registered exporter: it never raises, its document opens
in the reader people would use, every text of the episode is in it, and nothing acts.

The number of examples comes from the hypothesis profile: ``default`` keeps the normal
run short; ``HYPOTHESIS_PROFILE=deep`` runs at least 1,000 per format.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.formats import Registry
from briefing.labels import labels_for
from briefing.model import Episode
from briefing.pipeline import default_context
from styles import load_theme
from tests import readback
from tests.conftest import SEED_JSON
from tests.episodes import episode_data, expected_texts, texts
from tests.system.adversarial.checks import Baseline, acting_problems, learn_baseline
from tests.system.adversarial.corpus import EXCEL_CELL_LIMIT, shows_cut_in_cell, utf16_length

REGISTRY = Registry.from_metadata()
FORMATS = REGISTRY.names()
THEME = load_theme()

# What normalisation removes or rewrites, mixed into otherwise valid text: the exporters
# must see clean text whatever the input held.
_NOISE = st.sampled_from(
    [
        "\r\n",
        "\r",
        "\t",
        "  ",
        "\x00",
        "\x07",
        "\x1b",
        "\ufffe",
        "\u2028",
        "\x0c",
        "\u200b",
        "\u202e",
    ]
)
_TEXT_FIELDS = {
    "title": None,
    "category": None,
    "speakers": "list",
    "takeaways": "list",
    "companies": "list",
    "topics": "list",
}


@st.composite
def untidy(draw: st.DrawFn, text: str) -> str:
    """``text`` with noise before, inside or after it (it keeps its own characters)."""
    where = draw(st.integers(0, len(text)))
    return draw(_NOISE) + text[:where] + draw(_NOISE) + text[where:] + draw(_NOISE)


@st.composite
def episode_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Valid episode JSON data: arbitrary Unicode, optional fields missing or present, some
    text untidy, and now and then one section with a couple of hundred items."""
    data = draw(episode_data(max_items=draw(st.sampled_from([0, 2, 5]))))
    for name in ("category", "watch_url"):
        if name in data and draw(st.booleans()):
            del data[name]
    if draw(st.booleans()):
        data["published"] = draw(st.dates()).isoformat()
    if draw(st.booleans()):
        # Without a duration no time is past the end; with one, every time is inside it.
        del data["duration_minutes"]
    for name, shape in _TEXT_FIELDS.items():
        if name not in data or not draw(st.booleans()):
            continue
        if shape == "list":
            data[name] = [draw(untidy(text)) for text in data[name]]
        else:
            data[name] = draw(untidy(data[name]))
    if draw(st.integers(0, 9)) == 0:
        section = draw(st.sampled_from(["takeaways", "topics", "speakers", "companies"]))
        data[section] = draw(st.lists(texts, min_size=150, max_size=250))
    return data


@pytest.fixture(scope="session")
def baselines() -> dict[str, Baseline]:
    from briefing.source import load_episode

    seed = load_episode(SEED_JSON)
    return {
        name: learn_baseline(
            name, [REGISTRY.get(name).render(seed, THEME, labels_for("en"), default_context(seed))]
        )
        for name in FORMATS
    }


def shown(format_name: str, document_text: str, text: str, marker: str) -> bool:
    if format_name == "xlsx" and utf16_length(text) > EXCEL_CELL_LIMIT:
        return shows_cut_in_cell(document_text, readback.CELL_SEPARATOR, text, marker)
    return readback.shows(format_name, document_text, text)


@pytest.mark.parametrize("format_name", FORMATS)
@given(data=episode_documents())
def test_every_generated_episode_renders_opens_and_shows_all_its_text(
    format_name: str, data: dict[str, Any], baselines: dict[str, Baseline]
) -> None:
    episode = Episode.model_validate(data)
    labels = labels_for(episode.language)
    exporter = REGISTRY.get(format_name)
    document = exporter.render(episode, THEME, labels, default_context(episode))
    document_text = readback.reader_for(format_name, exporter.media_type)(document)
    missing = [
        (where, text)
        for where, text in expected_texts(episode)
        if not shown(format_name, document_text, text, labels.truncated.format(chars=len(text)))
    ]
    assert missing == []
    assert acting_problems(format_name, document, episode, baselines[format_name]) == []
