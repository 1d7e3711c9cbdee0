"""The Word report: title page, table of contents, sections, header, footer, metadata.

Only ``DocxExporter.render`` imports this module, so python-docx is loaded when
a Word report is rendered and never for ``briefing --help``.
"""

from __future__ import annotations

import io
import string

from docx.document import Document as DocumentObject
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from briefing.formats import RenderContext
from briefing.labels import Labels, language_name
from briefing.model import Episode
from briefing.sections import present_sections
from briefing.text import shorten
from exporters.docx.builder import SEPARATOR, ReportBuilder
from exporters.docx.east_asian import east_asian
from exporters.docx.fields import (
    add_external_link,
    add_field,
    add_internal_link,
    begin_field,
    end_field,
)
from exporters.docx.reference import has_content
from exporters.docx.sections import write_sections
from exporters.docx.template import LINK, MASTHEAD, TOC_LEVELS, new_document, set_language
from exporters.docx.text import append_run
from exporters.ooxml import reproducible_zip
from styles import Theme

TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
CORE_PROPERTY_CHARS = 255
"""python-docx refuses longer core properties (and Word's dialog shows no more)."""
RUNNING_TITLE_CHARS = 90


def render_report(episode: Episode, theme: Theme, labels: Labels, context: RenderContext) -> bytes:
    document, template = new_document(theme)
    languages = (episode.language, labels.language)
    east = east_asian(languages, theme.fonts.east_asian)
    set_language(document, episode.language, east, theme.fonts.cjk)
    report = ReportBuilder(document, template.style_ids, episode, theme, labels)
    _page_setup(report, template.from_reference)
    _title_page(report)
    placeholder = _contents_placeholder(report) if present_sections(episode) else None
    write_sections(report)
    if placeholder is not None:
        _fill_contents(report, placeholder)
    _core_properties(document, episode, labels, context)
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue(), context.date)


def _page_setup(report: ReportBuilder, from_reference: bool) -> None:
    """The theme's page, header and footer; on a reference document, its own page setup,
    and its header and footer where it has them."""
    section = report.document.sections[0]
    if not from_reference:
        page = report.theme.page
        section.page_width = Mm(page.width_mm)
        section.page_height = Mm(page.height_mm)
        section.top_margin = Mm(page.margin_top_mm)
        section.bottom_margin = Mm(page.margin_bottom_mm)
        section.left_margin = Mm(page.margin_left_mm)
        section.right_margin = Mm(page.margin_right_mm)
        section.header_distance = Mm(page.margin_top_mm / 2)
        section.footer_distance = Mm(page.margin_bottom_mm / 2)
    header_kept = from_reference and has_content(section.header._element)
    footer_kept = from_reference and has_content(section.footer._element)
    # The title page shows the title already: no running head there, only the page number.
    section.different_first_page_header_footer = not header_kept
    if not header_kept:
        title = shorten(report.episode.title, RUNNING_TITLE_CHARS)
        append_run(section.header.paragraphs[0]._p, title)
    if not footer_kept:
        for footer in (section.footer, section.first_page_footer):
            _page_of(footer.paragraphs[0], report.labels)


def _page_of(paragraph: Paragraph, labels: Labels) -> None:
    """'Page N of M' from the label's template, N and M as PAGE and NUMPAGES fields."""
    for literal, name, _spec, _conversion in string.Formatter().parse(labels.page_of):
        if literal:
            append_run(paragraph._p, literal)
        if name == "page":
            add_field(paragraph, "PAGE", "1")
        elif name == "pages":
            add_field(paragraph, "NUMPAGES", "1")


def _title_page(report: ReportBuilder) -> None:
    episode, labels = report.episode, report.labels
    report.paragraph(episode.title, "Title")
    if episode.category:
        report.paragraph(episode.category, "Subtitle")
    details: list[tuple[str, str]] = []
    if episode.duration_minutes:
        details.append((labels.duration, labels.format_minutes(episode.duration_minutes)))
    if episode.speakers:
        details.append((labels.speakers, SEPARATOR.join(episode.speakers)))
    details.append((labels.language_label, language_name(episode.language)))
    if episode.translations:
        names = SEPARATOR.join(language_name(tag) for tag in episode.translations)
        details.append((labels.translations, names))
    if episode.published:
        details.append((labels.published, labels.format_date(episode.published)))
    for label, value in details:
        report.run(_detail(report, label), value)
    if episode.watch_url:
        line = _detail(report, labels.watch)
        add_external_link(line, episode.watch_url, episode.watch_url, report.style_ids[LINK])


def _detail(report: ReportBuilder, label: str) -> Paragraph:
    line = report.paragraph(style=MASTHEAD)
    report.run(line, label, "Strong")
    report.run(line, "\t")
    return line


def _contents_placeholder(report: ReportBuilder) -> Paragraph:
    title = report.paragraph(report.labels.contents, "TOC Heading")
    title.paragraph_format.page_break_before = True
    return report.paragraph(style=TOC_LEVELS[0])


def _fill_contents(report: ReportBuilder, placeholder: Paragraph) -> None:
    """A real TOC field whose result already lists every heading.

    Each entry links to the bookmark around its heading. Entries carry no page
    numbers: python-docx does not lay pages out, so any number written here would
    be a guess that Word shows as fact until the field is updated. The entries
    are the field's result, so Word (Update Table, F9) and LibreOffice (Update
    Index) rebuild them with page numbers, and the styles' dotted right tab is
    ready for them.
    """
    last = len(report.headings) - 1
    for index, heading in enumerate(report.headings):
        entry = placeholder.insert_paragraph_before()
        report.set_style(entry, TOC_LEVELS[heading.level - 1])
        if index == 0:
            begin_field(entry, TOC_INSTRUCTION)
        add_internal_link(entry._p, heading.bookmark, " ".join(heading.text.split()))
        if index == last:
            end_field(entry)
    placeholder._p.getparent().remove(placeholder._p)


def _core_properties(
    document: DocumentObject, episode: Episode, labels: Labels, context: RenderContext
) -> None:
    properties = document.core_properties
    properties.title = shorten(episode.title, CORE_PROPERTY_CHARS)
    properties.author = shorten("; ".join(episode.speakers), CORE_PROPERTY_CHARS)
    properties.subject = shorten(episode.category or "", CORE_PROPERTY_CHARS)
    properties.keywords = shorten("; ".join(episode.topics), CORE_PROPERTY_CHARS)
    properties.language = episode.language
    properties.identifier = episode.id
    properties.comments = labels.generated_by
    properties.last_modified_by = "briefing"
    properties.revision = 1
    when = context.date
    properties.created = when
    properties.modified = when
