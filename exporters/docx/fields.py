"""The WordprocessingML python-docx has no API for: fields, bookmarks, links, table rows.

Each helper writes the few elements Word itself writes for the feature. Field
instructions and link targets are always built here from constants and our
own bookmark names; episode text only ever reaches a document through
``exporters.docx.text.append_run``, as the text of ``w:t`` elements. So no episode text
can become a field or a link.
"""

from __future__ import annotations

from urllib.parse import quote

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import _Row
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from exporters.docx.text import append_paragraph, append_run


def make_element(tag: str, **attributes: str) -> BaseOxmlElement:
    """``make_element("w:tab", val="right")`` -> ``<w:tab w:val="right"/>``."""
    node = OxmlElement(tag)
    prefix = tag.split(":")[0]
    for key, value in attributes.items():
        node.set(qn(f"{prefix}:{key}"), value)
    return node


def put_in_order(parent: BaseOxmlElement, child: BaseOxmlElement) -> BaseOxmlElement:
    """Add ``child`` to a properties element (``w:pPr``, ``w:rPr``) where the schema wants
    it, replacing one of the same tag; Word rejects properties out of order."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    order: tuple[str, ...] = getattr(parent, "_tag_seq", ())
    names = [qn(tag) for tag in order]
    later = names[names.index(child.tag) + 1 :] if child.tag in names else []
    successor = next((node for node in parent if node.tag in later), None)
    if successor is None:
        parent.append(child)
    else:
        successor.addprevious(child)
    return child


def _field_char(kind: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    run.append(make_element("w:fldChar", fldCharType=kind))
    return run


def _instruction(text: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {text} "
    run.append(instruction)
    return run


def begin_field(paragraph: Paragraph, instruction: str) -> None:
    """Open a complex field: its result follows until ``end_field``."""
    paragraph._p.append(_field_char("begin"))
    paragraph._p.append(_instruction(instruction))
    paragraph._p.append(_field_char("separate"))


def end_field(paragraph: Paragraph) -> None:
    paragraph._p.append(_field_char("end"))


def add_field(paragraph: Paragraph, instruction: str, cached_result: str) -> None:
    """A whole field, e.g. ``PAGE``, showing ``cached_result`` until a reader updates it."""
    begin_field(paragraph, instruction)
    append_run(paragraph._p, cached_result)
    end_field(paragraph)


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """A bookmark around the paragraph's whole content, so a link or TOC entry lands on it."""
    start = make_element("w:bookmarkStart", id=str(bookmark_id), name=name)
    properties = paragraph._p.pPr
    if properties is None:
        paragraph._p.insert(0, start)
    else:
        properties.addnext(start)
    paragraph._p.append(make_element("w:bookmarkEnd", id=str(bookmark_id)))


def add_internal_link(
    paragraph: BaseOxmlElement, bookmark: str, text: str, style_id: str | None = None
) -> None:
    """A link to a bookmark of this document, showing ``text``, at the end of a ``w:p``."""
    link = make_element("w:hyperlink", anchor=bookmark, history="1")
    paragraph.append(link)
    append_run(link, text, style_id)


def uri(url: str) -> str:
    """``url`` with every character a URI may not hold percent-encoded (``<``, spaces,
    non-ASCII), keeping what is already escaped; Word rejects a package whose link
    targets are not URIs."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def add_external_link(paragraph: Paragraph, url: str, text: str, style_id: str) -> None:
    """A link to ``url`` (one the exporter chose to link, such as the watch link)."""
    relationship = paragraph.part.relate_to(uri(url), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    append_run(link, text, style_id)


def repeat_as_header(row: _Row) -> None:
    """Mark a table row to repeat at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(make_element("w:tblHeader"))


def keep_row_on_one_page(row: _Row) -> None:
    row._tr.get_or_add_trPr().append(make_element("w:cantSplit"))


_ROW, _ROW_PROPERTIES, _CANT_SPLIT = qn("w:tr"), qn("w:trPr"), qn("w:cantSplit")
_CELL, _CELL_PROPERTIES, _CELL_WIDTH = qn("w:tc"), qn("w:tcPr"), qn("w:tcW")
_WIDTH, _WIDTH_TYPE = qn("w:w"), qn("w:type")


def append_row(
    table: BaseOxmlElement, widths_twips: list[int], style_id: str
) -> list[BaseOxmlElement]:
    """A row that never splits across pages, at the end of a ``w:tbl``: one cell per width,
    each holding an empty paragraph in ``style_id``. Returns those paragraphs.

    Written directly rather than through ``Table.add_row``, which scans every row of
    the table for each new one."""
    row = SubElement(table, _ROW)
    SubElement(SubElement(row, _ROW_PROPERTIES), _CANT_SPLIT)
    paragraphs = []
    for width in widths_twips:
        cell = SubElement(row, _CELL)
        cell_width = SubElement(SubElement(cell, _CELL_PROPERTIES), _CELL_WIDTH)
        cell_width.set(_WIDTH_TYPE, "dxa")
        cell_width.set(_WIDTH, str(width))
        paragraphs.append(append_paragraph(cell, style_id))
    return paragraphs
