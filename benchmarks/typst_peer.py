"""The PDF's peer: Typst, compiled in this process through the ``typst`` package.

A fair generator of the same content as our PDF, from the same model: masthead
and metadata, at a glance (the counts, every fact's and price's value large, the
takeaways), a vector timeline with a marker per timed item, then every section in
our order with the same tables (segments, predictions, technologies, with a
header row that repeats on every page), claims with their evidence, facts, quotes,
companies and topics; a running header with the title and ``Page N of M`` in the
footer, in the same faces (Fira Sans from its package, the Noto faces and
WenQuanYi Micro Hei for what Fira lacks; no system font), A4 with the default
theme's margins and colours. Typst tags its PDFs by default, as ours are.

Typst memoises layout between compilations in one ``Compiler``; every round is
therefore a distinct document (the body size differs by a hundred-thousandth of a
point per round, so every styled element misses the cache), while fonts stay
loaded, as ours stay loaded between renders.

Episode text goes in as Typst string literals, never markup, so nothing in it is
read as syntax.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.labels import Labels, language_name
from briefing.sections import SectionKey, present_sections, section_title
from briefing.values import format_timestamp

if TYPE_CHECKING:
    from briefing.model import Episode
    from styles import Theme

BODY_PT = 9.5
"""The default theme's body size; each round adds ``ROUND_PT`` to it."""
ROUND_PT = 0.00001


def font_folders() -> list[Path]:
    """The folders of the faces our PDF embeds, from the same packages."""
    import fontpkg_fira_sans
    import manimgx_fonts
    import paperang_p2_fonts_cjk

    return [
        Path(fontpkg_fira_sans.__file__).resolve().parent / "files",
        Path(manimgx_fonts.__file__).resolve().parent,
        Path(paperang_p2_fonts_cjk.__file__).resolve().parent / "fonts",
    ]


def _string(text: str) -> str:
    """A Typst string literal of ``text``."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _text(text: str) -> str:
    """``text`` inside markup: a string literal in code mode."""
    return f"#{_string(text)}"


def _content(text: str | None) -> str:
    return f"[{_text(text)}]" if text else "[]"


def _time(at: int | None) -> str:
    return _content(format_timestamp(at)) if at is not None else "[]"


def _preamble(episode: Episode, theme: Theme, labels: Labels, body_pt: float) -> list[str]:
    colours, page = theme.colours, theme.page
    title = _string(episode.title)
    return [
        f"#set document(title: {title}, author: ({', '.join(map(_string, episode.speakers))}),"
        f" keywords: ({', '.join(map(_string, episode.topics))}))",
        f'#set text(font: ("Fira Sans", "Noto Sans", "Noto Sans Symbols", "Noto Emoji",'
        f' "WenQuanYi Micro Hei"), size: {body_pt:.6f}pt, fill: rgb("{colours.text}"),'
        f' lang: "{labels.language}")',
        f'#set page(paper: "{"a4" if page.size == "A4" else "us-letter"}",'
        f" margin: (top: {page.margin_top_mm}mm, bottom: {page.margin_bottom_mm}mm,"
        f" left: {page.margin_left_mm}mm, right: {page.margin_right_mm}mm),"
        f" header: context {{ if counter(page).get().first() > 1 {{"
        f' text(size: 8pt, fill: rgb("{colours.muted}"), {title}) }} }},'
        f' footer: context align(center, text(size: 8pt, fill: rgb("{colours.muted}"),'
        f" [Page #counter(page).display() of #counter(page).final().first()])))",
        "#set par(justify: false, leading: 0.45em)",
        f'#show heading: set text(fill: rgb("{colours.heading}"))',
        f'#set table(stroke: 0.4pt + rgb("{colours.rule}"), inset: 4pt,'
        f' fill: (x, y) => if y == 0 {{ rgb("{colours.table_header_background}") }}'
        f' else if calc.even(y) {{ rgb("{colours.table_band}") }})',
        f'#show table.cell.where(y: 0): set text(fill: rgb("{colours.table_header_text}"),'
        ' weight: "bold")',
    ]


def _masthead(episode: Episode, labels: Labels) -> Iterator[str]:
    yield f'#text(size: 22pt, weight: "bold")[{_text(episode.title)}]'
    rows = []
    if episode.category:
        rows.append((labels.category, episode.category))
    if episode.duration_minutes:
        rows.append((labels.duration, f"{episode.duration_minutes} {labels.minutes}"))
    if episode.published:
        rows.append((labels.published, episode.published.isoformat()))
    if episode.speakers:
        rows.append((labels.speakers, " · ".join(episode.speakers)))
    rows.append((labels.language_label, language_name(episode.language)))
    cells = ", ".join(f"{_content(label)}, {_content(value)}" for label, value in rows)
    yield f"#table(columns: (auto, 1fr), stroke: none, fill: none, {cells})"


def _glance(episode: Episode, labels: Labels) -> Iterator[str]:
    yield f"= {_content(labels.at_a_glance)}"
    counts = [
        (len(episode.claims), labels.claims),
        (len(episode.predictions), labels.predictions),
        (len(episode.quotes), labels.quotes),
    ]
    boxes = ", ".join(
        f'[#text(size: 18pt, weight: "bold")[{count}] \\ {_text(name)}]' for count, name in counts
    )
    yield f"#grid(columns: (1fr, 1fr, 1fr), {boxes})"
    values = [(fact.value, fact.statement) for fact in episode.facts if fact.value]
    values += [(price.value, price.item) for price in episode.prices]
    for value, what in values:
        yield f'- #text(size: 14pt, weight: "bold")[{_text(value)}] {_text(what)}'


def _timeline(episode: Episode) -> Iterator[str]:
    """A bar of the episode's span with a tick per segment and a marker per timed item."""
    span = max(
        [episode.duration_seconds or 0]
        + [segment.at for segment in episode.segments]
        + [item.at for _name, _index, item in episode.timed_items()]
    )
    if not span:
        return
    marks = ["#place(dy: 14pt, line(length: 100%, stroke: 1.5pt))"]
    for segment in episode.segments:
        marks.append(
            f"#place(dx: {segment.at / span * 100:.3f}%, dy: 8pt, line(angle: 90deg,"
            " length: 12pt, stroke: 0.6pt))"
        )
    shapes = {"prices": "square", "facts": "circle", "claims": "rect", "predictions": "circle"}
    for name, _index, item in episode.timed_items():
        shape = shapes.get(name, "circle")
        size = "width: 5pt, height: 5pt" if shape == "rect" else "radius: 2.5pt"
        if shape == "square":
            size = "size: 5pt"
        marks.append(
            f"#place(dx: {item.at / span * 100:.3f}%, dy: 22pt, {shape}({size}, fill: black))"
        )
    yield f"#block(width: 100%, height: 36pt)[{''.join(marks)}]"


def _table(columns: str, headers: list[str], rows: Iterator[list[str]]) -> str:
    header = ", ".join(_content(text) for text in headers)
    body = ", ".join(cell for row in rows for cell in row)
    return f"#table(columns: {columns}, table.header({header}), {body})"


def _moment(at: int | None, segment: object) -> str:
    title = getattr(segment, "title", None)
    stamp = format_timestamp(at) if at is not None else ""
    return f"{stamp} · {title}" if title else stamp


def _section(episode: Episode, labels: Labels, key: SectionKey) -> Iterator[str]:
    yield f"= {_content(section_title(key, labels))}"
    if key == "takeaways":
        yield from (f"- {_text(text)}" for text in episode.takeaways)
    elif key == "segments":
        yield _table(
            "(auto, 1fr, 2fr)",
            [labels.time, labels.title, labels.summary],
            ([_time(s.at), _content(s.title), _content(s.summary)] for s in episode.segments),
        )
    elif key == "claims":
        for claim in episode.claims:
            moment = _text(_moment(claim.at, claim.segment))
            yield f"- #strong[{_text(claim.claim)}] \\ {_text(claim.kind)} · {moment}"
            if claim.evidence:
                yield f"  #emph[{_text(labels.evidence)}:] {_text(claim.evidence)}"
    elif key == "predictions":
        yield _table(
            "(auto, auto, auto, auto, 1fr)",
            [labels.time, labels.horizon, labels.years, labels.horizon_class, labels.statement],
            (
                [
                    _content(_moment(p.at, p.segment)),
                    _content(p.horizon),
                    _content(f"{p.horizon_years:g}" if p.horizon_years is not None else None),
                    _content(labels.horizon_name(p.horizon_class)),
                    _content(p.statement),
                ]
                for p in episode.predictions
            ),
        )
    elif key == "facts":
        for fact in episode.facts:
            value = f" — #strong[{_text(fact.value)}]" if fact.value else ""
            yield f"- {_text(fact.statement)}{value} \\ {_text(_moment(fact.at, fact.segment))}"
        for price in episode.prices:
            yield f"- {_text(price.item)} — #strong[{_text(price.value)}]"
    elif key == "quotes":
        for quote in episode.quotes:
            attribution = " · ".join(
                part for part in (quote.speaker, _moment(quote.at, quote.segment)) if part
            )
            by = _content(attribution)
            yield f"#quote(block: true, attribution: {by})[{_text(quote.text)}]"
    elif key == "technologies":
        yield _table(
            "(auto, 1fr)",
            [labels.term, labels.definition],
            ([_content(t.name), _content(t.description)] for t in episode.technologies),
        )
    else:
        if episode.companies:
            names = _text(" · ".join(episode.companies))
            yield f"#strong[{_text(labels.companies)}:] {names}"
        if episode.topics:
            names = _text(" · ".join(episode.topics))
            yield f"#strong[{_text(labels.topics)}:] {names}"


def typst_source(episode: Episode, theme: Theme, labels: Labels, round_number: int = 0) -> bytes:
    """The Typst document of ``episode``; ``round_number`` makes each round distinct."""
    body_pt = BODY_PT + ROUND_PT * round_number
    lines = _preamble(episode, theme, labels, body_pt)
    lines += [*_masthead(episode, labels), *_glance(episode, labels), *_timeline(episode)]
    for key in present_sections(episode):
        lines.extend(_section(episode, labels, key))
    return "\n\n".join(lines).encode("utf-8")


class TypstPeer:
    """One compiler with the fonts loaded, compiling a distinct document each round."""

    def __init__(self) -> None:
        import typst

        fonts = typst.Fonts(
            include_system_fonts=False, font_paths=[str(folder) for folder in font_folders()]
        )
        self._compiler = typst.Compiler(font_paths=fonts, ignore_system_fonts=True)
        self._round = 0

    def rounds(
        self, episode: Episode, theme: Theme, labels: Labels
    ) -> tuple[Callable[[], None], Callable[[], bytes]]:
        """``(prepare, compile)``: ``prepare`` writes the next round's source (untimed:
        the peer is not charged for our generator), ``compile`` typesets it to PDF."""
        stamp = datetime(2025, 1, 1, tzinfo=UTC)
        source = [typst_source(episode, theme, labels, self._round)]

        def prepare() -> None:
            self._round += 1
            source[0] = typst_source(episode, theme, labels, self._round)

        def compile_() -> bytes:
            pdf = self._compiler.compile(input=source[0], format="pdf", timestamp=stamp)
            if not isinstance(pdf, bytes):
                raise TypeError(f"typst gave {type(pdf).__name__}, not the PDF's bytes")
            return pdf

        return prepare, compile_


def typst_available() -> str | None:
    """None when Typst can compile here, else why not."""
    try:
        import typst  # noqa: F401
    except ImportError:
        return "typst not installed (pip install -e '.[bench]')"
    return None
