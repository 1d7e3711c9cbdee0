"""The timeline: the episode's segments along its duration, and where each kind of item falls.

Each kind of item has its own lane and its own marker shape (claims triangles,
predictions diamonds, facts and prices squares, quotes circles), so the drawing
reads in grayscale and in print; the lane labels, each beside its marker shape,
are the legend. Segments are numbered bands in the order of the Segments section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, Shape, String
from reportlab.lib.colors import Color, white
from reportlab.pdfbase import pdfmetrics
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

Marker = Callable[[float, float, float, Color], Shape]


def _triangle(x: float, y: float, size: float, colour: Color) -> Shape:
    half = size / 2
    points = [x - half, y - half * 0.85, x + half, y - half * 0.85, x, y + half * 0.95]
    return Polygon(points, fillColor=colour, strokeColor=white, strokeWidth=0.6)


def _diamond(x: float, y: float, size: float, colour: Color) -> Shape:
    half = size / 2 * 1.1
    points = [x, y + half, x + half, y, x, y - half, x - half, y]
    return Polygon(points, fillColor=colour, strokeColor=white, strokeWidth=0.6)


def _square(x: float, y: float, size: float, colour: Color) -> Shape:
    half = size / 2 * 0.85
    side = 2 * half
    return Rect(
        x - half, y - half, side, side, fillColor=colour, strokeColor=white, strokeWidth=0.6
    )


def _circle(x: float, y: float, size: float, colour: Color) -> Shape:
    return Circle(x, y, size / 2 * 0.95, fillColor=colour, strokeColor=white, strokeWidth=0.6)


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


def _strings(
    text: str, x: float, y: float, primary: EmbeddedFont, size: float, colour: Color, anchor: str
) -> list[String]:
    """One String per fallback run, laid end to end, so any script draws in a face that has it."""
    pieces = [
        replace(run, text=shaped(run.font, run.text)) for run in runs(visual_order(text), primary)
    ]
    widths = [pdfmetrics.stringWidth(run.text, run.font_name, size) for run in pieces]
    total = sum(widths)
    left = {"start": x, "middle": x - total / 2, "end": x - total}[anchor]
    shapes = []
    for run, width in zip(pieces, widths, strict=True):
        shapes.append(
            String(left, y, run.text, fontName=run.font_name, fontSize=size, fillColor=colour)
        )
        left += width
    return shapes


def timeline_drawing(episode: Episode, labels: Labels, styles: Styles, width: float) -> Drawing:
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
    drawing = Drawing(width, height)
    # reportlab would otherwise start the drawing in Helvetica, listed unembedded in the PDF.
    drawing.initialFontName = body.fontName
    drawing.initialFontSize = small
    band_bottom = AXIS_HEIGHT
    band_top = band_bottom + BAND_HEIGHT

    for index, lane in enumerate(reversed(lanes)):
        y = band_top + 6 + index * LANE_HEIGHT + LANE_HEIGHT / 2
        drawing.add(Line(left, y, right, y, strokeColor=palette.rule, strokeWidth=0.4))
        drawing.add(lane.marker(left - 10, y, MARKER_SIZE, lane.colour))
        for shape in _strings(
            lane.label, left - 18, y - small * 0.35, body, small, palette.text, "end"
        ):
            drawing.add(shape)
        for seconds in lane.times:
            drawing.add(lane.marker(x_at(seconds), y, MARKER_SIZE, lane.colour))

    starts = [segment.at for segment in episode.segments]
    ends = [*starts[1:], span] if starts else []
    for number, (segment, end) in enumerate(zip(episode.segments, ends, strict=True), start=1):
        x0, x1 = x_at(segment.at), x_at(end)
        fill = palette.band if number % 2 else palette.panel
        drawing.add(
            Rect(
                x0,
                band_bottom,
                x1 - x0,
                BAND_HEIGHT,
                fillColor=fill,
                strokeColor=palette.rule,
                strokeWidth=0.4,
            )
        )
        label = str(number)
        if pdfmetrics.stringWidth(label, body.fontName, small) + 4 <= x1 - x0:
            drawing.add(
                String(
                    (x0 + x1) / 2,
                    band_bottom + BAND_HEIGHT / 2 - small * 0.35,
                    label,
                    fontName=body.fontName,
                    fontSize=small,
                    fillColor=palette.text,
                    textAnchor="middle",
                )
            )
    if episode.segments:
        for shape in _strings(
            labels.segments,
            left - 18,
            band_bottom + BAND_HEIGHT / 2 - small * 0.35,
            body,
            small,
            palette.text,
            "end",
        ):
            drawing.add(shape)

    drawing.add(
        Line(left, band_bottom, right, band_bottom, strokeColor=palette.muted, strokeWidth=0.6)
    )
    step = tick_step(span, plot, label_room=56)
    for seconds in range(0, span + 1, step):
        x = x_at(seconds)
        drawing.add(
            Line(x, band_bottom, x, band_bottom - 3, strokeColor=palette.muted, strokeWidth=0.6)
        )
        anchor = "start" if seconds == 0 else "end" if x > right - 24 else "middle"
        drawing.add(
            String(
                x,
                band_bottom - 3 - small * 1.2,
                format_timestamp(seconds),
                fontName=body.fontName,
                fontSize=small,
                fillColor=palette.muted,
                textAnchor=anchor,
            )
        )
    return drawing


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
    """A drawing as a ``Figure`` structure element with alternative text."""

    def __init__(self, drawing: Drawing, alt: str) -> None:
        super().__init__()
        self.drawing = drawing
        self.tag = Tag("Figure", attributes={"Alt": alt})

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.drawing.wrap(available_width, available_height)
        return self.width, self.height

    def draw(self) -> None:
        tree = tree_of(self.canv)
        if tree is None:
            self.drawing.drawOn(self.canv, 0, 0)
            return
        tree.begin(self.canv, self.tag)
        self.drawing.drawOn(self.canv, 0, 0)
        tree.end(self.canv)
