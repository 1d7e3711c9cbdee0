"""The sections of a briefing, in the order every format prints them, and their titles.

Formats differ in how they draw a section, never in which sections exist, in their
order or in their titles; an empty section is left out everywhere. Each format maps
``SectionKey`` to its own writers.
"""

from __future__ import annotations

from typing import Literal, get_args

from briefing.labels import Labels
from briefing.model import Episode

SectionKey = Literal[
    "takeaways",
    "segments",
    "claims",
    "predictions",
    "facts",
    "quotes",
    "technologies",
    "companies_and_topics",
]

SECTION_ORDER: tuple[SectionKey, ...] = get_args(SectionKey)


def section_title(key: SectionKey, labels: Labels) -> str:
    """The heading of a section: the label of the same name."""
    return str(getattr(labels, key))


def has_section(episode: Episode, key: SectionKey) -> bool:
    if key == "facts":
        return bool(episode.facts or episode.prices)
    if key == "companies_and_topics":
        return bool(episode.companies or episode.topics)
    return bool(getattr(episode, key))


def present_sections(episode: Episode) -> list[SectionKey]:
    """The sections this episode has content for, in print order."""
    return [key for key in SECTION_ORDER if has_section(episode, key)]
