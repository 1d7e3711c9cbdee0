"""The briefing's sections, each as a list of flowables under its heading.

Every section follows one pattern where it can: the time in a narrow accent
column on the left, the content beside it, a hairline between entries.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from briefing.labels import Labels
from briefing.model import Episode, Segment
from briefing.sections import SectionKey, section_title
from briefing.values import format_timestamp
from exporters.pdf.blocks import header_cells, heading, plain_table, tables
from exporters.pdf.styles import Styles
from exporters.pdf.tagging import ARTIFACT, Close, Open, Tag
from exporters.pdf.text import Paragraph, Span

TIME_COLUMN = 19 * mm
BULLET = "•"


def _time(seconds: int | None, styles: Styles) -> Paragraph:
    return styles.para(format_timestamp(seconds) if seconds is not None else "", styles.time)


def _beside_body(label: str, styles: Styles) -> list[Flowable]:
    """A small label on the baseline of body text in the next column."""
    lower = styles.body.fontSize - styles.time.fontSize
    return [Spacer(1, lower), styles.para(label, styles.time)]


def _in(parent: Tag) -> Tag:
    return Tag("P", parent=parent)


def _segment_note(
    segment: Segment | None, labels: Labels, styles: Styles, tag: Tag | None = None
) -> list[Paragraph]:
    if segment is None:
        return []
    return [styles.para(f"{labels.segment}: {segment.title}", styles.muted, tag=tag)]


def takeaways(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    rows = [
        [_beside_body(f"{number:02d}", styles), styles.para(text, styles.body)]
        for number, text in enumerate(episode.takeaways, start=1)
    ]
    return tables(rows, [TIME_COLUMN, styles.frame_width - TIME_COLUMN], styles, padding=4)


def segments(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    rows: list[list[object]] = [header_cells([labels.time, labels.segment], styles)]
    for number, segment in enumerate(episode.segments, start=1):
        title = [Span(f"{number}\u00a0\u00a0", colour=styles.palette.muted), Span(segment.title)]
        content: list[Flowable] = [styles.para(title, styles.cell_bold)]
        if segment.summary:
            content.append(styles.para(segment.summary, styles.cell))
        rows.append([_beside_body(format_timestamp(segment.at), styles), content])
    return tables(rows, [TIME_COLUMN, styles.frame_width - TIME_COLUMN], styles, header=True)


def claims(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    rows = []
    for claim in episode.claims:
        content: list[Flowable] = [
            styles.para(claim.kind, styles.label),
            styles.para(claim.claim, styles.claim),
        ]
        if claim.evidence:
            evidence = [
                Span(f"{labels.evidence}\u00a0\u00a0", colour=styles.palette.accent),
                Span(claim.evidence),
            ]
            content.append(styles.para(evidence, styles.body))
        content += _segment_note(claim.segment, labels, styles)
        rows.append([_time(claim.at, styles), content])
    return tables(rows, [TIME_COLUMN, styles.frame_width - TIME_COLUMN], styles, padding=6)


def _years(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


def predictions(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    names = [labels.time, labels.horizon, labels.years, labels.statement]
    rows: list[list[object]] = [header_cells(names, styles)]
    for prediction in episode.predictions:
        horizon: list[Flowable] = []
        if prediction.horizon:
            horizon.append(styles.para(prediction.horizon, styles.cell))
        horizon.append(styles.para(labels.horizon_name(prediction.horizon_class), styles.muted))
        rows.append(
            [
                _beside_body(format_timestamp(prediction.at), styles),
                horizon,
                styles.para(_years(prediction.horizon_years), styles.cell),
                [
                    styles.para(prediction.statement, styles.cell),
                    *_segment_note(prediction.segment, labels, styles),
                ],
            ]
        )
    widths = [TIME_COLUMN, 30 * mm, 14 * mm]
    widths.append(styles.frame_width - sum(widths))
    return tables(rows, widths, styles, header=True, banded=True)


def facts(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    rows = []
    for fact in episode.facts:
        content: list[Flowable] = [
            styles.para(fact.kind, styles.label),
            styles.para(fact.statement, styles.body),
        ]
        content += _segment_note(fact.segment, labels, styles)
        value = styles.para(fact.value, styles.h2) if fact.value else Spacer(1, 1)
        rows.append([_time(fact.at, styles), value, content])
    for price in episode.prices:
        content = [
            styles.para(labels.price, styles.label),
            styles.para(price.item, styles.body_bold),
        ]
        if price.context:
            content.append(styles.para(price.context, styles.body))
        content += _segment_note(price.segment, labels, styles)
        rows.append([_time(price.at, styles), styles.para(price.value, styles.h2), content])
    value_column = 44 * mm
    widths = [TIME_COLUMN, value_column, styles.frame_width - TIME_COLUMN - value_column]
    return tables(rows, widths, styles, padding=6)


def quotes(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = []
    mark_column = 12 * mm
    for quote in episode.quotes:
        block_quote = Tag("BlockQuote")
        attribution = [f"— {quote.speaker}"] if quote.speaker else []
        attribution += [format_timestamp(quote.at)] if quote.at is not None else []
        content: list[Flowable] = [styles.para(quote.text, styles.quote, tag=_in(block_quote))]
        if attribution:
            line = " · ".join(attribution)
            content.append(styles.para(line, styles.attribution, tag=_in(block_quote)))
        content += _segment_note(quote.segment, labels, styles, tag=_in(block_quote))
        block = plain_table(
            [[styles.para("“", styles.quote_mark, tag=ARTIFACT), content]],
            [mark_column, styles.frame_width - mark_column],
            styles,
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), styles.unit),
            ],
        )
        flowables.append(block)
    return flowables


def technologies(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    rows: list[list[object]] = [header_cells([labels.term, labels.definition], styles)]
    for technology in episode.technologies:
        # An empty cell holds a flowable rather than "", which reportlab would draw as
        # an empty string outside any structure element.
        definition = (
            styles.para(technology.description, styles.cell)
            if technology.description
            else Spacer(1, 0)
        )
        rows.append([styles.para(technology.name, styles.cell_bold), definition])
    term_column = 48 * mm
    widths = [term_column, styles.frame_width - term_column]
    return tables(rows, widths, styles, header=True, banded=True)


def _inline_list(names: list[str], styles: Styles) -> Paragraph:
    separator = Span(f"\u00a0\u00a0{BULLET}\u00a0 ", colour=styles.palette.accent)
    spans: list[Span] = []
    for index, name in enumerate(names):
        spans += [separator, Span(name)] if index else [Span(name)]
    return styles.para(spans, styles.body)


def companies_and_topics(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = []
    for title, names in ((labels.companies, episode.companies), (labels.topics, episode.topics)):
        if names:
            flowables.append(
                KeepTogether([styles.para(title, styles.h2, tag="H3"), _inline_list(names, styles)])
            )
            flowables.append(Spacer(1, styles.unit * 0.5))
    return flowables


SECTION_BUILDERS: dict[SectionKey, Callable[[Episode, Labels, Styles], list[Flowable]]] = {
    "takeaways": takeaways,
    "segments": segments,
    "claims": claims,
    "predictions": predictions,
    "facts": facts,
    "quotes": quotes,
    "technologies": technologies,
    "companies_and_topics": companies_and_topics,
}


def section(key: SectionKey, episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    """A section: its heading (outline entry and link target) and its content."""
    title = section_title(key, labels)
    content = SECTION_BUILDERS[key](episode, labels, styles)
    return [Open("Sect"), *heading(title, key, styles), *content, Close()]
