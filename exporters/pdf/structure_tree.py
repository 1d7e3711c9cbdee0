"""The structure tree's elements and the PDF objects they become when the document is
saved (``exporters.pdf.tagging`` builds the tree as the story is drawn).

Each element is an indirect object whose bytes are written when the tree is, in one
pass over it (``write_tree``): the tree has one per paragraph, cell and link, and
building reportlab dictionaries and names for each, then formatting them the generic
way, was most of what tagging cost. A table cell or list body of one paragraph holds the
paragraph's content itself (``_fold``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import LinkAnnotation as ReportlabLink
from reportlab.pdfbase.pdfdoc import (
    NoEncryption,
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFString,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format

MarkedContent = int | tuple[int, int]
"""One marked content sequence of an element: its MCID when it is on the element's page
(``Element.page``, nearly always), else a tuple of its page and MCID. No object of its
own: a briefing has one per paragraph drawn, and a small number is one Python keeps."""


@dataclass
class LinkAnnotation:
    """A link annotation drawn on ``page``; ``key`` is its ``StructParent``, given at save."""

    page: int
    key: int = -1
    reference: Any = None
    """The annotation's indirect object, for the ``OBJR`` of its ``Link``."""


NO_ATTRIBUTES: Mapping[str, str] = MappingProxyType({})
"""The attributes of nearly every element: one shared, read-only, empty mapping."""


class Element(PDFObject):
    """A structure element as it is drawn: its role (structure type), attributes (``Lang``,
    ``Alt``, a header cell's ``Scope``) and kids, in order; and, once the tree is written,
    its own indirect object (``number``, ``data`` its bytes). Slots, no dataclass, and no
    object of its own for the PDF: a briefing makes one per paragraph, cell and link."""

    __slots__ = (
        "__InternalName__",
        "attributes",
        "data",
        "kids",
        "number",
        "page",
        "parent",
        "role",
    )

    def __init__(
        self,
        role: str,
        attributes: Mapping[str, str] = NO_ATTRIBUTES,
        parent: Element | None = None,
    ) -> None:
        self.role = role
        self.attributes = attributes
        self.kids: list[Element | MarkedContent | LinkAnnotation] = []
        self.parent = parent
        self.page = -1
        """The page of its first content (its ``/Pg``), -1 before any."""
        self.number = 0
        self.data = b""

    def add(self, role: str, attributes: Mapping[str, str] = NO_ATTRIBUTES) -> Element:
        child = Element(role, attributes, self)
        self.kids.append(child)
        return child

    def format(self, document: PDFDocument) -> bytes:
        return self.data


def write_tree(
    tree_root: Element,
    page_elements: list[list[Element]],
    links: list[tuple[Element, LinkAnnotation]],
    doc: PDFDocument,
    pages: list[Any],
) -> PDFDictionary:
    """The PDF objects of a structure tree (its ``Document`` element ``tree_root``, the
    elements of each page's MCIDs, one list per page, and its links); returns the
    ``StructTreeRoot`` for the catalog.

    The elements are numbered in the tree's order, each before its kids, then the root
    and the parent tree. Every number an element's dictionary holds is known by the time
    its kids are written (the pages and link annotations were registered as they were
    drawn), so each is written to its bytes in one pass over the tree rather than
    formatted object by object at save."""
    numbers = doc.idToObjectNumberAndVersion
    page_numbers = [numbers[doc.Reference(page).name][0] for page in pages]
    for key, (_element, annotation) in enumerate(links, len(pages)):
        annotation.key = key
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    # reportlab's multi-line layout, or strings encrypted with each object's own key,
    # are left to reportlab's own formatting at save.
    generic = bool(rl_config.pdfMultiLine) or not isinstance(doc.encrypt, NoEncryption)
    if generic:
        _register_generic(tree_root, root, page_numbers, doc)
    else:
        # Numbered here in the tree's order, then the root, and registered with the
        # document all at once (``_register``).
        order: list[PDFObject] = []
        first = last = doc.objectcounter + 1
        starts = _ROLE_STARTS

        def write(element: Element, parent_number: int) -> int:
            """Numbers ``element`` and, before its bytes are written, its kids; a parent
            number below 0 is the root's, numbered after the whole tree."""
            nonlocal last
            number = element.number = last
            last += 1
            order.append(element)
            if element.role in _HOLDERS_OF_CONTENT:
                paragraph = _fold(element)
                if paragraph is not None:
                    # The parent tree gives the paragraph's content to the cell holding it.
                    paragraph.number = number
            role, kids = element.role, element.kids
            start = starts.get(role) or _role_start(role)
            if len(kids) == 1 and type(kids[0]) is int and not element.attributes:
                # Most elements: a paragraph or cell of one marked content sequence.
                page = page_numbers[element.page]
                body = b"\n/Pg %d 0 R\n/K %d\n>>" % (page, kids[0])
            else:
                body = _element_body(element, number, page_numbers, doc, write)
            element.data = start + b"%d 0 R" % (last if parent_number < 0 else parent_number) + body
            return number

        write(tree_root, -1)
        order.append(root)
        _register(doc, order, first)
    root["K"] = PDFObjectReference(doc.numberToId[tree_root.number])
    root["ParentTree"] = doc.Reference(_parent_tree(page_elements, links, generic, doc))
    root["ParentTreeNextKey"] = len(pages) + len(links)
    return root


def _parent_tree(
    page_elements: list[list[Element]],
    links: list[tuple[Element, LinkAnnotation]],
    generic: bool,
    doc: PDFDocument,
) -> PDFObject:
    """The number tree from each page's ``StructParents`` to the elements of its MCIDs and
    from each link annotation's ``StructParent`` to its ``Link``: a dictionary of one
    ``Nums`` array, written to the bytes reportlab's ``PDFDictionary`` and ``PDFArray`` of
    it would give (items ten to a line, ``[ `` and `` ]``)."""
    if generic:
        names = doc.numberToId
        nums: list[object] = []
        for key, elements in enumerate(page_elements):
            refs = [PDFObjectReference(names[element.number]) for element in elements]
            nums += [key, PDFArray(refs)]
        for element, annotation in links:
            nums += [annotation.key, PDFObjectReference(names[element.number])]
        return PDFDictionary({"Nums": PDFArray(nums)})
    parts: list[bytes] = []
    for key, elements in enumerate(page_elements):
        parts.append(b"%d" % key)
        parts.append(_spaced_array([b"%d 0 R" % element.number for element in elements]))
    for element, annotation in links:
        parts.append(b"%d" % annotation.key)
        parts.append(b"%d 0 R" % element.number)
    return _Formatted(b"<<\n/Nums " + _spaced_array(parts) + b"\n>>")


def _spaced_array(parts: list[bytes]) -> bytes:
    """Items as reportlab's ``PDFArray`` formats them: ``[ a b ]``, a line break before
    every tenth item after the first ten."""
    if len(parts) > 10:
        parts = parts.copy()
        for index in reversed(range(10, len(parts), 10)):
            parts.insert(index, b"\n ")
    return b"[ " + b" ".join(parts) + b" ]"


_HOLDERS_OF_CONTENT = frozenset({"TD", "LBody"})


def _register(doc: PDFDocument, objects: list[PDFObject], first: int) -> None:
    """Registers new objects with ``doc`` as numbers ``first`` on, in order: what
    ``doc.Reference`` does for each object it has not seen (the next number, a name ``R``
    and that number, version 0), without its checks and the reference it returns, which
    were a fifth of writing an element. ``first`` is the document's next number."""
    stop = first + len(objects)
    names = [f"R{number}" for number in range(first, stop)]
    if doc.objectcounter != first - 1 or not doc.idToObject.keys().isdisjoint(names):
        raise ValueError("the structure tree's object numbers are taken")
    for obj, name in zip(objects, names, strict=True):
        obj.__InternalName__ = name  # type: ignore[attr-defined]
    versions = [(number, 0) for number in range(first, stop)]
    doc.idToObjectNumberAndVersion.update(zip(names, versions, strict=True))
    doc.numberToId.update(zip(range(first, stop), names, strict=True))
    doc.idToObject.update(zip(names, objects, strict=True))
    doc.objectcounter = stop - 1


def _fold(element: Element) -> Element | None:
    """A table cell or list body of one paragraph holds the paragraph's content itself
    (both may hold content): a ``P`` of its own in each was a sixth of the tree's objects.
    The paragraph's marked content and links go to ``element``; returns the paragraph
    (whose place in the parent tree is then ``element``'s), None when nothing is folded.
    A paragraph with attributes (its ``/Lang``) stays."""
    if element.role not in _HOLDERS_OF_CONTENT or len(element.kids) != 1:
        return None
    (paragraph,) = element.kids
    if type(paragraph) is not Element or paragraph.role != "P" or paragraph.attributes:
        return None
    element.kids, element.page = paragraph.kids, paragraph.page
    for kid in element.kids:
        if type(kid) is Element:
            kid.parent = element
    return paragraph


_ROLE_STARTS: dict[str, bytes] = {}
"""``<</S /Role /P `` per role: an element's dictionary starts with it."""


def _role_start(role: str) -> bytes:
    """``_ROLE_STARTS``' entry for a role not seen before."""
    start = _ROLE_STARTS[role] = b"<</S /%s /P " % role.encode("ascii")
    return start


def _element_body(
    element: Element,
    number: int,
    page_numbers: list[int],
    document: PDFDocument,
    write: Callable[[Element, int], int],
) -> bytes:
    """The rest of an element's dictionary (``number`` its object), as reportlab's
    ``PDFDictionary`` of it formats it (keys one to a line; every object is version 0,
    as reportlab numbers them); each kid element is registered and written by ``write``
    where it comes, which numbers the tree in its order."""
    # ``/Pg`` is the page of the first content; content there is a bare MCID.
    kids: list[bytes] = []
    for kid in element.kids:
        kind = type(kid)
        if kind is int:
            kids.append(b"%d" % kid)  # type: ignore[str-bytes-safe]
        elif kind is Element:
            kids.append(b"%d 0 R" % write(kid, number))  # type: ignore[arg-type]
        elif kind is tuple:
            page, mcid = kid  # type: ignore[misc]
            kids.append(b"<</Type /MCR /Pg %d 0 R /MCID %d>>" % (page_numbers[page], mcid))
        else:
            page = kid.page  # type: ignore[union-attr]
            target = document.idToObjectNumberAndVersion[kid.reference.name]  # type: ignore[union-attr]
            kids.append(b"<</Type /OBJR /Pg %d 0 R /Obj %d %d R>>" % (page_numbers[page], *target))
    # ``/Type /StructElem`` is optional and would be a tenth of the tree's bytes.
    parts = [b""]
    if element.page >= 0:
        parts.append(b"/Pg %d 0 R" % page_numbers[element.page])
    if len(kids) == 1:
        parts.append(b"/K " + kids[0])
    elif kids:
        parts.append(b"/K " + _array_bytes(kids))
    for name, value in element.attributes.items():
        if name == "Scope":
            parts.append(b"/A <</O /Table /Scope %s>>" % PDFName(value).encode("ascii"))
        else:
            parts.append(b"/%s %s" % (name.encode("ascii"), PDFString(value).format(document)))
    parts.append(b">>")
    return b"\n".join(parts)


def _register_generic(
    tree_root: Element, root: PDFDictionary, page_numbers: list[int], doc: PDFDocument
) -> None:
    """The elements as objects that reportlab formats its own way at save, numbered as
    ``write_tree`` numbers them, then the root."""
    structure_elements: list[_StructElement] = []
    stack = [tree_root]
    while stack:
        element = stack.pop()
        # Before its kids are read: a folded paragraph is not walked.
        paragraph = _fold(element)
        structure_element = _StructElement(element, page_numbers)
        reference = doc.Reference(structure_element)
        element.number = doc.idToObjectNumberAndVersion[reference.name][0]
        if paragraph is not None:
            paragraph.number = element.number
        structure_elements.append(structure_element)
        stack.extend(reversed([kid for kid in element.kids if type(kid) is Element]))
    root_ref = doc.Reference(root)
    for structure_element in structure_elements:
        structure_element.root = root_ref


class _Formatted(PDFObject):
    """An object written to its bytes before the document is saved."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: PDFDocument) -> bytes:
        return self.data


class _StructElement(PDFObject):
    """A structure element's indirect object in reportlab's own formatting, for its
    multi-line layout or an encrypted document."""

    def __init__(self, element: Element, page_numbers: list[int]) -> None:
        self.element = element
        self.page_numbers = page_numbers
        self.root: PDFObjectReference | None = None
        """The ``StructTreeRoot``: the parent of the ``Document`` element."""

    def format(self, document: PDFDocument) -> bytes:
        return self._dictionary(document).format(document)

    def _dictionary(self, document: PDFDocument) -> PDFDictionary:
        """The element as reportlab's own dictionary."""
        element = self.element
        names = document.numberToId
        page_refs = [PDFObjectReference(names[number]) for number in self.page_numbers]
        dictionary = PDFDictionary({"S": PDFName(element.role)})
        parent = element.parent
        dictionary["P"] = (
            PDFObjectReference(names[parent.number]) if parent is not None else self.root
        )
        if element.page >= 0:
            dictionary["Pg"] = page_refs[element.page]
        kids: list[object] = []
        for kid in element.kids:
            if type(kid) is Element:
                kids.append(PDFObjectReference(names[kid.number]))  # type: ignore[union-attr]
            elif type(kid) is int:
                kids.append(kid)
            elif type(kid) is tuple:
                page = page_refs[kid[0]]
                kids.append(PDFDictionary({"Type": PDFName("MCR"), "Pg": page, "MCID": kid[1]}))
            else:
                page, obj = page_refs[kid.page], kid.reference  # type: ignore[union-attr]
                kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Pg": page, "Obj": obj}))
        if kids:
            dictionary["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
        for name, value in element.attributes.items():
            if name == "Scope":
                dictionary["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(value)})
            else:
                dictionary[name] = PDFString(value)
        return dictionary


def _array_bytes(parts: list[bytes]) -> bytes:
    """Formatted items as an array, ten to a line (a table's or a section's kids would
    otherwise make lines longer than the 255 bytes PDF readers are promised)."""
    if len(parts) <= 10:
        return b"[" + b" ".join(parts) + b"]"
    lines = [b" ".join(parts[start : start + 10]) for start in range(0, len(parts), 10)]
    return b"[" + b"\n".join(lines) + b"]"


class AnnotationObject(PDFObject):
    """A reportlab annotation with the keys tagged PDF adds: ``StructParent`` (given when
    the document is saved) and ``Contents``, the link's text.

    A link to a place in the document (reportlab's ``LinkAnnotation``, as ``linkRect``
    makes it) is written to the bytes reportlab's dictionary of it would format to:
    building that dictionary, checking its keys and formatting it the generic way took
    40 µs a link, a millisecond of the bundled episode's 25 links; other annotations,
    and every one in reportlab's multi-line layout or an encrypted document, go
    through reportlab."""

    def __init__(self, annotation: Any, link: LinkAnnotation, contents: str) -> None:
        self.annotation = annotation
        self.link = link
        self.contents = contents

    def format(self, document: PDFDocument) -> bytes:
        annotation = self.annotation
        if _writable(annotation, document):
            return self._link_bytes(document)
        dictionary = annotation.Dict() if hasattr(annotation, "Dict") else annotation
        dictionary["StructParent"] = self.link.key
        dictionary["Contents"] = PDFString(self.contents)
        return dictionary.format(document)

    def _link_bytes(self, document: PDFDocument) -> bytes:
        # reportlab's PDFDictionary.format of the seven keys, in their sorted order, a
        # line break before the seventh (it breaks every six).
        annotation = self.annotation
        rect = b"[ " + " ".join(map(fp_str, annotation.Rect)).encode("ascii") + b" ]"
        entries = [
            b"/Border " + pdf_format(annotation.Border, document),
            b"/Contents " + PDFString(self.contents).format(document),
            b"/Dest " + pdf_format(annotation.Destination, document),
            b"/Rect " + rect,
            b"/StructParent %d" % self.link.key,
            b"/Subtype /Link",
        ]
        return b"<<\n" + b" ".join(entries) + b" \n  /Type /Annot\n>>"


def _writable(annotation: Any, document: PDFDocument) -> bool:
    """Whether ``AnnotationObject`` writes ``annotation`` itself (see there)."""
    if type(annotation) is not ReportlabLink or annotation.otherkw:
        return False
    if rl_config.pdfMultiLine or not isinstance(document.encrypt, NoEncryption):
        return False
    rect = annotation.Rect
    return isinstance(rect, (tuple, list)) and all(type(v) in (int, float) for v in rect)
