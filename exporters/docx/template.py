"""python-docx's default template, restyled from a theme once per process.

Every paragraph of the report uses a named style, so the look lives here and
nowhere else: the built-in styles (Normal, Title, Subtitle, Heading 1-9,
Quote, List Bullet, TOC Heading, Header, Footer) get the theme's fonts and
colours, and a few styles of our own cover what Word has no style for
(``Briefing Table``, ``Table Text``, ``Item Meta``, ``Evidence``...).

Fonts are written by family name for Latin and complex scripts and as the
East Asian font (``w:eastAsia``); python-docx's ``font.name`` sets neither the
East Asian font nor removes the template's theme fonts, which would win over
any name, so ``w:rFonts`` is written here directly.

Restyling walks the 440 kB styles part, so the result is kept, serialised,
per theme, for the process and in the render's cache for the next ones
(``exporters.docx.template_cache``); each render opens a fresh copy of it.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle

from exporters.docx.east_asian import EAST_ASIAN_LANGUAGES, EastAsian
from exporters.docx.fields import make_element, put_in_order
from exporters.docx.reference import reference_document
from exporters.docx.template_cache import entry_key, template_from_bytes, template_to_bytes
from exporters.render_cache import current_cache
from styles import Theme

TABLE_STYLE = "Briefing Table"
TABLE_TEXT = "Table Text"
TABLE_HEADING = "Table Heading"
MASTHEAD = "Masthead"
ITEM_META = "Item Meta"
CLAIM = "Claim"
EVIDENCE = "Evidence"
QUOTE = "Quote"
QUOTE_SOURCE = "Quote Source"
LINK = "Hyperlink"
TOC_LEVELS = ("toc 1", "toc 2")
MASTHEAD_LABEL_MM = 32

_KEPT_TABLE_STYLES = {"TableNormal", "TableGrid"}
_THEME_FONT_ATTRIBUTES = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_THEME_COLOUR_ATTRIBUTES = (
    "themeColor",
    "themeShade",
    "themeTint",
    "themeFill",
    "themeFillShade",
    "themeFillTint",
)
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


@dataclass(frozen=True)
class Template:
    package: bytes
    style_ids: Mapping[str, str]
    """Style name -> style id. Setting a style by id skips python-docx's lookup by name,
    which walks every style and was most of the render time."""
    from_reference: bool = False
    """Built on the theme's Word reference document: its page setup and, where it has
    them, its header and footer stay."""


def new_document(theme: Theme) -> tuple[DocumentObject, Template]:
    """A fresh document on the theme's template, and the template it came from."""
    template = _template(theme)
    return Document(io.BytesIO(template.package)), template


@functools.lru_cache(maxsize=8)
def _template(theme: Theme) -> Template:
    if theme.reference_docx is not None:
        builtin = _template(theme.model_copy(update={"reference_docx": None}))
        document = reference_document(theme.reference_docx, builtin.package)
        return _saved(document, from_reference=True)
    cache, key = current_cache(), entry_key(theme)
    kept = template_from_bytes(cache.get(key))
    if kept is not None:
        package, style_ids = kept
        return Template(package, MappingProxyType(style_ids), from_reference=False)
    template = _restyled(theme)
    cache.put(key, template_to_bytes(template.package, template.style_ids))
    return template


def _restyled(theme: Theme) -> Template:
    document = Document()
    _drop_stale_parts(document)
    styles = document.styles.element
    _prune_table_styles(styles)
    _strip_theme_references(styles)
    _restyle(document, theme)
    return _saved(document, from_reference=False)


def _saved(document: DocumentObject, from_reference: bool) -> Template:
    buffer = io.BytesIO()
    document.save(buffer)
    style_ids = {style.name: style.style_id for style in document.styles if style.name}
    return Template(buffer.getvalue(), MappingProxyType(style_ids), from_reference)


def _drop_stale_parts(document: DocumentObject) -> None:
    """Parts the template carries that would contradict the restyled document: Word 2010's
    copy of the styles (it would show the old look), a thumbnail of another document, and
    application properties claiming Word wrote a one-page, zero-word file."""
    for relationship_id, relationship in list(document.part.rels.items()):
        if relationship.reltype == _STYLES_WITH_EFFECTS:
            document.part.rels.pop(relationship_id)
    package_rels = document.part.package.rels
    for relationship_id, relationship in list(package_rels.items()):
        if relationship.reltype in (
            RELATIONSHIP_TYPE.THUMBNAIL,
            RELATIONSHIP_TYPE.EXTENDED_PROPERTIES,
        ):
            package_rels.pop(relationship_id)


def _prune_table_styles(styles: BaseOxmlElement) -> None:
    # 140 unused table styles are most of the styles part; Word still offers all of
    # them from its built-in gallery, so the document only needs the ones it uses.
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in (
            _KEPT_TABLE_STYLES
        ):
            styles.remove(style)


def _strip_theme_references(styles: BaseOxmlElement) -> None:
    """Theme fonts and colours override explicit ones; the theme file is the only source."""
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in _THEME_FONT_ATTRIBUTES:
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for tag in ("w:color", "w:shd", "w:top", "w:bottom", "w:left", "w:right"):
        for node in styles.iter(qn(tag)):
            for attribute in _THEME_COLOUR_ATTRIBUTES:
                node.attrib.pop(qn(f"w:{attribute}"), None)


def _remove(parent: BaseOxmlElement, tag: str) -> None:
    for node in parent.findall(qn(tag)):
        parent.remove(node)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(_hex(colour))


def _half_points(size_pt: float) -> Pt:
    return Pt(round(size_pt * 2) / 2)


def set_fonts(properties: BaseOxmlElement, latin: str, east_asian: str) -> None:
    """Write the Latin, complex-script and East Asian fonts on an ``w:rPr``."""
    fonts = properties.get_or_add_rFonts()
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attribute}"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _border(properties: BaseOxmlElement, side: str, colour: str, eighths: int, space: int) -> None:
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = put_in_order(properties, make_element("w:pBdr"))
    old = borders.find(qn(f"w:{side}"))
    if old is not None:
        borders.remove(old)
    borders.append(
        make_element(
            f"w:{side}", val="single", sz=str(eighths), space=str(space), color=_hex(colour)
        )
    )


def _shade(properties: BaseOxmlElement, fill: str) -> None:
    put_in_order(properties, make_element("w:shd", val="clear", color="auto", fill=_hex(fill)))


def _paragraph_style(document: DocumentObject, name: str, based_on: str) -> ParagraphStyle:
    if name in (style.name for style in document.styles):
        return document.styles[name]
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[based_on]
    style.quick_style = True
    return style


def _look(
    style: BaseStyle,
    font: str | None = None,
    east_asian: str | None = None,
    size_pt: float | None = None,
    colour: str | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
) -> None:
    if font is not None and east_asian is not None:
        set_fonts(style.element.get_or_add_rPr(), font, east_asian)
    if size_pt is not None:
        style.font.size = _half_points(size_pt)
    if colour is not None:
        style.font.color.rgb = _rgb(colour)
    style.font.bold = bold
    style.font.italic = italic


def _restyle(document: DocumentObject, theme: Theme) -> None:
    fonts, colours = theme.fonts, theme.colours
    size = fonts.size_pt
    _document_defaults(document, theme)
    styles = document.styles
    heading_sizes = {1: size * fonts.heading_scale, 2: size * (1 + (fonts.heading_scale - 1) / 2)}
    for level in range(1, 10):
        heading = styles[f"Heading {level}"]
        _look(
            heading,
            fonts.heading,
            fonts.cjk,
            heading_sizes.get(level, size * 1.1),
            colours.heading,
            bold=True,
            italic=level > 3 or None,
        )
        heading.paragraph_format.space_before = Pt(size * (1.8 if level == 1 else 1.2))
        heading.paragraph_format.space_after = Pt(size * 0.5)
    title = styles["Title"]
    _look(title, fonts.heading, fonts.cjk, size * fonts.heading_scale * 1.6, colours.heading, True)
    title.paragraph_format.space_before = Pt(size * 6)
    title.paragraph_format.space_after = Pt(size * 1.2)
    _border(title.element.get_or_add_pPr(), "bottom", colours.accent, 12, 8)
    subtitle = styles["Subtitle"]
    _remove(subtitle.element.get_or_add_pPr(), "w:numPr")
    _look(subtitle, fonts.heading, fonts.cjk, size * 1.3, colours.muted)
    subtitle.paragraph_format.space_after = Pt(size * 2)
    toc_heading = styles["TOC Heading"]
    toc_heading.paragraph_format.space_before = Pt(0)
    _quotes(document, theme)
    _lists_and_body(document, theme)
    _header_footer(document, theme)
    _table_styles(document, theme)
    _toc_styles(document, theme)


def _document_defaults(document: DocumentObject, theme: Theme) -> None:
    """Body font, size and colour live in the document defaults, not in Normal, so a table
    style's header colour is not overridden by the paragraph style of its cells."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(run_properties, theme.fonts.body, theme.fonts.cjk)
    half_points = str(round(theme.fonts.size_pt * 2))
    put_in_order(run_properties, make_element("w:color", val=_hex(theme.colours.text)))
    put_in_order(run_properties, make_element("w:sz", val=half_points))
    put_in_order(run_properties, make_element("w:szCs", val=half_points))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), str(round(theme.fonts.size_pt * 12)))
    spacing.set(qn("w:line"), "264")


def set_language(
    document: DocumentObject, language: str, east_asian: EastAsian | None, cjk: str
) -> None:
    """The episode's language on the document defaults, which every run inherits, and the
    report's East Asian language (``exporters.docx.east_asian``): where the styles name
    the theme's ``cjk`` face, they name that language's font instead (the fonts of a
    reference document's own styles stay).

    Quotes of a Chinese, Japanese or Korean episode are set upright: slanted Han
    characters are a fake italic that CJK typography does not use.
    """
    styles = document.styles.element
    run_properties = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = make_element("w:lang", val=language)
    if east_asian is not None:
        lang.set(qn("w:eastAsia"), east_asian.tag)
        for fonts in styles.iter(qn("w:rFonts")):
            if fonts.get(qn("w:eastAsia")) == cjk:
                fonts.set(qn("w:eastAsia"), east_asian.font)
    if language.split("-")[0].lower() in EAST_ASIAN_LANGUAGES:
        for style_id in ("Quote", "IntenseQuote"):
            quote = styles.get_by_id(style_id).get_or_add_rPr()
            _remove(quote, "w:i")
            _remove(quote, "w:iCs")
    put_in_order(run_properties, lang)


def _quotes(document: DocumentObject, theme: Theme) -> None:
    fonts, colours = theme.fonts, theme.colours
    for name in ("Quote", "Intense Quote"):
        quote = document.styles[name]
        _look(quote, fonts.body, fonts.cjk, fonts.size_pt * 1.15, colours.text, italic=True)
        properties = quote.element.get_or_add_pPr()
        _border(properties, "left", colours.accent, 24, 8)
        _shade(properties, colours.panel)
        quote.paragraph_format.left_indent = Pt(fonts.size_pt * 1.2)
        quote.paragraph_format.right_indent = Pt(fonts.size_pt * 1.2)
        quote.paragraph_format.space_before = Pt(fonts.size_pt)
        quote.paragraph_format.space_after = Pt(fonts.size_pt * 0.3)
        quote.paragraph_format.keep_with_next = True
    source = _paragraph_style(document, QUOTE_SOURCE, "Normal")
    _look(source, size_pt=fonts.size_pt * 0.9, colour=colours.muted)
    source.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    source.paragraph_format.right_indent = Pt(fonts.size_pt * 1.2)
    source.paragraph_format.space_after = Pt(fonts.size_pt)


def _lists_and_body(document: DocumentObject, theme: Theme) -> None:
    fonts, colours = theme.fonts, theme.colours
    bullet = document.styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(fonts.size_pt * 0.5)
    # Word's List Bullet sets contextual spacing, which drops the space between items.
    _remove(bullet.element.get_or_add_pPr(), "w:contextualSpacing")
    # Title-page details: the label, a tab, then the value, wrapped lines aligned with it.
    masthead = _paragraph_style(document, MASTHEAD, "Normal")
    masthead.paragraph_format.space_after = Pt(fonts.size_pt * 0.4)
    masthead.paragraph_format.left_indent = Mm(MASTHEAD_LABEL_MM)
    masthead.paragraph_format.first_line_indent = Mm(-MASTHEAD_LABEL_MM)
    masthead.paragraph_format.tab_stops.add_tab_stop(Mm(MASTHEAD_LABEL_MM))
    meta = _paragraph_style(document, ITEM_META, "Normal")
    _look(meta, size_pt=fonts.size_pt * 0.9, colour=colours.muted)
    meta.paragraph_format.space_before = Pt(fonts.size_pt * 1.0)
    meta.paragraph_format.space_after = Pt(0)
    meta.paragraph_format.keep_with_next = True
    claim = _paragraph_style(document, CLAIM, "Normal")
    _look(claim, size_pt=fonts.size_pt * 1.05, bold=True)
    claim.paragraph_format.space_after = Pt(fonts.size_pt * 0.3)
    claim.paragraph_format.keep_with_next = True
    evidence = _paragraph_style(document, EVIDENCE, "Normal")
    evidence.paragraph_format.left_indent = Pt(fonts.size_pt)
    _border(evidence.element.get_or_add_pPr(), "left", colours.rule, 12, 6)
    link = document.styles.add_style(LINK, WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = _rgb(colours.link)
    link.font.underline = True


def _header_footer(document: DocumentObject, theme: Theme) -> None:
    fonts, colours = theme.fonts, theme.colours
    for name in ("Header", "Footer"):
        style = document.styles[name]
        _look(style, size_pt=fonts.size_pt * 0.85, colour=colours.muted)
    header = document.styles["Header"].element.get_or_add_pPr()
    _border(header, "bottom", colours.rule, 4, 4)
    document.styles["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _toc_styles(document: DocumentObject, theme: Theme) -> None:
    """Word's own ``toc 1``/``toc 2`` names, so Word and LibreOffice treat them as the TOC's
    styles; the right tab with dot leader is where page numbers go when a reader updates."""
    text_width_mm = theme.page.text_width_mm
    for level, name in enumerate(TOC_LEVELS):
        style = _paragraph_style(document, name, "Normal")
        style.paragraph_format.left_indent = Pt(theme.fonts.size_pt * 1.5 * level)
        style.paragraph_format.space_after = Pt(theme.fonts.size_pt * (0.2 if level else 0.3))
        style.paragraph_format.space_before = Pt(theme.fonts.size_pt * (0 if level else 0.6))
        style.paragraph_format.tab_stops.add_tab_stop(
            Mm(text_width_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        if level == 0:
            _look(style, bold=True, colour=theme.colours.heading)


def _table_styles(document: DocumentObject, theme: Theme) -> None:
    colours, fonts = theme.colours, theme.fonts
    table_size = str(round(fonts.size_pt * 0.9 * 2))
    rule = _hex(colours.rule)
    style = parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="BriefingTable">'
        f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:sz w:val="{table_size}"/><w:szCs w:val="{table_size}"/></w:rPr>'
        '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblInd w:w="0" w:type="dxa"/>'
        "<w:tblBorders>"
        f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{rule}"/>'
        f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{rule}"/>'
        f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{rule}"/>'
        "</w:tblBorders>"
        '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/>'
        f'<w:color w:val="{_hex(colours.table_header_text)}"/></w:rPr><w:tblPr/>'
        '<w:tcPr><w:shd w:val="clear" w:color="auto" '
        f'w:fill="{_hex(colours.table_header_background)}"/></w:tcPr></w:tblStylePr>'
        '<w:tblStylePr w:type="band2Horz"><w:tblPr/><w:tcPr><w:shd w:val="clear" '
        f'w:color="auto" w:fill="{_hex(colours.table_band)}"/></w:tcPr></w:tblStylePr>'
        "</w:style>"
    )
    document.styles.element.append(style)
    text = _paragraph_style(document, TABLE_TEXT, "Normal")
    text.paragraph_format.space_after = Pt(0)
    text.paragraph_format.line_spacing = 1.0
    heading = _paragraph_style(document, TABLE_HEADING, TABLE_TEXT)
    heading.paragraph_format.keep_with_next = True
    _look(heading, bold=True, colour=colours.table_header_text)
