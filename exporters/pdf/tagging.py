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

The tree becomes PDF objects when the document is saved (``write``, through
``exporters.pdf.structure_tree``, which also holds the elements): the
``StructTreeRoot`` with its ``ParentTree`` (a number tree from each page's
``StructParents`` key to the elements of its MCIDs, and from each link annotation's
``StructParent`` key to its ``Link`` element), ``/MarkInfo``, and ``/StructParents``
and ``/Tabs /S`` on every page. Only standard structure types are used, so no
``RoleMap`` is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFDocument,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from exporters.pdf.structure_tree import (
    NO_ATTRIBUTES,
    Element,
    LinkAnnotation,
    write_tree,
)

HEADINGS = frozenset({"H1", "H2", "H3"})
_INLINE_PARENTS = frozenset({"TH", "Lbl", "Link"})
"""Elements whose paragraphs add their content straight to them rather than as a ``P``."""


class Tag:
    """The structure element some content belongs to, made when it is first drawn.
    Slots, no dataclass: the story makes one per paragraph."""

    __slots__ = ("attributes", "element", "parent", "role")

    def __init__(
        self,
        role: str = "P",
        parent: Tag | None = None,
        attributes: Mapping[str, str] = NO_ATTRIBUTES,
    ) -> None:
        self.role = role
        self.parent = parent
        self.attributes = attributes
        self.element: Element | None = None


ARTIFACT = "Artifact"
_ARTIFACT_MARK = Element(ARTIFACT)
"""On the stack: what is drawn until it is closed is an artifact."""


class StructureTree:
    """The document's structure as it is drawn; one per rendering.

    Its methods are called for every paragraph and table cell drawn, so they do their
    work in place (no property, helper or context manager between them and the stack)."""

    def __init__(self, text_lang: str | None = None) -> None:
        self.root = Element("Document")
        self._stack: list[Element] = [self.root]
        self._artifacts_open = 0
        """How many artifact marks are on the stack (asked at every draw)."""
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

    def open(self, role: str, attributes: Mapping[str, str] = NO_ATTRIBUTES) -> Element:
        """A new element under the open one; inside an artifact, more of the artifact."""
        stack = self._stack
        if self._artifacts_open:
            stack.append(_ARTIFACT_MARK)
            self._artifacts_open += 1
            return _ARTIFACT_MARK
        parent = stack[-1]
        element = Element(role, attributes, parent)
        parent.kids.append(element)
        stack.append(element)
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
            parent = self.resolve(tag.parent) if tag.parent is not None else self._stack[-1]
            if tag.role == "P" and tag.parent is None and parent.role in _INLINE_PARENTS:
                tag.element = parent
            elif self.text_lang and tag.role in {"P", "H1"}:
                attributes = dict(tag.attributes)
                attributes.setdefault("Lang", self.text_lang)
                tag.element = parent.add(tag.role, attributes)
            else:
                tag.element = parent.add(tag.role, tag.attributes)
        return tag.element

    def begin(self, canvas: Canvas, tag: Tag, link_text: str | None = None) -> None:
        """Begin marked content of ``tag``'s element (of a ``Link`` in it, given the link's
        text); an artifact inside an artifact or when the tag says so. ``end`` ends it:
        marked content does not nest here (a paragraph or figure is drawn whole between
        the two), and a drawing that fails fails the whole render."""
        if self._artifacts_open or tag.role == ARTIFACT:
            canvas._code.append("/Artifact BMC")
            return
        element = tag.element or self.resolve(tag)
        if link_text is not None:
            element = next(
                (kid for kid in element.kids if type(kid) is Element and kid.role == "Link"),
                None,
            ) or element.add("Link")
            self._link, self.link_text = element, link_text
        page = canvas._pageNumber - 1  # what ``getPageNumber`` returns, without the call
        pages = self._page_elements
        while len(pages) <= page:
            pages.append([])
        mcids = pages[page]
        mcid = len(mcids)
        if element.page < 0:
            element.page = page
        element.kids.append(mcid if page == element.page else (page, mcid))
        canvas._code.append(f"/{element.role} <</MCID {mcid}>> BDC")
        mcids.append(element)

    def end(self, canvas: Canvas) -> None:
        """End the marked content ``begin`` began (and the link drawn in it)."""
        self._link = None
        canvas._code.append("EMC")

    def begin_artifact(self, canvas: Canvas, kind: str | None = None) -> None:
        begin_artifact(canvas, kind)

    def end_marked(self, canvas: Canvas) -> None:
        end_marked(canvas)

    def link_annotation(self, page: int) -> LinkAnnotation | None:
        """A link annotation is being added: it belongs to the link drawn now, if any."""
        if self._link is None:
            return None
        annotation = LinkAnnotation(page)
        if self._link.page < 0:
            self._link.page = page
        self._link.kids.append(annotation)
        self._links.append((self._link, annotation))
        return annotation

    def write(self, doc: PDFDocument, pages: list[Any]) -> PDFDictionary:
        """The PDF objects of the tree; returns the ``StructTreeRoot`` for the catalog."""
        # A page may hold nothing but artifacts (a table's repeated header and the
        # rest of a row's background); it still has its entry, an empty array.
        self._page_elements += [[] for _ in range(len(pages) - len(self._page_elements))]
        return write_tree(self.root, self._page_elements, self._links, doc, pages)


def begin_artifact(canvas: Canvas, kind: str | None = None) -> None:
    canvas._code.append(f"/Artifact <</Type /{kind}>> BDC" if kind else "/Artifact BMC")


def end_marked(canvas: Canvas) -> None:
    canvas._code.append("EMC")


def tree_of(canvas: Canvas) -> StructureTree | None:
    """The structure tree a canvas draws into (None on a canvas of someone else's)."""
    return getattr(canvas, "structure", None)


class Open(Flowable):
    """Opens a structure element for what the story draws until the next ``Close``."""

    def __init__(self, role: str, **attributes: str) -> None:
        super().__init__()
        self.role = role
        self.attributes: Mapping[str, str] = attributes or NO_ATTRIBUTES
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        tree = tree_of(self.canv)
        if tree is not None:
            tree.open(self.role, self.attributes)


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
        tree = getattr(canvas, "structure", None)  # ``tree_of``, without the call
        if tree is None:
            return
        # Cell events first: they are most of the calls (two per cell of every table),
        # and each opens or closes its elements in place.
        if event == "startCell":
            kind = self.kind
            if kind == "table":
                if self._row < self.header_rows:
                    tree.open("TH", _COLUMN_SCOPE)
                else:
                    tree.open("TD")
            elif kind == "list":
                self._column = column = args[1]
                if column == 0:
                    tree.open("Lbl")
                elif column == 1:
                    tree.open("LBody")
            elif kind == "items":
                tree.open("LI")
                tree.open("LBody")
        elif event == "endCell":
            kind = self.kind
            if kind == "table":
                tree.close()
            elif kind == "list":
                if self._column == 0 or self._column == self._columns - 1:
                    tree.close()
            elif kind == "items":
                tree.close()
                tree.close()
        elif event in ("startBG", "startLines"):
            canvas._code.append("/Artifact BMC")
        elif event in ("endBG", "endLines"):
            canvas._code.append("EMC")
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
            if self._row < self.header_rows and self.header_drawn:
                tree.open_artifact()
            elif self.kind == "table":
                tree.open("TR")
            elif self.kind == "list":
                tree.open("LI")
        elif event == "endRow":
            if self.kind != "items":
                tree.close()
            if self._row == self.header_rows - 1:
                self.header_drawn = True


_COLUMN_SCOPE: Mapping[str, str] = MappingProxyType({"Scope": "Column"})
"""A header cell's attributes, shared by all of them."""
