"""The whole briefing: page frame, running header and footer, metadata, and the build.

"Page N of M" needs M before the last page exists. Each page draws its footer as
a form XObject named for its page number, and the forms are written when the
document is saved and M is known: one pass, and bookmarks stay on their pages
(deferring whole pages, the usual reportlab recipe, puts them all on page 1).
"""

from __future__ import annotations

import functools
import io
import time
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from briefing.formats import RenderContext
from briefing.labels import Labels
from briefing.model import Episode
from briefing.sections import present_sections
from briefing.timeline import has_timeline
from exporters.pdf.blocks import heading
from exporters.pdf.front import glance_panel, masthead
from exporters.pdf.sections import section
from exporters.pdf.shaping import ShapingTextObject
from exporters.pdf.structure_tree import AnnotationObject
from exporters.pdf.styles import CJK_LANGUAGES, Styles, styles_for
from exporters.pdf.tagging import Close, Open, StructureTree
from exporters.pdf.text import draw, fit, text_width
from exporters.pdf.timeline import Figure, timeline_alt, timeline_plot
from exporters.render_cache import using_cache
from styles import Theme

HEADER_SIZE_RATIO = 0.78
_INVARIANT_SECONDS = 946684800.0
"""The time reportlab's invariant mode stamps when SOURCE_DATE_EPOCH is unset."""
_rendering: ContextVar[bool] = ContextVar("rendering_briefing", default=False)


class _TimeStampOfOurOwn(TimeStamp):
    """reportlab's ``TimeStamp`` reads ``SOURCE_DATE_EPOCH`` itself, even in invariant
    mode: its ``int()`` of a malformed value raises inside the build, and a good value
    goes into the signature that makes the document's ``/ID``, so the ID followed the
    variable. The date we print comes from ``RenderContext.date`` (the canvas's date
    formatter), so inside our render the stamp is reportlab's invariant one and the
    environment is not read; anyone else using reportlab in the process gets its own
    behaviour."""

    def __init__(self, invariant: Any = None) -> None:
        if not _rendering.get():
            super().__init__(invariant)
            return
        self.t = _INVARIANT_SECONDS
        self.lt = time.gmtime(self.t)
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


pdfdoc.TimeStamp = _TimeStampOfOurOwn  # the name pdfdoc.PDFDocument looks up

_reportlab_pdf_name = pdfdoc.PDFName


@functools.lru_cache(maxsize=4096)
def _known_pdf_name(data: str) -> str:
    return _reportlab_pdf_name(data)


def _pdf_name(data: Any, lo: str = "\x21", hi: str = "\x7e") -> str:
    """reportlab's ``PDFName``, remembered: it escapes a name character by character in
    Python, and every key of every dictionary in the document is one (some 700 calls for
    the bundled episode, a few dozen distinct names). The same strings, so the same PDF
    for anyone in the process using reportlab."""
    if type(data) is str and lo == "\x21" and hi == "\x7e":
        return _known_pdf_name(data)
    return _reportlab_pdf_name(data, lo, hi)


pdfdoc.PDFName = _pdf_name  # the name pdfdoc's dictionaries and objects look up


def _pdf_date(when: datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


_PAGE_KEYS = ("StructParents", "Tabs")
"""Page keys of tagged PDF that reportlab's page object does not know."""


class _BriefingCanvas(Canvas):
    """A canvas that stamps one fixed date, fills in each page's "Page N of M" at save,
    and draws into a structure tree (``exporters.pdf.tagging``) that it writes at save."""

    def __init__(
        self,
        *args: Any,
        styles: Styles,
        labels: Labels,
        date: datetime,
        structure: StructureTree | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._briefing_styles = styles
        self._briefing_labels = labels
        self._pages_drawn = 0
        self.structure = structure
        stamp = _pdf_date(date)
        self.setDateFormatter(lambda *_parts: stamp)

    def beginText(self, x: float = 0, y: float = 0, direction: str | None = None) -> Any:
        # Shaped words are drawn with their glyph positions (exporters.pdf.shaping).
        return ShapingTextObject(self, x, y, direction=direction)

    def showPage(self) -> None:
        self._pages_drawn += 1
        super().showPage()
        page = self._doc.Pages.pages[-1]
        if self.structure is None:
            page.Contents = PDFStream(content=page.stream, filters=[PDFZCompress])
            return
        # Deflate only: reportlab would also wrap the page stream in ASCII85, which
        # makes it a quarter larger and, in pure Python, costs more time than the layout.
        page.Contents = PDFStream(content=page.stream, filters=[PDFZCompress])
        page.__NoDefault__ = [*page.__NoDefault__, *_PAGE_KEYS]
        page.StructParents = self._pages_drawn - 1
        # Tab order follows the structure (PDF/UA asks for it on pages with links).
        page.Tabs = PDFName("S")

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:
        """A link drawn inside marked content becomes the ``OBJR`` of its ``Link`` element."""
        if self.structure is None:
            super()._addAnnotation(annotation, name, addtopage)
            return
        link = self.structure.link_annotation(self.getPageNumber() - 1)
        if link is not None:
            annotation = AnnotationObject(annotation, link, self.structure.link_text)
        super()._addAnnotation(annotation, name, addtopage)
        if link is not None:
            link.reference = self._annotationrefs[-1]

    def save(self) -> None:
        total = self._pages_drawn
        for page in range(1, total + 1):
            self.beginForm(_footer_form(page))
            _draw_page_number(self, page, total, self._briefing_styles, self._briefing_labels)
            self.endForm()
        if self.structure is None:
            super().save()
            return
        catalog = self._doc.Catalog
        catalog.StructTreeRoot = self.structure.write(self._doc, self._doc.Pages.pages)
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        super().save()


def _footer_form(page: int) -> str:
    return f"page-number-{page}"


def _draw_page_number(
    canvas: Canvas, page: int, total: int, styles: Styles, labels: Labels
) -> None:
    size = _header_size(styles)
    canvas.setFillColor(styles.palette.muted)
    x = styles.page_width - styles.margin_right
    draw(
        canvas,
        x,
        _footer_baseline(styles),
        labels.page(page, total),
        styles.faces.body,
        size,
        "right",
    )


def _footer_baseline(styles: Styles) -> float:
    return styles.margin_bottom * 0.45


@dataclass(frozen=True)
class _RunningHeader:
    """The header's two texts, fitted to the line once per document."""

    title: str
    category: str

    @classmethod
    def of(cls, episode: Episode, styles: Styles) -> _RunningHeader:
        size = _header_size(styles)
        category = ""
        if episode.category:
            category = fit(episode.category, styles.faces.body, size, styles.frame_width * 0.3)
        room = styles.frame_width - text_width(category, styles.faces.body, size) - 6 * mm
        return cls(fit(episode.title, styles.faces.heading, size, room), category)


def _header_size(styles: Styles) -> float:
    return styles.theme.fonts.size_pt * HEADER_SIZE_RATIO


def _decorate(
    canvas: _BriefingCanvas, header: _RunningHeader, labels: Labels, styles: Styles
) -> None:
    """Running header (episode title, category) and footer (maker, page number) of every page."""
    palette = styles.palette
    size = _header_size(styles)
    left = styles.margin_left
    right = styles.page_width - styles.margin_right
    header_y = styles.page_height - styles.margin_top * 0.55
    canvas.saveState()
    # Running header and footer are page furniture, outside the structure tree.
    tree = canvas.structure
    if tree is not None:
        tree.begin_artifact(canvas, "Pagination")
    canvas.setFillColor(palette.muted)
    # Title first, then category: text extractors read the header left to right.
    draw(canvas, left, header_y, header.title, styles.faces.heading, size)
    if header.category:
        draw(canvas, right, header_y, header.category, styles.faces.body, size, "right")
    canvas.setStrokeColor(palette.rule)
    canvas.setLineWidth(0.5)
    canvas.line(left, header_y - size * 0.7, right, header_y - size * 0.7)
    footer_y = _footer_baseline(styles)
    canvas.line(left, footer_y + size * 1.4, right, footer_y + size * 1.4)
    draw(canvas, left, footer_y, labels.generated_by, styles.faces.body, size)
    canvas.doForm(_footer_form(canvas.getPageNumber()))
    if tree is not None:
        tree.end_marked(canvas)
    canvas.restoreState()


def _story(episode: Episode, labels: Labels, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [*masthead(episode, labels, styles)]
    story += glance_panel(episode, labels, styles)
    if has_timeline(episode):
        plot = timeline_plot(episode, labels, styles, styles.frame_width)
        story.append(Open("Sect"))
        story += heading(labels.timeline, "timeline", styles, room=plot.height)
        story += [Figure(plot, timeline_alt(episode, labels, styles)), Close()]
    for key in present_sections(episode):
        story += section(key, episode, labels, styles)
    return story


def _metadata(episode: Episode, labels: Labels, generator: str) -> dict[str, Any]:
    subject = [episode.category] if episode.category else []
    subject += [labels.format_minutes(episode.duration_minutes)] if episode.duration_minutes else []
    return {
        "title": episode.title,
        "author": ", ".join(episode.speakers),
        "subject": " · ".join(subject) or episode.title,
        "keywords": ", ".join(episode.topics),
        "creator": generator,
    }


def render_pdf(
    episode: Episode, theme: Theme, labels: Labels, context: RenderContext, *, tagged: bool = True
) -> bytes:
    """The briefing's PDF. ``tagged=False`` leaves out the structure tree and its marked
    content: not a choice the exporter offers, but how the benchmark measures what tagging
    costs (the same layout and text, no structure)."""
    token = _rendering.set(True)
    try:
        with using_cache(context.cache):
            return _render(episode, theme, labels, context, tagged)
    finally:
        _rendering.reset(token)


def _render(
    episode: Episode, theme: Theme, labels: Labels, context: RenderContext, tagged: bool
) -> bytes:
    language = episode.language.split("-")[0].lower()
    label_language = labels.language.split("-")[0].lower()
    structure = StructureTree(episode.language if language != label_language else None)
    styles = styles_for(theme, language in CJK_LANGUAGES or labels.language in CJK_LANGUAGES)
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=(styles.page_width, styles.page_height),
        leftMargin=styles.margin_left,
        rightMargin=styles.margin_right,
        topMargin=styles.margin_top,
        bottomMargin=styles.margin_bottom,
        invariant=1,
        pageCompression=1,
        # The document's language is that of its labels and headings; episode text in
        # another language says so on its own elements (``StructureTree``).
        lang=episode.language if structure.text_lang is None else labels.language,
        displayDocTitle=1,
        initialFontName=styles.faces.body.fontName,
        **_metadata(episode, labels, context.generator),
    )
    frame = Frame(
        styles.margin_left,
        styles.margin_bottom,
        styles.frame_width,
        styles.frame_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    header = _RunningHeader.of(episode, styles)
    document.addPageTemplates(
        [
            PageTemplate(
                id="page",
                frames=[frame],
                onPage=lambda canvas, _doc: _decorate(canvas, header, labels, styles),
            )
        ]
    )

    def canvas_maker(*args: Any, **kwargs: Any) -> _BriefingCanvas:
        canvas = _BriefingCanvas(
            *args,
            styles=styles,
            labels=labels,
            date=context.date,
            structure=structure if tagged else None,
            **kwargs,
        )
        canvas.showOutline()
        return canvas

    document.build(_story(episode, labels, styles), canvasmaker=canvas_maker)
    return buffer.getvalue()
