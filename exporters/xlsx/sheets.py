"""The data sheets of the workbook: their names, columns and the rows an episode gives.

No openpyxl here: a row is a tuple of plain values, one per column, and the
column's kind says how the writer stores it (text, an Excel duration, a number,
an amount in a currency). Every sheet's rows start with the episode's id and
title; the writer adds those two cells, so they are not repeated below.

Sheet and table names are fixed English identifiers in every language, so that
formulas and queries written against one workbook work on the next; the column
headers and the Overview follow the labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from briefing.labels import Labels
from briefing.model import Episode, Fact, Price, Segment

ColumnKind = Literal["text", "label", "time", "number", "money", "date"]
"""``label`` is text that repeats within an episode (a segment title, a kind, a class)."""
Money = tuple[float, str | None]
"""An amount and its ISO 4217 currency code (None when the value named none)."""
Value = str | int | float | Money | None
Row = tuple[Value, ...]


@dataclass(frozen=True)
class Column:
    header: str
    kind: ColumnKind
    cap: float
    """Widest the column grows to fit its content, in Excel's character units."""


@dataclass(frozen=True)
class SheetSpec:
    key: str
    """The Labels field that names the section, e.g. ``claims``."""
    title: str
    table: str
    columns: Callable[[Labels], tuple[Column, ...]]
    rows: Callable[[Episode, Labels], Iterator[Row]]

    def section_name(self, labels: Labels) -> str:
        return str(getattr(labels, self.key))


# Caps, in characters: long prose wraps at PROSE, short words never need to.
ID, TITLE, TIME, SHORT, MEDIUM, PROSE, NUMBER = 24.0, 28.0, 10.0, 16.0, 24.0, 48.0, 14.0


def episode_columns(labels: Labels) -> tuple[Column, ...]:
    """The two columns every data row starts with."""
    return (
        Column(labels.episode_id, "text", ID),
        Column(labels.episode_title, "text", TITLE),
    )


def _moment_columns(labels: Labels) -> tuple[Column, ...]:
    """When an item was said, and in which segment."""
    return (Column(labels.time, "time", TIME), Column(labels.segment, "label", MEDIUM))


def _segment_title(segment: Segment | None) -> str | None:
    return segment.title if segment else None


def _claim_columns(labels: Labels) -> tuple[Column, ...]:
    return (
        *_moment_columns(labels),
        Column(labels.kind, "label", SHORT),
        Column(labels.claim, "text", PROSE),
        Column(labels.evidence, "text", PROSE),
    )


def _claim_rows(episode: Episode, labels: Labels) -> Iterator[Row]:
    for claim in episode.claims:
        yield (claim.at, _segment_title(claim.segment), claim.kind, claim.claim, claim.evidence)


def _prediction_columns(labels: Labels) -> tuple[Column, ...]:
    return (
        *_moment_columns(labels),
        Column(labels.horizon, "label", SHORT),
        Column(labels.years, "number", NUMBER),
        Column(labels.horizon_class, "label", SHORT),
        Column(labels.statement, "text", PROSE),
    )


def _prediction_rows(episode: Episode, labels: Labels) -> Iterator[Row]:
    for prediction in episode.predictions:
        yield (
            prediction.at,
            _segment_title(prediction.segment),
            prediction.horizon,
            prediction.horizon_years,
            labels.horizon_name(prediction.horizon_class),
            prediction.statement,
        )


def _fact_columns(labels: Labels) -> tuple[Column, ...]:
    return (
        *_moment_columns(labels),
        Column(labels.kind, "label", SHORT),
        Column(f"{labels.statement} / {labels.item}", "text", PROSE),
        Column(labels.value, "text", MEDIUM),
        Column(labels.number, "number", NUMBER),
        Column(labels.unit, "label", SHORT),
        Column(labels.amount, "money", NUMBER),
        Column(labels.currency, "label", SHORT),
        Column(labels.range_high, "number", NUMBER),
        Column(labels.context, "text", PROSE),
    )


def _derived(item: Fact | Price) -> tuple[Value, ...]:
    """Number, unit, amount, currency and range high: each only when certain, else blank.

    A value is money (an amount in a currency, its unit what it is per: ``/hour``) or a
    quantity (a number and its unit); a range's far end is in the same unit or currency.
    """
    amount = item.amount
    money = None if amount is None else (amount, item.currency)
    return (item.number, item.unit, money, item.currency, item.high)


def _fact_rows(episode: Episode, labels: Labels) -> Iterator[Row]:
    for fact in episode.facts:
        yield (
            fact.at,
            _segment_title(fact.segment),
            fact.kind,
            fact.statement,
            fact.value,
            *_derived(fact),
            None,
        )
    for price in episode.prices:
        yield (
            price.at,
            _segment_title(price.segment),
            labels.price,
            price.item,
            price.value,
            *_derived(price),
            price.context,
        )


def _segment_columns(labels: Labels) -> tuple[Column, ...]:
    return (
        Column(labels.time, "time", TIME),
        Column(labels.title, "text", MEDIUM),
        Column(labels.summary, "text", PROSE),
    )


def _segment_rows(episode: Episode, labels: Labels) -> Iterator[Row]:
    for segment in episode.segments:
        yield (segment.at, segment.title, segment.summary)


def _quote_columns(labels: Labels) -> tuple[Column, ...]:
    return (
        *_moment_columns(labels),
        Column(labels.speaker, "label", SHORT),
        Column(labels.quote, "text", PROSE),
    )


def _quote_rows(episode: Episode, labels: Labels) -> Iterator[Row]:
    for quote in episode.quotes:
        yield (quote.at, _segment_title(quote.segment), quote.speaker, quote.text)


def _technology_columns(labels: Labels) -> tuple[Column, ...]:
    return (Column(labels.term, "text", MEDIUM), Column(labels.definition, "text", PROSE))


def _technology_rows(episode: Episode, labels: Labels) -> Iterator[Row]:
    for technology in episode.technologies:
        yield (technology.name, technology.description)


def _takeaway_columns(labels: Labels) -> tuple[Column, ...]:
    return (Column(labels.takeaways, "text", PROSE),)


def _takeaway_rows(episode: Episode, labels: Labels) -> Iterator[Row]:
    for takeaway in episode.takeaways:
        yield (takeaway,)


def _name_columns(labels: Labels) -> tuple[Column, ...]:
    return (Column(labels.kind, "label", SHORT), Column(labels.item, "text", MEDIUM))


def _name_rows(episode: Episode, labels: Labels) -> Iterator[Row]:
    for topic in episode.topics:
        yield (labels.topics, topic)
    for company in episode.companies:
        yield (labels.companies, company)


# In the order of the workbook's tabs, after the Overview: the sheets people filter
# most come first.
SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("claims", "Claims", "Claims", _claim_columns, _claim_rows),
    SheetSpec("predictions", "Predictions", "Predictions", _prediction_columns, _prediction_rows),
    SheetSpec("facts", "Facts", "Facts", _fact_columns, _fact_rows),
    SheetSpec("segments", "Segments", "Segments", _segment_columns, _segment_rows),
    SheetSpec("quotes", "Quotes", "Quotes", _quote_columns, _quote_rows),
    SheetSpec(
        "technologies", "Technologies", "Technologies", _technology_columns, _technology_rows
    ),
    SheetSpec("takeaways", "Takeaways", "Takeaways", _takeaway_columns, _takeaway_rows),
    SheetSpec(
        "companies_and_topics",
        "Topics & Companies",
        "TopicsCompanies",
        _name_columns,
        _name_rows,
    ),
)

OVERVIEW_TITLE = "Overview"
EPISODES_TABLE = "Episodes"
