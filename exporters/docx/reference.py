"""A team's own Word document as the template of the report (pandoc's ``--reference-doc``).

The reference gives the look: its styles (Title, Heading 1/2, Normal, table styles...),
its page setup, and its header and footer where it has them. Its body is dropped. Every
style the report needs that the reference lacks is copied from the built-in restyled
template, with the list definition it numbers with, so nothing of the report falls back
to Word's defaults. Style ids are kept as the reference has them: a copied style whose id
the reference already uses for another style gets a new one, and references to it follow.
"""

from __future__ import annotations

import copy
import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement


def reference_document(reference: bytes, builtin: bytes) -> DocumentObject:
    """The reference with an empty body and every style of ``builtin`` it lacks."""
    document = Document(io.BytesIO(reference))
    _clear_body(document)
    _add_missing_styles(document, Document(io.BytesIO(builtin)))
    return document


def has_content(part_element: BaseOxmlElement) -> bool:
    """Whether a header or footer shows anything: text, a field or a drawing."""
    for node in part_element.iter(qn("w:t"), qn("w:fldSimple"), qn("w:instrText"), qn("w:drawing")):
        if node.tag != qn("w:t") or (node.text or "").strip():
            return True
    return False


def _clear_body(document: DocumentObject) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _style_name(style: BaseOxmlElement) -> str | None:
    """The style's name as Word compares it: built-in names case-insensitively
    (python-docx writes ``heading 1``, LibreOffice ``Heading 1``)."""
    name = style.find(qn("w:name"))
    value = None if name is None else name.get(qn("w:val"))
    return None if value is None else value.casefold()


def _add_missing_styles(document: DocumentObject, builtin: DocumentObject) -> None:
    target = document.styles.element
    present = {_style_name(style) for style in target.findall(qn("w:style"))}
    ids = {style.get(qn("w:styleId")) for style in target.findall(qn("w:style"))}
    id_of_name = {
        _style_name(style): style.get(qn("w:styleId")) for style in target.findall(qn("w:style"))
    }
    copied: list[BaseOxmlElement] = []
    renamed: dict[str, str] = {}
    for style in builtin.styles.element.findall(qn("w:style")):
        name = _style_name(style)
        if name is None or name in present:
            old_id = style.get(qn("w:styleId"))
            if name in id_of_name and old_id is not None:
                # The reference has this style under its own id: links point there.
                renamed[old_id] = str(id_of_name[name])
            continue
        clone = copy.deepcopy(style)
        style_id = str(clone.get(qn("w:styleId")))
        if style_id in ids:
            new_id = _free_id(style_id, ids)
            renamed[style_id] = new_id
            clone.set(qn("w:styleId"), new_id)
            style_id = new_id
        ids.add(style_id)
        _carry_numbering(clone, builtin, document)
        copied.append(clone)
    for clone in copied:
        for link in ("w:basedOn", "w:next", "w:link"):
            node = clone.find(qn(link))
            if node is not None and node.get(qn("w:val")) in renamed:
                node.set(qn("w:val"), renamed[node.get(qn("w:val"))])
        target.append(clone)


def _free_id(style_id: str, taken: set[str]) -> str:
    number = 2
    while f"{style_id}Briefing{number}" in taken:
        number += 1
    return f"{style_id}Briefing{number}"


def _carry_numbering(
    style: BaseOxmlElement, source: DocumentObject, target: DocumentObject
) -> None:
    """A copied list style numbers with a definition the reference does not have: copy it
    under fresh numbers and point the style at them."""
    number = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if number is None:
        return
    source_numbering = source.part.numbering_part.element
    instance = next(
        (
            num
            for num in source_numbering.findall(qn("w:num"))
            if num.get(qn("w:numId")) == number.get(qn("w:val"))
        ),
        None,
    )
    if instance is None:
        return
    abstract_id = instance.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        node
        for node in source_numbering.findall(qn("w:abstractNum"))
        if node.get(qn("w:abstractNumId")) == abstract_id
    )
    numbering = target.part.numbering_part.element
    new_abstract_id = 1 + max(
        (int(node.get(qn("w:abstractNumId"))) for node in numbering.findall(qn("w:abstractNum"))),
        default=-1,
    )
    new_num_id = 1 + max(
        (int(node.get(qn("w:numId"))) for node in numbering.findall(qn("w:num"))), default=0
    )
    abstract_copy = copy.deepcopy(abstract)
    abstract_copy.set(qn("w:abstractNumId"), str(new_abstract_id))
    instance_copy = copy.deepcopy(instance)
    instance_copy.set(qn("w:numId"), str(new_num_id))
    instance_copy.find(qn("w:abstractNumId")).set(qn("w:val"), str(new_abstract_id))
    # Every abstractNum comes before every num in the schema's order.
    last_abstract = numbering.findall(qn("w:abstractNum"))
    if last_abstract:
        last_abstract[-1].addnext(abstract_copy)
    else:
        numbering.insert(0, abstract_copy)
    numbering.append(instance_copy)
    number.set(qn("w:val"), str(new_num_id))
