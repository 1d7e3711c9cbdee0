"""Tagged PDF: marked content on the page, a structure tree beside it.

Everything drawn is either marked content with an MCID, owned by one structure
element, or an artifact (running header and footer, page numbers, rules, table
backgrounds, decorative marks). Elements are made as their content is drawn, so
the tree's order is the drawing order, which for a flowing document is its logical
order: platypus draws the story from first to last, a table row by row and cell by
cell. Three things open elements:

- ``Tag``: what a paragraph belongs to, e.g. ``Tag("P", parent=Tag("BlockQuote"))``.
  A tag's element is made the first time content of it is drawn, under the element
  of its parent tag or, without one, under the element open at that moment; the
  parts of a paragraph split over two pages share their tag, so their content goes
  to one element.
- ``Open``/``Close``: flowables of no size in the story around a part (``Sect``).
- ``TableTagging``: a table's rows and cells (``Table/TR/TH/TD``, ``L/LI/Lbl/LBody``),
  through reportlab's table drawing callbacks; a header row repeated on a later page
  is an artifact.

The tree becomes PDF objects when the document is saved (``write``): the
``StructTreeRoot`` with its ``ParentTree`` (a number tree from each page's
``StructParents`` key to the elements of its MCIDs, and from each link annotation's
``StructParent`` key to its ``Link`` element), ``/MarkInfo``, and ``/StructParents``
and ``/Tabs /S`` on every page. Only standard structure types are used, so no
``RoleMap`` is needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

HEADINGS = frozenset({"H1", "H2", "H3"})
_INLINE_PARENTS = frozenset({"TH", "Lbl", "Link"})
"""Elements whose paragraphs add their content straight to them rather than as a ``P``."""


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


@dataclass(eq=False)
class Tag:
    """The structure element some content belongs to, made when it is first drawn."""

    role: str = "P"
    parent: Tag | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    element: Element | None = None


ARTIFACT = "Artifact"
_ARTIFACT_MARK = Element(ARTIFACT)
"""On the stack: what is drawn until it is closed is an artifact."""


class StructureTree:
    """The document's structure as it is drawn; one per rendering."""

    def __init__(self, text_lang: str | None = None) -> None:
        self.root = Element("Document")
        self._stack: list[Element] = [self.root]
        self._artifacts_open = 0
        """How many artifact marks are on the stack (``in_artifact`` is asked at every draw)."""
        self._page_elements: list[list[Element]] = []
        self._links: list[tuple[Element, LinkAnnotation]] = []
        self._link: Element | None = None
        self.link_text = ""
        """The text of the link being drawn: its annotation's ``Contents``."""
        self.text_lang = text_lang
        """The episode's language where it differs from the document's (the labels')."""

    @property
    def in_artifact(self) -> bool:
        return self._artifacts_open > 0

    @property
    def top(self) -> Element:
        return self._stack[-1]

    def open(self, role: str, **attributes: Any) -> Element:
        """A new element under the open one; inside an artifact, more of the artifact."""
        if self.in_artifact:
            self.open_artifact()
            return _ARTIFACT_MARK
        element = self.top.add(role, **attributes)
        self._stack.append(element)
        return element

    def enter(self, element: Element) -> None:
        """Go on adding to an element made earlier (the next part of a table)."""
        self._stack.append(element)

    def open_artifact(self) -> None:
        self._stack.append(_ARTIFACT_MARK)
        self._artifacts_open += 1

    def close(self) -> None:
        if self._stack.pop() is _ARTIFACT_MARK:
            self._artifacts_open -= 1

    def resolve(self, tag: Tag) -> Element:
        if tag.element is None:
            parent = self.resolve(tag.parent) if tag.parent is not None else self.top
            if tag.role == "P" and tag.parent is None and parent.role in _INLINE_PARENTS:
                tag.element = parent
            else:
                attributes = dict(tag.attributes)
                if self.text_lang and tag.role in {"P", "H1"}:
                    attributes.setdefault("Lang", self.text_lang)
                tag.element = parent.add(tag.role, **attributes)
        return tag.element

    def content(self, canvas: Canvas, tag: Tag, link_text: str | None = None) -> _Marked:
        """Marked content of ``tag``'s element (of a ``Link`` in it, given the link's
        text); an artifact inside an artifact or when the tag says so. A context manager
        (a class, not ``contextlib``'s generator: it is entered for every paragraph)."""
        if tag.role == ARTIFACT or self._artifacts_open:
            begin_artifact(canvas)
            return _Marked(self, canvas, False)
        element = tag.element or self.resolve(tag)
        if link_text is not None:
            element = next(
                (kid for kid in element.kids if isinstance(kid, Element) and kid.role == "Link"),
                None,
            ) or element.add("Link")
        page = canvas._pageNumber - 1  # what ``getPageNumber`` returns, without the call
        pages = self._page_elements
        while len(pages) <= page:
            pages.append([])
        mcids = pages[page]
        mcid = len(mcids)
        element.kids.append(MarkedContent(page, mcid))
        canvas._code.append(f"/{element.role} <</MCID {mcid}>> BDC")
        mcids.append(element)
        self._link = element if link_text is not None else None
        self.link_text = link_text or ""
        return _Marked(self, canvas, True)

    @contextmanager
    def artifact(self, canvas: Canvas, kind: str | None = None) -> Iterator[None]:
        begin_artifact(canvas, kind)
        try:
            yield
        finally:
            _operator(canvas, "EMC")

    def begin_artifact(self, canvas: Canvas, kind: str | None = None) -> None:
        begin_artifact(canvas, kind)

    def end_marked(self, canvas: Canvas) -> None:
        end_marked(canvas)

    def link_annotation(self, page: int) -> LinkAnnotation | None:
        """A link annotation is being added: it belongs to the link drawn now, if any."""
        if self._link is None:
            return None
        annotation = LinkAnnotation(page)
        self._link.kids.append(annotation)
        self._links.append((self._link, annotation))
        return annotation

    def write(self, doc: PDFDocument, pages: list[Any]) -> PDFDictionary:
        """The PDF objects of the tree; returns the ``StructTreeRoot`` for the catalog."""
        page_refs = [doc.Reference(page) for page in pages]
        # A page may hold nothing but artifacts (a table's repeated header and the
        # rest of a row's background); it still has its entry, an empty array.
        self._page_elements += [[] for _ in range(len(pages) - len(self._page_elements))]
        for key, annotation in enumerate((link for _element, link in self._links), len(pages)):
            annotation.key = key
        refs: dict[int, PDFObjectReference] = {}
        objects: list[_StructElement] = []
        folded: dict[int, Element] = {}
        for element in _walk(self.root):
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
        for key, elements in enumerate(self._page_elements):
            numbers += [key, _Array([refs[id(folded.get(id(e), e))] for e in elements])]
        for element, annotation in self._links:
            numbers += [annotation.key, refs[id(folded.get(id(element), element))]]
        root["K"] = refs[id(self.root)]
        root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": _Array(numbers)}))
        root["ParentTreeNextKey"] = len(pages) + len(self._links)
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


class _Marked:
    """The end of marked content begun by ``StructureTree.content``: its ``EMC``."""

    __slots__ = ("canvas", "ends_link", "tree")

    def __init__(self, tree: StructureTree, canvas: Canvas, ends_link: bool) -> None:
        self.tree, self.canvas, self.ends_link = tree, canvas, ends_link

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exception: object) -> None:
        if self.ends_link:
            self.tree._link = None
        _operator(self.canvas, "EMC")


def _operator(canvas: Canvas, code: str) -> None:
    canvas._code.append(code)


def begin_artifact(canvas: Canvas, kind: str | None = None) -> None:
    _operator(canvas, f"/Artifact <</Type /{kind}>> BDC" if kind else "/Artifact BMC")


def end_marked(canvas: Canvas) -> None:
    _operator(canvas, "EMC")


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


def tree_of(canvas: Canvas) -> StructureTree | None:
    """The structure tree a canvas draws into (None on a canvas of someone else's)."""
    return getattr(canvas, "structure", None)


class Open(Flowable):
    """Opens a structure element for what the story draws until the next ``Close``."""

    def __init__(self, role: str, **attributes: Any) -> None:
        super().__init__()
        self.role = role
        self.attributes = attributes
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        tree = tree_of(self.canv)
        if tree is not None:
            tree.open(self.role, **self.attributes)


class Close(Flowable):
    def __init__(self) -> None:
        super().__init__()
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        tree = tree_of(self.canv)
        if tree is not None:
            tree.close()


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


@dataclass(eq=False)
class TableTagging:
    """A table's structure, given to reportlab as its drawing callback (``_renderCB``).

    ``kind``: ``table`` (``Table``, a ``TR`` per row, ``TH`` with a column scope in the
    first ``header_rows`` rows, ``TD`` below), ``list`` (``L``, an ``LI`` per row, the
    first cell its ``Lbl``, the others its ``LBody``), ``items`` (``L``, an ``LI`` with
    an ``LBody`` per cell) or ``layout`` (no element: the cells' content has its own).
    Backgrounds and rules are artifacts. The tables a long list is set as share one
    tagging, so they are one element, and a header row drawn again (on a later page,
    or at the top of the next table) is an artifact.
    """

    kind: str
    header_rows: int = 0
    element: Element | None = None
    header_drawn: bool = False
    _column: int = 0
    _columns: int = 0
    _row: int = 0

    def __call__(self, table: Any, event: str, *args: Any) -> None:
        canvas = table.canv
        tree = tree_of(canvas)
        if tree is None:
            return
        if event in ("startBG", "startLines"):
            begin_artifact(canvas)
        elif event in ("endBG", "endLines"):
            end_marked(canvas)
        elif self.kind == "layout":
            return
        elif event == "startTable":
            if self.element is None:
                self.element = tree.open("Table" if self.kind == "table" else "L")
            else:
                tree.enter(self.element)
        elif event == "endTable":
            tree.close()
        elif event == "startRow":
            self._row, self._columns = args[0], table._ncols
            self._start_row(tree)
        elif event == "endRow":
            if self.kind != "items":
                tree.close()
            if self._row == self.header_rows - 1:
                self.header_drawn = True
        elif event == "startCell":
            self._column = args[1]
            self._start_cell(tree)
        elif event == "endCell":
            self._end_cell(tree)

    def _start_row(self, tree: StructureTree) -> None:
        if self._row < self.header_rows and self.header_drawn:
            tree.open_artifact()
        elif self.kind == "table":
            tree.open("TR")
        elif self.kind == "list":
            tree.open("LI")

    def _start_cell(self, tree: StructureTree) -> None:
        if self.kind == "table":
            if self._row < self.header_rows:
                tree.open("TH", Scope="Column")
            else:
                tree.open("TD")
        elif self.kind == "list":
            if self._column == 0:
                tree.open("Lbl")
            elif self._column == 1:
                tree.open("LBody")
        else:
            tree.open("LI")
            tree.open("LBody")

    def _end_cell(self, tree: StructureTree) -> None:
        if self.kind == "table":
            tree.close()
        elif self.kind == "list":
            if self._column == 0 or self._column == self._columns - 1:
                tree.close()
        else:
            tree.close()
            tree.close()
