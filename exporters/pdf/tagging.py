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

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFDocument,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from exporters.pdf.structure_tree import (
    Element,
    LinkAnnotation,
    MarkedContent,
    write_tree,
)

HEADINGS = frozenset({"H1", "H2", "H3"})
_INLINE_PARENTS = frozenset({"TH", "Lbl", "Link"})
"""Elements whose paragraphs add their content straight to them rather than as a ``P``."""


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
        # A page may hold nothing but artifacts (a table's repeated header and the
        # rest of a row's background); it still has its entry, an empty array.
        self._page_elements += [[] for _ in range(len(pages) - len(self._page_elements))]
        return write_tree(self.root, self._page_elements, self._links, doc, pages)


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
        # Cell events first: they are most of the calls (two per cell of every table).
        if event == "startCell":
            if self.kind != "layout":
                self._column = args[1]
                self._start_cell(tree)
        elif event == "endCell":
            if self.kind != "layout":
                self._end_cell(tree)
        elif event in ("startBG", "startLines"):
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
