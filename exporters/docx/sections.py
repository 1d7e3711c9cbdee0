"""The report's sections, in ``present_sections`` order, each under a Heading 1.

Segments, claim kinds, fact kinds, prices, companies and topics get a Heading 2,
so the navigation pane and the table of contents reach every part. Each
timestamp is printed with the segment it falls in, linked to that segment's
heading.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from briefing.model import Claim, Episode, Fact
from briefing.sections import SectionKey, present_sections, section_title
from briefing.values import format_timestamp
from exporters.docx.builder import SEPARATOR, Cell, ReportBuilder
from exporters.docx.template import CLAIM, EVIDENCE, ITEM_META, QUOTE, QUOTE_SOURCE


def write_sections(report: ReportBuilder) -> None:
    writers: dict[SectionKey, Callable[[ReportBuilder, Episode], None]] = {
        "takeaways": _takeaways,
        "segments": _segments,
        "claims": _claims,
        "predictions": _predictions,
        "facts": _facts,
        "quotes": _quotes,
        "technologies": _technologies,
        "companies_and_topics": _companies_and_topics,
    }
    for index, key in enumerate(present_sections(report.episode)):
        heading = report.heading(section_title(key, report.labels), 1)
        if index == 0:
            # The sections start on the page after the table of contents.
            heading.paragraph_format.page_break_before = True
        writers[key](report, report.episode)


def colon(report: ReportBuilder) -> str:
    """The label separator: a full-width colon in Chinese."""
    return "：" if report.labels.language == "zh" else ": "


def _takeaways(report: ReportBuilder, episode: Episode) -> None:
    for takeaway in episode.takeaways:
        report.paragraph(takeaway, "List Bullet")


def _segments(report: ReportBuilder, episode: Episode) -> None:
    for segment in episode.segments:
        report.heading(f"{format_timestamp(segment.at)}{SEPARATOR}{segment.title}", 2, segment)
        if segment.summary:
            report.paragraph(segment.summary)


Item = TypeVar("Item", Claim, Fact)


def _grouped(items: list[Item]) -> dict[str, list[Item]]:
    """Items by kind, kinds in order of first appearance."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item.kind, []).append(item)
    return groups


def _claims(report: ReportBuilder, episode: Episode) -> None:
    for kind, claims in _grouped(episode.claims).items():
        report.heading(kind, 2)
        for claim in claims:
            meta = report.paragraph(style=ITEM_META)
            report.add_moment(meta, claim.at, claim.segment)
            report.paragraph(claim.claim, CLAIM)
            if claim.evidence:
                evidence = report.paragraph(style=EVIDENCE)
                report.run(evidence, f"{report.labels.evidence}{colon(report)}", "Strong")
                report.run(evidence, claim.evidence)


def _years(years: float | None) -> str:
    return "" if years is None else f"{years:g}"


def _predictions(report: ReportBuilder, episode: Episode) -> None:
    labels = report.labels
    rows: list[list[Cell]] = [
        [
            format_timestamp(prediction.at),
            prediction.segment,
            prediction.horizon,
            _years(prediction.horizon_years),
            labels.horizon_name(prediction.horizon_class),
            prediction.statement,
        ]
        for prediction in episode.predictions
    ]
    headers = [
        labels.time,
        labels.segment,
        labels.horizon,
        labels.years,
        labels.horizon_class,
        labels.statement,
    ]
    report.table(headers, rows)


def _facts(report: ReportBuilder, episode: Episode) -> None:
    labels = report.labels
    for kind, facts in _grouped(episode.facts).items():
        report.heading(kind, 2)
        report.table(
            [labels.time, labels.segment, labels.statement, labels.value],
            [
                [format_timestamp(fact.at), fact.segment, fact.statement, fact.value]
                for fact in facts
            ],
        )
    if episode.prices:
        report.heading(labels.prices, 2)
        report.table(
            [labels.time, labels.segment, labels.item, labels.value, labels.context],
            [
                [format_timestamp(price.at), price.segment, price.item, price.value, price.context]
                for price in episode.prices
            ],
        )


def _quotes(report: ReportBuilder, episode: Episode) -> None:
    for quote in episode.quotes:
        report.paragraph(quote.text, QUOTE)
        if quote.speaker is None and quote.at is None:
            continue
        source = report.paragraph("— ", QUOTE_SOURCE)
        if quote.speaker:
            report.run(source, quote.speaker)
            if quote.at is not None:
                report.run(source, SEPARATOR)
        report.add_moment(source, quote.at, quote.segment)


def _technologies(report: ReportBuilder, episode: Episode) -> None:
    labels = report.labels
    report.table(
        [labels.term, labels.definition],
        [[technology.name, technology.description] for technology in episode.technologies],
    )


def _companies_and_topics(report: ReportBuilder, episode: Episode) -> None:
    for title, names in (
        (report.labels.companies, episode.companies),
        (report.labels.topics, episode.topics),
    ):
        if names:
            report.heading(title, 2)
            report.paragraph(SEPARATOR.join(names))
