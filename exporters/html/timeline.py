"""The timeline's geometry for the page's inline SVG: numbers only, drawn by a template.

It is the PDF's timeline (``exporters/pdf/timeline.py``) in SVG user units: the
segments as numbered bands along the episode, one lane per kind of item with its
own marker shape (claims triangles, predictions diamonds, facts and prices squares,
quotes circles), so it reads in grayscale and in print. Text in the drawing is
limited to labels and times; every item's whole text is in its section.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.labels import Labels
from briefing.model import Episode
from briefing.timeline import span_seconds, tick_step
from briefing.values import format_timestamp

WIDTH = 960
GUTTER = 150
"""Room left of the plot for the lane labels."""
LANE = 26
BAND = 30
AXIS = 26
MARKER = 12


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    shape: str
    """``triangle``, ``diamond``, ``square`` or ``circle``: the template draws it."""
    points: str
    """The polygon's points (empty for a circle)."""
    label: str
    """``Claims · 18:00``: what a pointer shows over the marker."""


@dataclass(frozen=True)
class Lane:
    key: str
    label: str
    y: float
    shape: str
    legend: Marker
    markers: tuple[Marker, ...]


@dataclass(frozen=True)
class Band:
    number: int
    x: float
    width: float
    label: str
    """The band's number when it fits in the band, else empty."""
    title: str
    """``3 · 18:00 · Memory and Compression``: what a pointer shows over the band."""


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    anchor: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    left: float
    right: float
    band_y: float
    band_height: float
    axis_y: float
    lanes: tuple[Lane, ...]
    bands: tuple[Band, ...]
    ticks: tuple[Tick, ...]
    span_label: str
    """The span the drawing covers, ``0:00-2:26:00``, for its text description."""


def _points(shape: str, x: float, y: float) -> str:
    half = MARKER / 2
    corners = {
        "triangle": [(x - half, y + half * 0.85), (x + half, y + half * 0.85), (x, y - half)],
        "diamond": [
            (x, y - half * 1.1),
            (x + half * 1.1, y),
            (x, y + half * 1.1),
            (x - half * 1.1, y),
        ],
        "square": [
            (x - half * 0.85, y - half * 0.85),
            (x + half * 0.85, y - half * 0.85),
            (x + half * 0.85, y + half * 0.85),
            (x - half * 0.85, y + half * 0.85),
        ],
    }.get(shape, [])
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)


def timeline(episode: Episode, labels: Labels) -> Timeline:
    span = span_seconds(episode)
    left, right = float(GUTTER), float(WIDTH - 8)
    plot = right - left

    def x_at(seconds: int) -> float:
        return round(left + plot * min(seconds, span) / span, 1)

    fact_times = sorted([f.at for f in episode.facts] + [p.at for p in episode.prices])
    kinds = [
        ("claims", labels.claims, "triangle", [c.at for c in episode.claims]),
        ("predictions", labels.predictions, "diamond", [p.at for p in episode.predictions]),
        ("facts", labels.facts, "square", fact_times),
        ("quotes", labels.quotes, "circle", [q.at for q in episode.quotes if q.at is not None]),
    ]
    kinds = [kind for kind in kinds if kind[3]]
    lanes = []
    for index, (key, label, shape, times) in enumerate(kinds):
        y = 10 + index * LANE + LANE / 2
        markers = tuple(
            Marker(
                x_at(at),
                y,
                shape,
                _points(shape, x_at(at), y),
                f"{label} · {format_timestamp(at)}",
            )
            for at in times
        )
        legend = Marker(left - 14, y, shape, _points(shape, left - 14, y), label)
        lanes.append(Lane(key, label, y, shape, legend, markers))
    band_y = 10 + len(kinds) * LANE + 6
    starts = [segment.at for segment in episode.segments]
    ends = [*starts[1:], span]
    bands = []
    for number, (segment, end) in enumerate(zip(episode.segments, ends, strict=False), start=1):
        x0, x1 = x_at(segment.at), x_at(end)
        fits = len(str(number)) * 9 + 4 <= x1 - x0
        bands.append(
            Band(
                number,
                x0,
                round(x1 - x0, 1),
                str(number) if fits else "",
                f"{number} · {format_timestamp(segment.at)} · {segment.title}",
            )
        )
    axis_y = band_y + BAND
    step = tick_step(span, plot, label_room=80)
    ticks = []
    for seconds in range(0, span + 1, step):
        x = x_at(seconds)
        anchor = "start" if seconds == 0 else "end" if x > right - 30 else "middle"
        ticks.append(Tick(x, format_timestamp(seconds), anchor))
    return Timeline(
        width=WIDTH,
        height=int(axis_y + AXIS),
        left=left,
        right=right,
        band_y=band_y,
        band_height=BAND,
        axis_y=axis_y,
        lanes=tuple(lanes),
        bands=tuple(bands),
        ticks=tuple(ticks),
        span_label=f"{format_timestamp(0)}–{format_timestamp(span)}",
    )
