"""The sections of a briefing, in the order every format prints them.

Formats differ in how they draw a section, never in which sections exist or in
their order; an empty section is left out everywhere.
"""

from __future__ import annotations

from typing import Literal, get_args

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


def has_section(episode: Episode, key: SectionKey) -> bool:
    if key == "facts":
        return bool(episode.facts or episode.prices)
    if key == "companies_and_topics":
        return bool(episode.companies or episode.topics)
    return bool(getattr(episode, key))


def present_sections(episode: Episode) -> list[SectionKey]:
    """The sections this episode has content for, in print order."""
    return [key for key in SECTION_ORDER if has_section(episode, key)]
