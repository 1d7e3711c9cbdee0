"""Reading a tagged PDF back with pikepdf: the structure tree, and the text of every
marked-content sequence decoded from the page content streams through the fonts'
ToUnicode maps (the exporter's subsets are simple fonts with one-byte codes)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


@dataclass
class Node:
    role: str
    attributes: dict[str, object] = field(default_factory=dict)
    kids: list[Node | tuple[int, int] | str] = field(default_factory=list)
    """Elements, (page, MCID) of marked content, or ``"OBJR"`` for an annotation."""

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.walk()

    def marked(self) -> Iterator[tuple[int, int]]:
        """The (page, MCID) of all content under this element, in order."""
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.marked()
            elif isinstance(kid, tuple):
                yield kid


@dataclass
class PageContent:
    marked: dict[int, str] = field(default_factory=dict)
    """MCID -> the text drawn inside it."""
    mcid_order: list[int] = field(default_factory=list)
    artifact_text: str = ""
    unmarked_text: str = ""
    """Text drawn outside any marked content: must stay empty."""
    artifact_forms: int = 0
    """Form XObjects drawn inside artifacts (the page-number forms)."""


def _tounicode(font: pikepdf.Dictionary) -> dict[int, str]:
    cmap = font.ToUnicode.read_bytes().decode("ascii")
    entries = cmap.split("beginbfchar", 1)[1].split("endbfchar", 1)[0]
    pairs = re.findall(r"<([0-9A-F]{2})> <([0-9A-F]+)>", entries)
    return {int(code, 16): bytes.fromhex(target).decode("utf-16-be") for code, target in pairs}


def _decode(operands: list[object], mapping: dict[int, str]) -> str:
    pieces = []
    for operand in operands:
        if isinstance(operand, pikepdf.String):
            pieces.append("".join(mapping.get(byte, "") for byte in bytes(operand)))
        elif isinstance(operand, pikepdf.Array):
            pieces.append(_decode(list(operand), mapping))
    return "".join(pieces)


def page_content(page: pikepdf.Page) -> PageContent:
    fonts = page.Resources.get("/Font", {})
    maps = {name: _tounicode(fonts[name]) for name in fonts}
    result = PageContent()
    stack: list[int | str] = []
    mapping: dict[int, str] = {}
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in {"BDC", "BMC"}:
            tag = str(operands[0])
            if tag == "/Artifact" or "artifact" in stack:
                stack.append("artifact")
            elif name == "BDC" and "/MCID" in operands[1]:
                mcid = int(operands[1]["/MCID"])
                assert not any(isinstance(open_, int) for open_ in stack), "nested MCIDs"
                assert mcid not in result.marked, f"MCID {mcid} used twice"
                result.marked[mcid] = ""
                result.mcid_order.append(mcid)
                stack.append(mcid)
            else:
                stack.append("other")
        elif name == "EMC":
            stack.pop()
        elif name == "Tf":
            mapping = maps[str(operands[0])]
        elif name in TEXT_OPERATORS:
            text = _decode(list(operands), mapping)
            inside = next((open_ for open_ in reversed(stack) if open_ != "other"), None)
            if inside == "artifact":
                result.artifact_text += text
            elif isinstance(inside, int):
                result.marked[inside] += text
            else:
                result.unmarked_text += text
        elif name == "Do":
            if "artifact" in stack:
                result.artifact_forms += 1
            else:
                result.unmarked_text += f"[form {operands[0]}]"
    assert not stack, "unbalanced marked content"
    return result


@dataclass
class Tagged:
    pdf: pikepdf.Pdf
    root: Node
    pages: list[PageContent]
    annotations_in_tree: int

    def text_of(self, node: Node) -> str:
        return "".join(self.pages[page].marked[mcid] for page, mcid in node.marked())

    def roles(self) -> set[str]:
        return {node.role for node in self.root.walk()}


def read_tagged(data: bytes) -> Tagged:
    pdf = pikepdf.open(io.BytesIO(data))
    page_numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    annotations = 0

    def node_of(element: pikepdf.Dictionary, page: int | None) -> Node:
        nonlocal annotations
        if "/Pg" in element:
            page = page_numbers[element.Pg.objgen]
        attributes = {key: element[key] for key in ("/Alt", "/Lang", "/A") if key in element}
        node = Node(str(element.S).lstrip("/"), attributes)
        kids = element.get("/K")
        if kids is None:
            return node
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                node.kids.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                node.kids.append((page_numbers[kid.Pg.objgen], int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                annotations += 1
                node.kids.append("OBJR")
            else:
                node.kids.append(node_of(kid, page))
        return node

    tree_root = pdf.Root.StructTreeRoot
    (document,) = [tree_root.K] if not isinstance(tree_root.K, pikepdf.Array) else tree_root.K
    root = node_of(document, None)
    pages = [page_content(page) for page in pdf.pages]
    return Tagged(pdf, root, pages, annotations)


def no_space(text: str) -> str:
    """Text without any whitespace: lines are drawn without the space they break at."""
    return re.sub(r"\s+", "", text)
