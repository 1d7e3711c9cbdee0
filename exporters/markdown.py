"""Markdown briefing: CommonMark plus one GitHub-style table (predictions).

It is the reference for what a briefing contains: masthead, at a glance, then
every section of ``briefing.sections`` in order, every item with its time and
the segment it falls in. Episode text is escaped so that it always reads back
as the same text: nothing in it can become emphasis, a heading, a link, an
image, HTML or a table cell boundary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar

from briefing.labels import language_name
from briefing.sections import SectionKey, present_sections, section_title
from briefing.values import format_timestamp

if TYPE_CHECKING:
    from briefing.formats import RenderContext
    from briefing.labels import Labels
    from briefing.model import Episode, Segment
    from styles import Theme

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")
_LINE_START_MARK = re.compile(r"^([+\-=])")
_LINE_START_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")


def escape(text: str) -> str:
    """Episode text as Markdown that renders to exactly that text.

    A newline becomes a hard line break; spaces at the start or end of a line,
    which Markdown would drop, become character references.
    """
    lines = []
    for line in text.split("\n"):
        body = _INLINE_SPECIAL.sub(r"\\\1", line.strip(" \t"))
        body = _LINE_START_MARK.sub(r"\\\1", body)
        body = _LINE_START_NUMBER.sub(r"\1\\\2", body)
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        trail = line[len(line.rstrip(" \t")) :]
        lines.append(_spaces_as_references(lead) + body + _spaces_as_references(trail))
    return "\\\n".join(lines)


def _spaces_as_references(spaces: str) -> str:
    return spaces.replace(" ", "&#32;").replace("\t", "&#9;")


def escape_cell(text: str) -> str:
    """Like ``escape`` for a table cell or a heading, which must stay on one line: a line
    break becomes ``<br>``."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def _moment(at: int | None, segment: Segment | None) -> str:
    """``18:00 · Memory and Compression``: when it was said and in which segment."""
    if at is None:
        return ""
    stamp = format_timestamp(at)
    return f"{stamp} · {escape(segment.title)}" if segment else stamp


class MarkdownExporter:
    name: ClassVar[str] = "md"
    suffix: ClassVar[str] = "md"
    media_type: ClassVar[str] = "text/markdown; charset=utf-8"
    description: ClassVar[str] = "Markdown briefing (CommonMark, predictions as a table)"

    def render(
        self, episode: Episode, theme: Theme, labels: Labels, context: RenderContext
    ) -> bytes:
        blocks = [*self._masthead(episode, labels), *self._glance(episode, labels)]
        for key in present_sections(episode):
            blocks.append(f"## {escape(section_title(key, labels))}")
            blocks.extend(_SECTION_WRITERS[key](episode, labels))
        blocks.append(f"*{escape(labels.generated_by)}*")
        return ("\n\n".join(blocks) + "\n").encode("utf-8")

    def _masthead(self, episode: Episode, labels: Labels) -> Iterator[str]:
        yield f"# {escape_cell(episode.title)}"
        facts = []
        if episode.category:
            facts.append(f"**{escape(labels.category)}:** {escape(episode.category)}")
        if episode.duration_minutes:
            facts.append(
                f"**{escape(labels.duration)}:** {labels.format_minutes(episode.duration_minutes)}"
            )
        if episode.published:
            facts.append(f"**{escape(labels.published)}:** {labels.format_date(episode.published)}")
        if episode.speakers:
            names = " · ".join(escape(name) for name in episode.speakers)
            facts.append(f"**{escape(labels.speakers)}:** {names}")
        facts.append(f"**{escape(labels.language_label)}:** {language_name(episode.language)}")
        if episode.translations:
            names = " · ".join(language_name(code) for code in episode.translations)
            facts.append(f"**{escape(labels.translations)}:** {names}")
        if episode.watch_url:
            facts.append(f"[▶ {escape(labels.watch)}](<{_url(episode.watch_url)}>)")
        yield "  \n".join(facts)

    def _glance(self, episode: Episode, labels: Labels) -> Iterator[str]:
        numbers = [
            f"- **{escape(fact.value)}** — {escape(fact.statement)}"
            for fact in episode.facts
            if fact.value
        ]
        numbers += [
            f"- **{escape(price.value)}** — {escape(price.item)}" for price in episode.prices
        ]
        counts = [
            labels.how_many("claims", len(episode.claims)),
            labels.how_many("predictions", len(episode.predictions)),
            labels.how_many("quotes", len(episode.quotes)),
        ]
        yield f"## {escape(labels.at_a_glance)}"
        if numbers:
            yield "\n".join(numbers)
        yield " · ".join(counts)


def _url(url: str) -> str:
    # Inside <...> a link destination may hold anything but spaces, < and >.
    return url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def _takeaways(episode: Episode, labels: Labels) -> Iterator[str]:
    yield "\n".join(f"- {escape(text)}" for text in episode.takeaways)


def _segments(episode: Episode, labels: Labels) -> Iterator[str]:
    for segment in episode.segments:
        line = f"- **{format_timestamp(segment.at)} · {escape(segment.title)}**"
        if segment.summary:
            line += f"  \n  {escape(segment.summary)}"
        yield line


def _claims(episode: Episode, labels: Labels) -> Iterator[str]:
    for claim in episode.claims:
        moment = _moment(claim.at, claim.segment)
        line = f"- **{escape(claim.claim)}**  \n  {escape(claim.kind)} · {moment}"
        if claim.evidence:
            line += f"  \n  *{escape(labels.evidence)}:* {escape(claim.evidence)}"
        yield line


def _predictions(episode: Episode, labels: Labels) -> Iterator[str]:
    header = [
        labels.time,
        labels.horizon,
        labels.years,
        labels.horizon_class,
        labels.statement,
        labels.segment,
    ]
    rows = [
        "| " + " | ".join(escape_cell(cell) for cell in header) + " |",
        "|" + "---|" * len(header),
    ]
    for prediction in episode.predictions:
        years = prediction.horizon_years
        cells = [
            format_timestamp(prediction.at),
            escape_cell(prediction.horizon or ""),
            "" if years is None else f"{years:g}",
            escape_cell(labels.horizon_name(prediction.horizon_class)),
            escape_cell(prediction.statement),
            escape_cell(prediction.segment.title) if prediction.segment else "",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    yield "\n".join(rows)


def _facts(episode: Episode, labels: Labels) -> Iterator[str]:
    for fact in episode.facts:
        value = f"**{escape(fact.value)}** — " if fact.value else ""
        moment = _moment(fact.at, fact.segment)
        yield f"- {value}{escape(fact.statement)}  \n  {escape(fact.kind)} · {moment}"
    for price in episode.prices:
        line = f"- **{escape(price.value)}** — {escape(price.item)}"
        if price.context:
            line += f": {escape(price.context)}"
        yield f"{line}  \n  {escape(labels.price)} · {_moment(price.at, price.segment)}"


def _quotes(episode: Episode, labels: Labels) -> Iterator[str]:
    for quote in episode.quotes:
        source = " · ".join(
            part for part in (escape(quote.speaker or ""), _moment(quote.at, quote.segment)) if part
        )
        text = escape(quote.text).replace("\n", "\n> ")
        yield f"> {text}" + (f"\n>\n> — {source}" if source else "")


def _technologies(episode: Episode, labels: Labels) -> Iterator[str]:
    yield "\n".join(
        f"- **{escape(tech.name)}**" + (f": {escape(tech.description)}" if tech.description else "")
        for tech in episode.technologies
    )


def _companies_and_topics(episode: Episode, labels: Labels) -> Iterator[str]:
    lines = []
    if episode.companies:
        names = " · ".join(escape(name) for name in episode.companies)
        lines.append(f"**{escape(labels.companies)}:** {names}")
    if episode.topics:
        names = " · ".join(escape(name) for name in episode.topics)
        lines.append(f"**{escape(labels.topics)}:** {names}")
    yield "  \n".join(lines)


_SECTION_WRITERS: dict[SectionKey, Callable[[Episode, Labels], Iterator[str]]] = {
    "takeaways": _takeaways,
    "segments": _segments,
    "claims": _claims,
    "predictions": _predictions,
    "facts": _facts,
    "quotes": _quotes,
    "technologies": _technologies,
    "companies_and_topics": _companies_and_topics,
}
