"""The structure tree's elements and the PDF objects they become when the document is
saved (``exporters.pdf.tagging`` builds the tree as the story is drawn).

Each element is an indirect object written straight to its bytes (``_StructElement``):
the tree has one per paragraph, cell and link, and building reportlab dictionaries and
names for each, then formatting them the generic way, was most of what tagging cost. A
table cell or list body of one paragraph holds the paragraph's content itself (``_fold``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFString,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format


class MarkedContent(NamedTuple):
    """One marked content sequence: its page and MCID. A tuple of two numbers, which the
    garbage collector stops tracking: a briefing has one per paragraph drawn."""

    page: int
    mcid: int


@dataclass
class LinkAnnotation:
    """A link annotation drawn on ``page``; ``key`` is its ``StructParent``, given at save."""

    page: int
    key: int = -1
    reference: Any = None
    """The annotation's indirect object, for the ``OBJR`` of its ``Link``."""


@dataclass(eq=False)
class Element:
    role: str
    attributes: dict[str, Any] = field(default_factory=dict)
    kids: list[Element | MarkedContent | LinkAnnotation] = field(default_factory=list)
    parent: Element | None = None

    def add(self, role: str, **attributes: Any) -> Element:
        child = Element(role, attributes, parent=self)
        self.kids.append(child)
        return child


def write_tree(
    tree_root: Element,
    page_elements: list[list[Element]],
    links: list[tuple[Element, LinkAnnotation]],
    doc: PDFDocument,
    pages: list[Any],
) -> PDFDictionary:
    """The PDF objects of a structure tree (its ``Document`` element ``tree_root``, the
    elements of each page's MCIDs, one list per page, and its links); returns the
    ``StructTreeRoot`` for the catalog."""
    page_refs = [doc.Reference(page) for page in pages]
    for key, annotation in enumerate((link for _element, link in links), len(pages)):
        annotation.key = key
    refs: dict[int, PDFObjectReference] = {}
    objects: list[_StructElement] = []
    folded: dict[int, Element] = {}
    for element in _walk(tree_root):
        # Before the walk reads its kids: a folded paragraph is not walked.
        _fold(element, folded)
        # ``/Type /StructElem`` is optional and would be a tenth of the tree's bytes.
        structure_element = _StructElement(element, refs, page_refs)
        refs[id(element)] = doc.Reference(structure_element)
        objects.append(structure_element)
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = doc.Reference(root)
    for structure_element in objects:
        structure_element.root = root_ref
    numbers: list[object] = []
    for key, elements in enumerate(page_elements):
        numbers += [key, _Array([refs[id(folded.get(id(e), e))] for e in elements])]
    for element, annotation in links:
        numbers += [annotation.key, refs[id(folded.get(id(element), element))]]
    root["K"] = refs[id(tree_root)]
    root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": _Array(numbers)}))
    root["ParentTreeNextKey"] = len(pages) + len(links)
    return root


_HOLDERS_OF_CONTENT = frozenset({"TD", "LBody"})


def _fold(element: Element, folded: dict[int, Element]) -> None:
    """A table cell or list body of one paragraph holds the paragraph's content itself
    (both may hold content): a ``P`` of its own in each was a sixth of the tree's objects.
    The paragraph's marked content and links go to ``element``; ``folded`` maps the
    paragraph to it, for the parent tree. A paragraph with attributes (its ``/Lang``)
    stays."""
    if element.role not in _HOLDERS_OF_CONTENT or len(element.kids) != 1:
        return
    (paragraph,) = element.kids
    if not isinstance(paragraph, Element) or paragraph.role != "P" or paragraph.attributes:
        return
    element.kids = paragraph.kids
    for kid in element.kids:
        if isinstance(kid, Element):
            kid.parent = element
    folded[id(paragraph)] = element


def _value(value: object, document: PDFDocument) -> bytes:
    """A value's bytes as reportlab's ``pdfdoc.format`` makes them, the common kinds first."""
    kind = type(value)
    if kind is PDFObjectReference:
        return b"%d %d R" % document.idToObjectNumberAndVersion[value.name]  # type: ignore[attr-defined]
    if kind is int:
        return b"%d" % value  # type: ignore[str-bytes-safe]
    if kind is str:
        return value.encode("extpdfdoc")  # type: ignore[attr-defined]
    return pdf_format(value, document)


class _Array(PDFArray):
    """A ``PDFArray`` of the structure tree, formatted to the same bytes, faster."""

    def format(self, document: PDFDocument, IND: bytes = b"\n ") -> bytes:
        if rl_config.pdfMultiLine:
            return super().format(document, IND)
        parts = [_value(item, document) for item in self.sequence]
        if len(parts) > 10:
            for index in reversed(range(10, len(parts), 10)):
                parts.insert(index, b"\n ")
        return b"[ " + b" ".join(parts) + b" ]"


def _walk(element: Element) -> Iterator[Element]:
    stack = [element]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed([kid for kid in current.kids if isinstance(kid, Element)]))


class _StructElement(PDFObject):
    """A structure element's dictionary, written straight to its bytes when the document
    is saved (the same bytes reportlab's ``PDFDictionary`` of it gives). The tree has an
    element per paragraph, cell and link: building a ``PDFDictionary``, a ``PDFName``
    and a dictionary per marked-content reference for each, then formatting them the
    generic way, was most of what tagging cost."""

    def __init__(
        self,
        element: Element,
        refs: dict[int, PDFObjectReference],
        page_refs: list[PDFObjectReference],
    ) -> None:
        self.element = element
        self.refs = refs
        self.page_refs = page_refs
        self.root: PDFObjectReference | None = None
        """The ``StructTreeRoot``: the parent of the ``Document`` element."""

    def format(self, document: PDFDocument) -> bytes:
        if rl_config.pdfMultiLine:
            return self._dictionary().format(document)
        numbers = document.idToObjectNumberAndVersion
        element = self.element
        pages = self.page_refs
        refs = self.refs
        parent = refs[id(element.parent)] if element.parent is not None else self.root
        assert parent is not None
        parts = [b"<</S /%s /P %d %d R" % (element.role.encode("ascii"), *numbers[parent.name])]
        # ``/Pg`` is the page of the first content; content there is a bare MCID.
        first_page: int | None = None
        kids: list[bytes] = []
        for kid in element.kids:
            kind = type(kid)
            if kind is MarkedContent:
                if first_page is None:
                    first_page = kid.page  # type: ignore[union-attr]
                if kid.page == first_page:  # type: ignore[union-attr]
                    kids.append(b"%d" % kid.mcid)  # type: ignore[union-attr]
                else:
                    page = numbers[pages[kid.page].name]  # type: ignore[union-attr]
                    kids.append(b"<</Type /MCR /Pg %d %d R /MCID %d>>" % (*page, kid.mcid))  # type: ignore[union-attr]
            elif kind is LinkAnnotation:
                if first_page is None:
                    first_page = kid.page  # type: ignore[union-attr]
                page = numbers[pages[kid.page].name]  # type: ignore[union-attr]
                target = _value(kid.reference, document)  # type: ignore[union-attr]
                kids.append(b"<</Type /OBJR /Pg %d %d R /Obj %s>>" % (*page, target))
            else:
                kids.append(b"%d %d R" % numbers[refs[id(kid)].name])
        if first_page is not None:
            parts.append(b"/Pg %d %d R" % numbers[pages[first_page].name])
        if len(kids) == 1:
            parts.append(b"/K " + kids[0])
        elif kids:
            parts.append(b"/K " + _array_bytes(kids))
        for name, value in element.attributes.items():
            if name == "Scope":
                parts.append(b"/A <</O /Table /Scope %s>>" % _value(PDFName(value), document))
            else:
                parts.append(
                    b"/%s %s" % (name.encode("ascii"), pdf_format(PDFString(value), document))
                )
        parts.append(b">>")
        return b"\n".join(parts)

    def _dictionary(self) -> PDFDictionary:
        """The element as reportlab's own dictionary (for its multi-line layout)."""
        element = self.element
        dictionary = PDFDictionary({"S": PDFName(element.role)})
        dictionary["P"] = self.refs[id(element.parent)] if element.parent is not None else self.root
        first_page = _first_page(element)
        if first_page is not None:
            dictionary["Pg"] = self.page_refs[first_page]
        kids: list[object] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(self.refs[id(kid)])
            elif isinstance(kid, MarkedContent) and kid.page == first_page:
                kids.append(kid.mcid)
            elif isinstance(kid, MarkedContent):
                page = self.page_refs[kid.page]
                kids.append(PDFDictionary({"Type": PDFName("MCR"), "Pg": page, "MCID": kid.mcid}))
            else:
                page, obj = self.page_refs[kid.page], kid.reference
                kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Pg": page, "Obj": obj}))
        if kids:
            dictionary["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
        for name, value in element.attributes.items():
            if name == "Scope":
                dictionary["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(value)})
            else:
                dictionary[name] = PDFString(value)
        return dictionary


def _first_page(element: Element) -> int | None:
    """The page of an element's first content (its ``/Pg``), None for one of elements only."""
    return next((kid.page for kid in element.kids if not isinstance(kid, Element)), None)


def _array_bytes(parts: list[bytes]) -> bytes:
    """Formatted items as an array, ten to a line (a table's or a section's kids would
    otherwise make lines longer than the 255 bytes PDF readers are promised)."""
    if len(parts) <= 10:
        return b"[" + b" ".join(parts) + b"]"
    lines = [b" ".join(parts[start : start + 10]) for start in range(0, len(parts), 10)]
    return b"[" + b"\n".join(lines) + b"]"


class AnnotationObject(PDFObject):
    """A reportlab annotation with the keys tagged PDF adds: ``StructParent`` (given when
    the document is saved) and ``Contents``, the link's text."""

    def __init__(self, annotation: Any, link: LinkAnnotation, contents: str) -> None:
        self.annotation = annotation
        self.link = link
        self.contents = contents

    def format(self, document: PDFDocument) -> bytes:
        annotation = self.annotation
        dictionary = annotation.Dict() if hasattr(annotation, "Dict") else annotation
        dictionary["StructParent"] = self.link.key
        dictionary["Contents"] = PDFString(self.contents)
        return dictionary.format(document)
