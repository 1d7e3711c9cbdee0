"""The theme as reportlab styles: faces, colours, page geometry, paragraph styles.

One vertical rhythm drives everything: the body leading, and space before and
after blocks in multiples of it. Built once per (theme, line-breaking mode) and
kept for the process, like the fonts it uses.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from exporters.pdf.fonts import EmbeddedFont, face
from exporters.pdf.tagging import Tag
from exporters.pdf.text import Paragraph, Span, paragraph_of
from styles import Theme

CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})


@dataclass(frozen=True)
class Palette:
    text: Color
    muted: Color
    heading: Color
    accent: Color
    panel: Color
    rule: Color
    link: Color
    header_background: Color
    header_text: Color
    band: Color


@dataclass(frozen=True)
class Faces:
    body: EmbeddedFont
    italic: EmbeddedFont
    bold: EmbeddedFont
    heading: EmbeddedFont
    display: EmbeddedFont
    """Heading family, light: for large figures."""


@dataclass(frozen=True)
class Styles:
    theme: Theme
    palette: Palette
    faces: Faces
    page_width: float
    page_height: float
    margin_left: float
    margin_right: float
    margin_top: float
    margin_bottom: float
    unit: float
    """The body leading: the rhythm every space is a multiple of."""
    body: ParagraphStyle
    body_bold: ParagraphStyle
    numbered: ParagraphStyle
    """Body text with its number hanging in the margin."""
    muted: ParagraphStyle
    label: ParagraphStyle
    kicker: ParagraphStyle
    title: ParagraphStyle
    meta_value: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    figure: ParagraphStyle
    figure_caption: ParagraphStyle
    count: ParagraphStyle
    time: ParagraphStyle
    claim: ParagraphStyle
    quote: ParagraphStyle
    quote_mark: ParagraphStyle
    attribution: ParagraphStyle
    table_header: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle

    @property
    def frame_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right

    @property
    def frame_height(self) -> float:
        return self.page_height - self.margin_top - self.margin_bottom

    def para(
        self,
        text: str | Sequence[Span],
        style: ParagraphStyle,
        bullet: str | None = None,
        tag: Tag | str | None = None,
    ) -> Paragraph:
        """Text (or spans of it), shown literally in ``style``, in structure ``tag``."""
        return paragraph_of(text, style, bullet, tag)


def _palette(theme: Theme) -> Palette:
    colours = theme.colours
    return Palette(
        text=HexColor(colours.text),
        muted=HexColor(colours.muted),
        heading=HexColor(colours.heading),
        accent=HexColor(colours.accent),
        panel=HexColor(colours.panel),
        rule=HexColor(colours.rule),
        link=HexColor(colours.link),
        header_background=HexColor(colours.table_header_background),
        header_text=HexColor(colours.table_header_text),
        band=HexColor(colours.table_band),
    )


def _faces(theme: Theme) -> Faces:
    fonts = theme.fonts
    return Faces(
        body=face(fonts.body, 400),
        italic=face(fonts.body, 400, italic=True),
        bold=face(fonts.body, 700),
        heading=face(fonts.heading, 600),
        display=face(fonts.heading, 300),
    )


@functools.cache
def styles_for(theme: Theme, cjk: bool) -> Styles:
    """Styles for a theme; ``cjk`` breaks lines between any two characters, as
    Chinese, Japanese and Korean text needs."""
    palette = _palette(theme)
    faces = _faces(theme)
    size = theme.fonts.size_pt
    unit = round(size * 1.45, 2)
    heading_size = size * theme.fonts.heading_scale
    wrap = "CJK" if cjk else None

    def style(name: str, font: EmbeddedFont, font_size: float, **extra: object) -> ParagraphStyle:
        options: dict[str, object] = {
            "fontName": font.fontName,
            "fontSize": font_size,
            "leading": round(font_size * 1.45, 2),
            "textColor": palette.text,
            "wordWrap": wrap,
            "bulletFontName": font.fontName,
            "bulletFontSize": font_size,
        }
        options.update(extra)
        return ParagraphStyle(name, **options)

    small = size * 0.85
    return Styles(
        theme=theme,
        palette=palette,
        faces=faces,
        page_width=theme.page.width_mm * mm,
        page_height=theme.page.height_mm * mm,
        margin_left=theme.page.margin_left_mm * mm,
        margin_right=theme.page.margin_right_mm * mm,
        margin_top=theme.page.margin_top_mm * mm,
        margin_bottom=theme.page.margin_bottom_mm * mm,
        unit=unit,
        body=style("body", faces.body, size, spaceAfter=unit * 0.4),
        body_bold=style("body_bold", faces.bold, size),
        numbered=style(
            "numbered",
            faces.body,
            size,
            spaceAfter=unit * 0.4,
            leftIndent=size * 2.2,
            bulletColor=palette.accent,
        ),
        muted=style("muted", faces.body, small, textColor=palette.muted),
        label=style("label", faces.heading, small * 0.92, textColor=palette.muted),
        kicker=style("kicker", faces.heading, size * 1.05, textColor=palette.accent),
        title=style(
            "title",
            faces.heading,
            size * 2.6,
            leading=size * 3.05,
            textColor=palette.heading,
            spaceBefore=unit * 0.2,
            spaceAfter=unit * 0.8,
        ),
        meta_value=style("meta_value", faces.body, size),
        h1=style(
            "h1",
            faces.heading,
            heading_size,
            leading=heading_size * 1.25,
            textColor=palette.heading,
        ),
        h2=style("h2", faces.heading, size * 1.15, textColor=palette.heading, spaceAfter=2),
        figure=style(
            "figure",
            faces.display,
            size * 2,
            leading=size * 2.3,
            textColor=palette.heading,
        ),
        figure_caption=style("figure_caption", faces.body, small, textColor=palette.muted),
        count=style(
            "count",
            faces.display,
            size * 2,
            leading=size * 2.3,
            textColor=palette.accent,
        ),
        time=style("time", faces.heading, small, textColor=palette.accent),
        claim=style(
            "claim", faces.bold, size * 1.1, leading=size * 1.1 * 1.4, spaceAfter=unit * 0.25
        ),
        quote=style(
            "quote",
            faces.italic,
            size * 1.3,
            leading=size * 1.3 * 1.45,
            textColor=palette.heading,
        ),
        quote_mark=style(
            "quote_mark", faces.heading, size * 3.6, leading=size * 3.2, textColor=palette.accent
        ),
        attribution=style(
            "attribution", faces.body, small, textColor=palette.muted, spaceBefore=unit * 0.3
        ),
        table_header=style(
            "table_header", faces.heading, small, textColor=palette.header_text, alignment=TA_LEFT
        ),
        cell=style("cell", faces.body, size),
        cell_bold=style("cell_bold", faces.bold, size),
    )
