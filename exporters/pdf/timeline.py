"""The timeline: the episode's segments along its duration, and where each kind of item falls.

Each kind of item has its own lane and its own marker shape (claims triangles,
predictions diamonds, facts and prices squares, quotes circles), so the drawing
reads in grayscale and in print; the lane labels, each beside its marker shape,
are the legend. Segments are numbered bands in the order of the Segments section.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from reportlab.lib.colors import Color, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from briefing.labels import Labels
from briefing.model import Episode
from briefing.timeline import span_seconds, tick_step
from briefing.values import format_timestamp
from exporters.pdf.bidi import visual_order
from exporters.pdf.fonts import EmbeddedFont, runs
from exporters.pdf.shaping import shaped
from exporters.pdf.styles import Styles
from exporters.pdf.tagging import Tag, tree_of

MARKER_SIZE = 7.0
LANE_HEIGHT = 15.0
BAND_HEIGHT = 18.0
AXIS_HEIGHT = 16.0
LABEL_GUTTER = 92.0
ALT_TIMES = 12
"""The most times the timeline's alternative text lists for one kind of item; beyond
it the text gives the first and the last."""
OUTLINE_WIDTH = 0.6
"""The white outline of every marker, so that markers close together stay apart."""


class Mark(NamedTuple):
    """A filled and outlined shape: ``kind`` is ``rect`` (x, y, width, height),
    ``circle`` (x, y, radius) or ``polygon`` (x, y pairs); a ``line`` (x1, y1, x2, y2)
    has no fill."""

    kind: str
    geometry: tuple[float, ...]
    stroke: Color
    width: float
    fill: Color | None = None


class Text(NamedTuple):
    """A run of text in one face, drawn from its left end."""

    x: float
    y: float
    text: str
    font_name: str
    size: float
    colour: Color


Marker = Callable[[float, float, float, Color], Mark]


def _triangle(x: float, y: float, size: float, colour: Color) -> Mark:
    half = size / 2
    points = (x - half, y - half * 0.85, x + half, y - half * 0.85, x, y + half * 0.95)
    return Mark("polygon", points, white, OUTLINE_WIDTH, colour)


def _diamond(x: float, y: float, size: float, colour: Color) -> Mark:
    half = size / 2 * 1.1
    points = (x, y + half, x + half, y, x, y - half, x - half, y)
    return Mark("polygon", points, white, OUTLINE_WIDTH, colour)


def _square(x: float, y: float, size: float, colour: Color) -> Mark:
    half = size / 2 * 0.85
    side = 2 * half
    return Mark("rect", (x - half, y - half, side, side), white, OUTLINE_WIDTH, colour)


def _circle(x: float, y: float, size: float, colour: Color) -> Mark:
    return Mark("circle", (x, y, size / 2 * 0.95), white, OUTLINE_WIDTH, colour)


def _line(x1: float, y1: float, x2: float, y2: float, colour: Color, width: float) -> Mark:
    return Mark("line", (x1, y1, x2, y2), colour, width)


@dataclass(frozen=True)
class Lane:
    label: str
    marker: Marker
    colour: Color
    times: tuple[int, ...]


def _lanes(episode: Episode, labels: Labels, styles: Styles) -> list[Lane]:
    palette = styles.palette
    fact_times = [fact.at for fact in episode.facts] + [price.at for price in episode.prices]
    quote_times = [quote.at for quote in episode.quotes if quote.at is not None]
    lanes = [
        Lane(labels.claims, _triangle, palette.accent, tuple(c.at for c in episode.claims)),
        Lane(
            labels.predictions, _diamond, palette.heading, tuple(p.at for p in episode.predictions)
        ),
        Lane(labels.facts, _square, palette.link, tuple(sorted(fact_times))),
        Lane(labels.quotes, _circle, palette.muted, tuple(quote_times)),
    ]
    return [lane for lane in lanes if lane.times]


def _texts(
    text: str, x: float, y: float, primary: EmbeddedFont, size: float, colour: Color, anchor: str
) -> list[Text]:
    """One run per fallback face, laid end to end, so any script draws in a face that has
    it; ``anchor`` (start, middle, end) says where ``x`` is on the whole."""
    pieces = [
        replace(run, text=shaped(run.font, run.text)) for run in runs(visual_order(text), primary)
    ]
    widths = [pdfmetrics.stringWidth(run.text, run.font_name, size) for run in pieces]
    total = sum(widths)
    left = {"start": x, "middle": x - total / 2, "end": x - total}[anchor]
    texts = []
    for run, width in zip(pieces, widths, strict=True):
        texts.append(Text(left, y, run.text, run.font_name, size, colour))
        left += width
    return texts


class Plot(NamedTuple):
    """What the timeline draws, bottom-left at (0, 0): shapes first, then text."""

    width: float
    height: float
    marks: tuple[Mark, ...]
    texts: tuple[Text, ...]


def timeline_plot(episode: Episode, labels: Labels, styles: Styles, width: float) -> Plot:
    palette = styles.palette
    body = styles.faces.body
    small = styles.theme.fonts.size_pt * 0.75
    lanes = _lanes(episode, labels, styles)
    span = span_seconds(episode)
    left, right = LABEL_GUTTER, width - 4
    plot = right - left

    def x_at(seconds: int) -> float:
        return left + plot * min(seconds, span) / span

    height = len(lanes) * LANE_HEIGHT + BAND_HEIGHT + AXIS_HEIGHT + 6
    marks: list[Mark] = []
    texts: list[Text] = []
    band_bottom = AXIS_HEIGHT
    band_top = band_bottom + BAND_HEIGHT

    for index, lane in enumerate(reversed(lanes)):
        y = band_top + 6 + index * LANE_HEIGHT + LANE_HEIGHT / 2
        marks.append(_line(left, y, right, y, palette.rule, 0.4))
        marks.append(lane.marker(left - 10, y, MARKER_SIZE, lane.colour))
        texts += _texts(lane.label, left - 18, y - small * 0.35, body, small, palette.text, "end")
        marks += [lane.marker(x_at(seconds), y, MARKER_SIZE, lane.colour) for seconds in lane.times]

    starts = [segment.at for segment in episode.segments]
    ends = [*starts[1:], span] if starts else []
    label_y = band_bottom + BAND_HEIGHT / 2 - small * 0.35
    for number, (segment, end) in enumerate(zip(episode.segments, ends, strict=True), start=1):
        x0, x1 = x_at(segment.at), x_at(end)
        fill = palette.band if number % 2 else palette.panel
        marks.append(Mark("rect", (x0, band_bottom, x1 - x0, BAND_HEIGHT), palette.rule, 0.4, fill))
        label = str(number)
        label_width = pdfmetrics.stringWidth(label, body.fontName, small)
        if label_width + 4 <= x1 - x0:
            x = (x0 + x1) / 2 - label_width / 2
            texts.append(Text(x, label_y, label, body.fontName, small, palette.text))
    if episode.segments:
        texts += _texts(labels.segments, left - 18, label_y, body, small, palette.text, "end")

    marks.append(_line(left, band_bottom, right, band_bottom, palette.muted, 0.6))
    step = tick_step(span, plot, label_room=56)
    for seconds in range(0, span + 1, step):
        x = x_at(seconds)
        marks.append(_line(x, band_bottom, x, band_bottom - 3, palette.muted, 0.6))
        anchor = "start" if seconds == 0 else "end" if x > right - 24 else "middle"
        y = band_bottom - 3 - small * 1.2
        texts += _texts(format_timestamp(seconds), x, y, body, small, palette.muted, anchor)
    return Plot(width, height, tuple(marks), tuple(texts))


def paint(canvas: Canvas, marks: Sequence[Mark], texts: Sequence[Text]) -> None:
    """Draw straight on the canvas, setting colours, widths and faces only when they
    change. reportlab's graphics (a ``Drawing`` of shapes) took 3 ms of the bundled
    episode's 29: it saves and restores the state around every shape and checks every
    attribute as it is set."""
    canvas.saveState()
    stroke: Color | None = None
    fill: Color | None = None
    width: float | None = None
    for mark in marks:
        if mark.stroke is not stroke:
            canvas.setStrokeColor(stroke := mark.stroke)
        if mark.width != width:
            canvas.setLineWidth(width := mark.width)
        if mark.fill is not None and mark.fill is not fill:
            canvas.setFillColor(fill := mark.fill)
        kind, geometry = mark.kind, mark.geometry
        if kind == "line":
            canvas.line(*geometry)
        elif kind == "rect":
            canvas.rect(*geometry, stroke=1, fill=1)
        elif kind == "circle":
            canvas.circle(*geometry, stroke=1, fill=1)
        else:
            path = canvas.beginPath()
            path.moveTo(geometry[0], geometry[1])
            for index in range(2, len(geometry), 2):
                path.lineTo(geometry[index], geometry[index + 1])
            path.close()
            canvas.drawPath(path, stroke=1, fill=1)
    face: tuple[str, float] | None = None
    for text in texts:
        if text.colour is not fill:
            canvas.setFillColor(fill := text.colour)
        if (text.font_name, text.size) != face:
            face = (text.font_name, text.size)
            canvas.setFont(*face)
        canvas.drawString(text.x, text.y, text.text)
    canvas.restoreState()


def timeline_alt(episode: Episode, labels: Labels, styles: Styles) -> str:
    """What the timeline shows, in words: its span, how many segments, and when the
    items of each lane fall (every time, or the first and last of a long lane)."""
    span = format_timestamp(span_seconds(episode))
    parts = [f"{labels.timeline} 00:00–{span}"]
    if episode.segments:
        parts.append(labels.how_many("segments", len(episode.segments)))
    for lane in _lanes(episode, labels, styles):
        times = [format_timestamp(seconds) for seconds in sorted(lane.times)]
        shown = ", ".join(times) if len(times) <= ALT_TIMES else f"{times[0]} … {times[-1]}"
        parts.append(f"{lane.label} ({len(times)}): {shown}")
    return "; ".join(parts)


class Figure(Flowable):
    """A plot as a ``Figure`` structure element with alternative text."""

    def __init__(self, plot: Plot, alt: str) -> None:
        super().__init__()
        self.plot = plot
        self.tag = Tag("Figure", attributes={"Alt": alt})

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.plot.width, self.plot.height
        return self.width, self.height

    def draw(self) -> None:
        tree = tree_of(self.canv)
        if tree is None:
            paint(self.canv, self.plot.marks, self.plot.texts)
            return
        tree.begin(self.canv, self.tag)
        paint(self.canv, self.plot.marks, self.plot.texts)
        tree.end(self.canv)
