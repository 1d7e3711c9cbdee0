"""Markdown briefing read back with a CommonMark parser: every item, under its section, exact."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given
from markdown_it import MarkdownIt

from briefing.labels import Labels
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.markdown import MarkdownExporter
from styles import Theme
from tests.episodes import episodes, expected_texts, expected_times, make_episode, squash
from tests.readback import markdown_inline_text

MASTHEAD = ("title", "category", "speakers")
PARSER = MarkdownIt("commonmark").enable("table")


def read_back(data: bytes, labels: Labels) -> dict[str, list[str]]:
    """Text of every block, grouped by the section (h2) it stands under."""
    names = {
        labels.at_a_glance: "glance",
        labels.takeaways: "takeaways",
        labels.segments: "segments",
        labels.claims: "claims",
        labels.predictions: "predictions",
        labels.facts: "facts",
        labels.quotes: "quotes",
        labels.technologies: "technologies",
        labels.companies_and_topics: "companies_and_topics",
    }
    sections: dict[str, list[str]] = defaultdict(list)
    current = "masthead"
    tokens = PARSER.parse(data.decode("utf-8"))
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        if tokens[index - 1].type == "heading_open" and tokens[index - 1].tag == "h2":
            current = names[markdown_inline_text(token)]
            continue
        sections[current].append(markdown_inline_text(token))
    return sections


def render(episode: Episode, theme: Theme, labels: Labels) -> bytes:
    return MarkdownExporter().render(episode, theme, labels, default_context(episode))


def test_every_seed_item_is_under_its_section(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    sections = read_back(render(seed_episode, default_theme, labels), labels)
    for where, text in expected_texts(seed_episode):
        section = "masthead" if where in MASTHEAD else where
        blocks = [squash(block) for block in sections[section]]
        assert any(squash(text) in block for block in blocks), (where, text)
    everything = " ".join(" ".join(blocks) for blocks in sections.values())
    for stamp in expected_times(seed_episode):
        assert stamp in everything


def test_predictions_table(seed_episode: Episode, default_theme: Theme, labels: Labels) -> None:
    tokens = PARSER.parse(render(seed_episode, default_theme, labels).decode("utf-8"))
    rows, row = [], []
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            row.append(markdown_inline_text(token))
        elif token.type == "tr_close":
            rows.append(row)
    assert rows[0] == ["Time", "Horizon", "Years", "Class", "Statement", "Segment"]
    assert rows[1][:4] == ["01:35", "10 years", "10", "long"]
    assert rows[2][:4] == ["01:05:43", "Near future", "", "near"]
    assert [r[5] for r in rows[1:]] == [
        "The Decade of Agents",
        "AI in Education",
        "AI in Education",
    ]


HOSTILE = [
    "0.1 < x < 0.9",
    "AT&T &nbsp; &amp; &#65;",
    "<b>unclosed",
    "</para>",
    '<a href="javascript:alert(1)">x</a>',
    '<img src="/etc/hostname"/>',
    "{{ x }} %s \\n \\\\ back\\slash",
    "| a | b |",
    "# not a heading",
    "- not a list",
    "1. not a list either",
    "`code` and ```fence```",
    "*star* _under_ **strong** ~~strike~~",
    "[link](http://example.org) ![img](x.png)",
    "=SUM(A1:A2)",
    "   leading and trailing spaces   ",
    "two\nlines\n\nand a blank",
    "emoji 🐳🤗 flags 🇺🇦 zwj 👩‍👩‍👧 中文 العربية",
    "---",
    "> not a quote",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_is_data(text: str, default_theme: Theme, labels: Labels) -> None:
    episode = make_episode(takeaways=[text], predictions=[{"at": "00:01", "statement": text}])
    data = render(episode, default_theme, labels)
    sections = read_back(data, labels)
    assert sections["takeaways"] == [episode.takeaways[0]]
    html = PARSER.render(data.decode("utf-8"))
    assert "<a " not in html and "<img" not in html and "<b>" not in html
    assert html.count("<h2>") == 3  # at a glance, takeaways, predictions


def test_empty_sections_are_left_out(default_theme: Theme, labels: Labels) -> None:
    text = render(make_episode(), default_theme, labels).decode("utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## At a glance"]


def test_chinese_labels(seed_episode: Episode, default_theme: Theme, zh_labels: Labels) -> None:
    text = render(seed_episode, default_theme, zh_labels).decode("utf-8")
    assert "## 要点" in text and "**译文:** 中文" in text


def test_watch_link(default_theme: Theme, labels: Labels) -> None:
    episode = make_episode(watch_url="https://example.org/watch?v=a<b>&t=1")
    html = PARSER.render(render(episode, default_theme, labels).decode("utf-8"))
    assert '<a href="https://example.org/watch?v=a%3Cb%3E&amp;t=1">▶ Watch</a>' in html


def test_deterministic(seed_episode: Episode, default_theme: Theme, labels: Labels) -> None:
    assert render(seed_episode, default_theme, labels) == render(
        seed_episode, default_theme, labels
    )


@given(episodes())
def test_any_valid_episode_renders_with_all_its_text(episode: Episode) -> None:
    from briefing.labels import ENGLISH
    from styles import load_theme

    sections = read_back(
        MarkdownExporter().render(episode, load_theme(), ENGLISH, default_context(episode)), ENGLISH
    )
    everything = "\n".join("\n".join(blocks) for blocks in sections.values())
    for _where, text in expected_texts(episode):
        assert text in everything
