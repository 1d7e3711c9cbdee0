"""Documents back to text, one reader per format, for tests that assert on content.

Each ``*_text`` function opens the bytes with the library a colleague's tools
would trust (pypdf, python-docx, openpyxl, markdown-it, html5lib) and returns the text a
reader gets out of the document. ``shows(format, document_text, text)`` then says
whether a piece of episode text is in it *exactly*:

- Word, Excel and Markdown: character for character, line breaks as ``\\n``.
- PDF: character for character too, except where the layout or a reader's handling of
  right-to-left text changes it, as ``tests.pdf_text_layer`` says.

The ``*_inspect``-style helpers list what could make text *act* (links, images,
fields, formulas) so tests can assert that episode text never does.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from tests.pdf_text_layer import PAGE_BREAK, pdf_shows

if TYPE_CHECKING:
    from pypdf import PageObject

CELL_SEPARATOR = "\x00"
"""Joins spreadsheet cells: a character no episode text can hold, so no match spans cells."""

# -- PDF ------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text layer of every page, in page order (pypdf), pages joined by ``PAGE_BREAK``,
    without the running header and footer, so text flowing onto the next page reads on.

    Page furniture is what is drawn at the same height on every page, the same text but for
    the page's number and the page count, above or below everything else on the pages (so
    that a short text which happens to stand at the same height on every page stays).
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=True)
    count = len(reader.pages)
    pages = [_placed_pieces(page, number, count) for number, page in enumerate(reader.pages, 1)]
    furniture = _furniture(pages) if count > 1 else set()
    return PAGE_BREAK.join(
        "".join(text for key, text in page if key not in furniture or not text.strip())
        for page in pages
    )


def _furniture(pages: list[list[tuple[tuple[int, str], str]]]) -> set[tuple[int, str]]:
    common = set.intersection(*({key for key, text in page if text.strip()} for page in pages))
    content = [
        [key[0] for key, text in page if key not in common and text.strip()] for page in pages
    ]
    content = [heights for heights in content if heights]
    if not content:
        return common
    lowest_top = min(max(heights) for heights in content)
    highest_bottom = max(min(heights) for heights in content)
    return {key for key in common if key[0] > lowest_top or key[0] < highest_bottom}


def _placed_pieces(page: PageObject, number: int, count: int) -> list[tuple[tuple[int, str], str]]:
    """((height, text with the page's number and the page count masked), text) of each
    piece of the page's text layer."""
    pieces: list[tuple[tuple[int, str], str]] = []
    page_numbers = re.compile(rf"(?<!\d)(?:{number}|{count})(?!\d)")

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        # The height the text starts at: the text matrix times the current matrix.
        height = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        pieces.append(((round(height), page_numbers.sub("#", text.strip())), text))

    # extract_text is exactly the visited pieces joined (pypdf builds it from them).
    page.extract_text(visitor_text=visit)
    return pieces


@dataclass(frozen=True)
class PdfAnnotation:
    subtype: str
    action: str
    """``URI``, ``GoTo``, ``JavaScript``, ``Launch``... or ``""`` for a plain destination."""
    target: str
    """The URI for a URI action; empty otherwise."""


def pdf_annotations(data: bytes) -> list[PdfAnnotation]:
    """Every annotation on every page, with the action it would run when clicked."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            action = annotation.get("/A")
            action = action.get_object() if action is not None else {}
            found.append(
                PdfAnnotation(
                    subtype=str(annotation.get("/Subtype", "")).lstrip("/"),
                    action=str(action.get("/S", "")).lstrip("/"),
                    target=str(action.get("/URI", "")),
                )
            )
    return found


def pdf_document_actions(data: bytes) -> list[str]:
    """Actions a viewer runs by itself: an open action, additional actions, named scripts."""
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(data)).trailer["/Root"].get_object()
    actions = [key for key in ("/OpenAction", "/AA") if key in root]
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        actions.append("/Names/JavaScript")
    return actions


def pdf_image_digests(data: bytes) -> set[str]:
    """sha256 of the stream of every image drawn on any page (inside forms too)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    digests: set[str] = set()

    def walk(resources: object, seen: set[int]) -> None:
        if resources is None:
            return
        xobjects = resources.get_object().get("/XObject")  # type: ignore[attr-defined]
        if xobjects is None:
            return
        for reference in xobjects.get_object().values():
            stream = reference.get_object()
            if id(stream) in seen:
                continue
            seen.add(id(stream))
            if stream.get("/Subtype") == "/Image":
                digests.add(hashlib.sha256(stream.get_data()).hexdigest())
            elif stream.get("/Subtype") == "/Form":
                walk(stream.get("/Resources"), seen)

    for page in reader.pages:
        walk(page.get("/Resources"), set())
    return digests


# -- Word -----------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARTS_WITH_TEXT = ("document.main", "header", "footer", "footnotes", "endnotes", "comments")


def _docx_text_parts(data: bytes) -> Iterator[tuple[str, etree._Element]]:
    """(part name, XML root) of the body, every header and footer, notes and comments."""
    from docx import Document

    package = Document(io.BytesIO(data)).part.package
    for part in package.iter_parts():
        kind = part.content_type.rsplit("wordprocessingml.", 1)[-1].removesuffix("+xml")
        if kind in _PARTS_WITH_TEXT:
            root = getattr(part, "element", None)
            if root is None:
                root = etree.fromstring(part.blob)
            yield str(part.partname), root


def _paragraph_text(paragraph: etree._Element) -> str:
    """What Word shows of one paragraph: text, tabs and line breaks; never field codes."""
    parts = []
    for element in paragraph.iter(f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br", f"{{{_W}}}cr"):
        local = etree.QName(element).localname
        if local == "t":
            parts.append(element.text or "")
        elif local == "tab":
            # w:tab inside w:tabs/w:pPr is a tab stop definition, not a character.
            if etree.QName(element.getparent()).localname != "tabs":
                parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def docx_paragraphs(data: bytes) -> list[str]:
    """Every paragraph's text: the body (tables and their nested tables included), then
    headers, footers, notes and comments, each part in document order."""
    paragraphs = []
    for _name, root in _docx_text_parts(data):
        for paragraph in root.iter(f"{{{_W}}}p"):
            paragraphs.append(_paragraph_text(paragraph))
    return paragraphs


def docx_text(data: bytes) -> str:
    return "\n".join(docx_paragraphs(data))


def docx_field_instructions(data: bytes) -> list[str]:
    """The instruction of every field (``TOC \\o "1-2"``, ``PAGE``...), whitespace squashed."""
    instructions = []
    for _name, root in _docx_text_parts(data):
        for simple in root.iter(f"{{{_W}}}fldSimple"):
            instructions.append(simple.get(f"{{{_W}}}instr", ""))
        # A complex field's instruction may be split over runs: join each field's pieces.
        current: list[str] | None = None
        for element in root.iter(f"{{{_W}}}fldChar", f"{{{_W}}}instrText"):
            if etree.QName(element).localname == "instrText":
                if current is not None:
                    current.append(element.text or "")
                continue
            kind = element.get(f"{{{_W}}}fldCharType")
            if kind == "begin":
                current = []
            elif kind == "separate" and current is not None:
                instructions.append("".join(current))
                current = None
    return [" ".join(instruction.split()) for instruction in instructions]


@dataclass(frozen=True)
class Relationship:
    part: str
    kind: str
    """Last segment of the relationship type: ``hyperlink``, ``image``, ``oleObject``..."""
    target: str
    external: bool


def docx_relationships(data: bytes) -> list[Relationship]:
    """Every relationship of every part: where links point and what is embedded."""
    from docx import Document

    package = Document(io.BytesIO(data)).part.package
    found = []
    for part in package.iter_parts():
        for rel in part.rels.values():
            found.append(
                Relationship(
                    part=str(part.partname),
                    kind=rel.reltype.rsplit("/", 1)[-1],
                    target=rel.target_ref,
                    external=rel.is_external,
                )
            )
    return found


# -- Excel ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    sheet: str
    coordinate: str
    value: object
    data_type: str
    """openpyxl's type as stored: ``s`` text, ``n`` number, ``f`` formula, ``e`` error..."""
    hyperlink: str | None


def xlsx_cells(data: bytes) -> list[Cell]:
    """Every cell with a value (or a link), of every sheet, as stored in the file."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), rich_text=False)
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                link = cell.hyperlink
                target = (link.target or link.location) if link is not None else None
                if cell.value is not None or target:
                    cells.append(
                        Cell(sheet.title, cell.coordinate, cell.value, cell.data_type, target)
                    )
    return cells


def xlsx_header_footer_texts(data: bytes) -> list[str]:
    """Text of the printed headers and footers (Excel's ``&`` codes left as written)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    texts = []
    for sheet in workbook.worksheets:
        for header_footer in (
            sheet.oddHeader,
            sheet.oddFooter,
            sheet.evenHeader,
            sheet.evenFooter,
            sheet.firstHeader,
            sheet.firstFooter,
        ):
            for part in (header_footer.left, header_footer.center, header_footer.right):
                if part.text:
                    texts.append(part.text)
    return texts


def xlsx_embedded_objects(data: bytes) -> list[str]:
    """Images, charts and other drawings that the package carries (by part name)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [
            name
            for name in package.namelist()
            if name.startswith(("xl/media/", "xl/embeddings/", "xl/activeX/", "xl/externalLinks/"))
        ]


def xlsx_text(data: bytes) -> str:
    """Every text cell, cells joined by ``CELL_SEPARATOR`` (numbers and dates left out)."""
    return CELL_SEPARATOR.join(
        str(cell.value) for cell in xlsx_cells(data) if isinstance(cell.value, str)
    )


# -- Markdown -------------------------------------------------------------------------


def markdown_tokens(data: bytes) -> list[object]:
    """Block and inline tokens of a CommonMark (+ tables) parse, flattened."""
    from markdown_it import MarkdownIt

    tokens = []
    for token in MarkdownIt("commonmark").enable("table").parse(data.decode("utf-8")):
        tokens.append(token)
        tokens.extend(token.children or [])
    return tokens


def markdown_inline_text(token: object) -> str:
    """The text of one inline token: its text and code, its line breaks as ``\\n``."""
    parts = []
    for child in getattr(token, "children", None) or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("hardbreak", "softbreak") or (
            child.type == "html_inline" and child.content == "<br>"
        ):
            parts.append("\n")
    return "".join(parts)


def markdown_text(data: bytes) -> str:
    """The text of every paragraph, heading, list item and table cell, one per line."""
    return "\n".join(
        markdown_inline_text(token)
        for token in markdown_tokens(data)
        if getattr(token, "type", "") == "inline"
    )


# -- HTML -----------------------------------------------------------------------------

_HTML_NOT_TEXT = ("style", "script", "template")


def html_tree(data: bytes) -> etree._Element:
    """The page as a browser parses it (html5lib, the HTML5 parsing algorithm), as lxml
    elements without namespaces, so ``.iter("a")`` and ``.iter("svg")`` find what they say."""
    import html5lib

    tree = html5lib.parse(data, treebuilder="lxml", namespaceHTMLElements=False)
    for element in tree.getroot().iter():
        # SVG and MathML elements keep their namespace in the tree: drop it.
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element.tag).localname
    return tree


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def html_text(data: bytes) -> str:
    """Every text node of the page (title, body, the SVG's title and description), in
    document order, joined by ``CELL_SEPARATOR``: a piece of episode text is one text
    node, since the exporter never puts markup inside it. Style sheets are not text."""
    tree = html_tree(data)
    pieces: list[str] = []
    for element in tree.getroot().iter():
        if not isinstance(element.tag, str):
            if element.tail:
                pieces.append(element.tail)
            continue
        if _tag(element) not in _HTML_NOT_TEXT and element.text:
            pieces.append(element.text)
        if element.tail:
            pieces.append(element.tail)
    return CELL_SEPARATOR.join(pieces)


@dataclass(frozen=True)
class HtmlHook:
    element: str
    attribute: str
    """The attribute that points somewhere or runs something; ``""`` for the element itself."""
    value: str


_HTML_LOADS = {"script", "iframe", "frame", "object", "embed", "img", "image", "link", "base"}
_HTML_LOADS |= {"form", "input", "button", "audio", "video", "source", "track", "picture"}
_HTML_POINTING = {"href", "src", "srcset", "action", "formaction", "data", "poster", "background"}


def html_hooks(data: bytes) -> list[HtmlHook]:
    """Everything in the page through which it could run code, load something or send the
    reader somewhere: elements that load or run, ``on...`` handlers, every attribute that
    holds an address, ``url(...)`` in styles and any ``<meta http-equiv>``."""
    found = []
    for element in html_tree(data).getroot().iter():
        if not isinstance(element.tag, str):
            continue
        tag = _tag(element)
        if tag in _HTML_LOADS:
            found.append(HtmlHook(tag, "", ""))
        if tag == "style" and "url(" in (element.text or "").lower():
            found.append(HtmlHook(tag, "", element.text or ""))
        if tag == "meta" and element.get("http-equiv") is not None:
            found.append(HtmlHook(tag, "http-equiv", element.get("http-equiv", "")))
        for name, value in element.attrib.items():
            local = etree.QName(name).localname.lower()
            styled_url = local == "style" and "url(" in value.lower()
            if local.startswith("on") or local in _HTML_POINTING or styled_url:
                found.append(HtmlHook(tag, local, value))
    return found


# -- any format -----------------------------------------------------------------------

READERS: dict[str, Callable[[bytes], str]] = {
    "pdf": pdf_text,
    "docx": docx_text,
    "xlsx": xlsx_text,
    "md": markdown_text,
    "html": html_text,
}


def reader_for(format_name: str, media_type: str) -> Callable[[bytes], str]:
    """The reader of a format; a plugin's ``text/*`` format is read as UTF-8 text."""
    if format_name in READERS:
        return READERS[format_name]
    if media_type.startswith("text/"):
        return lambda data: data.decode("utf-8")
    raise LookupError(
        f"no reader for format {format_name!r} ({media_type}): add one to tests/readback.py"
    )


def shows(format_name: str, document_text: str, text: str) -> bool:
    """Whether ``text`` is in the document exactly (see the module docstring for PDF)."""
    if format_name == "pdf":
        return pdf_shows(document_text, text)
    return text in document_text


_SPACE_RUN = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces, for messages that show what was found."""
    return _SPACE_RUN.sub(" ", text).strip()
