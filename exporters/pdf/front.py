"""The front of the briefing: the masthead and the at-a-glance panel.

The panel is a summary, so its captions are cut to a line or two; every figure,
count and takeaway in it links to the section that has the whole text.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from briefing.labels import Labels, language_name
from briefing.model import Episode
from briefing.sections import SectionKey
from briefing.text import shorten
from exporters.pdf.blocks import ROWS_PER_TABLE, OutlineAnchor, destination, plain_table
from exporters.pdf.styles import Styles
from exporters.pdf.tagging import Close, Open, TableTagging, Tag
from exporters.pdf.text import Paragraph, Span

FIGURES_PER_ROW = 3
FIGURE_CHARS = 24
SHORT_VALUE_CHARS = 16
CAPTION_CHARS = 90
GLANCE_TAKEAWAY_CHARS = 600
PANEL_PADDING = 5 * mm


def _meta_columns(episode: Episode, labels: Labels) -> list[tuple[str, str, str | None]]:
    """(label, value, link target) for each masthead field the episode has."""
    columns: list[tuple[str, str, str | None]] = []
    if episode.speakers:
        columns.append((labels.speakers, ", ".join(episode.speakers), None))
    if episode.duration_minutes:
        columns.append((labels.duration, labels.format_minutes(episode.duration_minutes), None))
    columns.append((labels.language_label, language_name(episode.language), None))
    if episode.translations:
        names = " · ".join(language_name(tag) for tag in episode.translations)
        columns.append((labels.translations, f"→ {names}", None))
    if episode.published:
        columns.append((labels.published, labels.format_date(episode.published), None))
    if episode.watch_url:
        columns.append((labels.watch, f"▶ {labels.watch}", episode.watch_url))
    return columns


def masthead(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = []
    if episode.category:
        flowables.append(styles.para(episode.category, styles.kicker))
    flowables.append(styles.para(episode.title, styles.title, tag="H1"))
    columns = _meta_columns(episode, labels)
    label_row = [styles.para(label, styles.label) for label, _value, _target in columns]
    value_row: list[object] = []
    for _label, value, target in columns:
        if target is not None:
            watch = Span(value, colour=styles.palette.link, link=target)
            value_row.append(
                [styles.para([watch], styles.meta_value), styles.para(target, styles.muted)]
            )
        else:
            value_row.append(styles.para(value, styles.meta_value))
    weights = [_weight(label, labels) for label, _value, _target in columns]
    widths = [styles.frame_width * weight / sum(weights) for weight in weights]
    meta = plain_table(
        [label_row, value_row],
        widths,
        styles,
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, styles.palette.heading),
        ],
        tagging=TableTagging("table", header_rows=1),
    )
    flowables += [meta, Spacer(1, styles.unit)]
    return flowables


def _weight(label: str, labels: Labels) -> float:
    if label == labels.speakers:
        return 3.0
    if label == labels.watch:
        return 2.2
    return 1.3


def _to_section(text: str, key: SectionKey, **options: object) -> Span:
    """A span that links to the heading of a section."""
    return Span(text, link=f"#{destination(key)}", **options)


def _counts(episode: Episode, labels: Labels, styles: Styles) -> Table | None:
    entries: list[tuple[int, str, SectionKey]] = [
        (count, labels.caption(key, count), key)
        for count, key in (
            (len(episode.segments), "segments"),
            (len(episode.claims), "claims"),
            (len(episode.predictions), "predictions"),
            (len(episode.quotes), "quotes"),
        )
    ]
    cells = [
        [
            styles.para([_to_section(str(count), key)], styles.count),
            styles.para([_to_section(name, key)], styles.label),
        ]
        for count, name, key in entries
        if count
    ]
    if not cells:
        return None
    width = (styles.frame_width - 2 * PANEL_PADDING) / len(entries)
    return _grid([cells], [width] * len(cells), styles, TableTagging("items"))


def display_number(number: float) -> str:
    """A parsed number for a large figure: ``320``, ``0.075``, ``1,500,000``."""
    if isinstance(number, int):
        return f"{number:,}"
    return f"{number:,.6g}"


def _figure(big: str, small: str | None, styles: Styles) -> Paragraph:
    spans = [_to_section(big, "facts")]
    if small:
        spans.append(_to_section(f"\u00a0{small}", "facts", size=styles.theme.fonts.size_pt * 1.05))
    return styles.para(spans, styles.figure)


def _figures(episode: Episode, styles: Styles) -> list[Table]:
    """Each fact's and price's value, large: the parsed number with its unit when there
    is one, else the value as written; the full value is in the Facts section."""
    figures: list[tuple[str, str | None, str]] = []
    for fact in episode.facts:
        if fact.value and fact.number is not None:
            figures.append((display_number(fact.number), fact.unit, fact.statement))
        elif fact.value:
            figures.append((shorten(fact.value, FIGURE_CHARS), None, fact.statement))
    for price in episode.prices:
        if price.amount is not None and len(price.value) > SHORT_VALUE_CHARS:
            figures.append((display_number(price.amount), price.currency, price.item))
        else:
            figures.append((shorten(price.value, FIGURE_CHARS), None, price.item))
    width = (styles.frame_width - 2 * PANEL_PADDING) / FIGURES_PER_ROW
    grids = []
    # One list of every figure, however many rows of grids it takes.
    tagging = TableTagging("items")
    for start in range(0, len(figures), FIGURES_PER_ROW):
        cells = [
            [
                _figure(big, small, styles),
                styles.para(shorten(caption, CAPTION_CHARS), styles.figure_caption),
            ]
            for big, small, caption in figures[start : start + FIGURES_PER_ROW]
        ]
        grids.append(_grid([cells], [width] * len(cells), styles, tagging))
    return grids


def _grid(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    styles: Styles,
    tagging: TableTagging,
) -> Table:
    return plain_table(
        rows,
        widths,
        styles,
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
        tagging=tagging,
    )


def glance_panel(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    """The key numbers, the counts and the takeaways, on a tinted panel."""
    rows: list[list[object]] = [[styles.para(labels.at_a_glance, styles.kicker, tag="H2")]]
    counts = _counts(episode, labels, styles)
    if counts is not None:
        rows.append([counts])
    figures = _figures(episode, styles)
    if figures:
        rows.append([styles.para([_to_section(labels.facts, "facts")], styles.label)])
        rows += [[grid] for grid in figures]
    if episode.takeaways:
        rows.append([styles.para([_to_section(labels.takeaways, "takeaways")], styles.label)])
        takeaway_list = Tag("L")
        for number, text in enumerate(episode.takeaways, start=1):
            rows.append([_takeaway(number, text, styles, takeaway_list)])
    anchor = OutlineAnchor(labels.at_a_glance, "at_a_glance", styles)
    return [Open("Sect"), anchor, *_panel(rows, styles), Close()]


def _panel(rows: list[list[object]], styles: Styles) -> list[Table]:
    """The panel's rows on a tint, as consecutive tables of at most ``ROWS_PER_TABLE``
    rows (thousands of takeaways or figures in one table would take time growing with
    their square, as in ``blocks.tables``): the first has the accent rule and the top
    padding, the last the bottom padding, so together they look like one panel."""
    parts = [rows[start : start + ROWS_PER_TABLE] for start in range(0, len(rows), ROWS_PER_TABLE)]
    tables = []
    for index, part in enumerate(parts):
        first, last = index == 0, index == len(parts) - 1
        commands: list[tuple[object, ...]] = [
            ("BACKGROUND", (0, 0), (-1, -1), styles.palette.panel),
            ("LEFTPADDING", (0, 0), (-1, -1), PANEL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PANEL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if first:
            commands.append(("TOPPADDING", (0, 0), (-1, 0), PANEL_PADDING * 0.8))
        if last:
            commands.append(("BOTTOMPADDING", (0, -1), (-1, -1), PANEL_PADDING))
        if first:
            commands.append(("LINEABOVE", (0, 0), (-1, 0), 2, styles.palette.accent))
        tables.append(plain_table(part, [styles.frame_width], styles, commands))
    return tables


def _takeaway(number: int, text: str, styles: Styles, in_list: Tag) -> Paragraph:
    """A takeaway of the panel: an item of its list, number and text one linked paragraph."""
    item = Tag("LBody", parent=Tag("LI", parent=in_list))
    # The panel is a summary: a long takeaway is cut there (its whole text is in the
    # Takeaways section), or a takeaway of 100,000 lines would be drawn twice, and
    # linked, one annotation per line.
    if len(text) > GLANCE_TAKEAWAY_CHARS:
        text = shorten(text, GLANCE_TAKEAWAY_CHARS)
    spans = [_to_section(text, "takeaways")]
    return styles.para(spans, styles.numbered, f"{number:02d}", tag=Tag("P", parent=item))
