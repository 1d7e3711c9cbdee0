"""The time axis every format's timeline shares: whether there is one, the span it covers,
and where its labels go. Formats draw it their own way (reportlab shapes, inline SVG)."""

from __future__ import annotations

import math

from briefing.model import Episode

TICK_STEPS_MINUTES = (1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480, 960, 1920)


def has_timeline(episode: Episode) -> bool:
    return bool(episode.segments or episode.timed_items())


def span_seconds(episode: Episode) -> int:
    """The seconds the axis covers: the episode's duration, or a minute past its last item."""
    latest = max(
        [segment.at for segment in episode.segments]
        + [item.at for _name, _index, item in episode.timed_items()]
        + [0]
    )
    return max(episode.duration_seconds or 0, latest + 60, 60)


def tick_step(span: int, width: float, label_room: float) -> int:
    """Seconds between axis labels: the smallest round step that leaves ``label_room``
    (in the drawing's units) for each label across ``width``."""
    most = max(2, int(width // label_room))
    for minutes in TICK_STEPS_MINUTES:
        if span / (minutes * 60) <= most:
            return minutes * 60
    return math.ceil(span / most / 3600) * 3600
