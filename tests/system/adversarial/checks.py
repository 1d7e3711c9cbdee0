"""What would make episode text *act* in a document, format by format.

Each checker returns the problems it finds (empty when the document is inert):
a link the exporter did not make, an image or embedded object it did not put
there, a field, a formula or an error cell. What the exporter puts there itself
is learnt from a baseline: the same format's rendering of a plain episode.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from briefing.model import Episode
from tests import readback


@dataclass(frozen=True)
class Baseline:
    """What a format's exporter puts into a document of its own accord."""

    pdf_images: frozenset[str] = frozenset()
    pdf_document_actions: frozenset[str] = frozenset()
    docx_relationship_kinds: frozenset[str] = frozenset()
    docx_fields: frozenset[str] = frozenset()
    xlsx_objects: frozenset[str] = frozenset()


def learn_baseline(format_name: str, plain_documents: list[bytes]) -> Baseline:
    if format_name == "pdf":
        return Baseline(
            pdf_images=frozenset().union(*map(readback.pdf_image_digests, plain_documents)),
            pdf_document_actions=frozenset(
                action for data in plain_documents for action in readback.pdf_document_actions(data)
            ),
        )
    if format_name == "docx":
        return Baseline(
            docx_relationship_kinds=frozenset(
                rel.kind
                for data in plain_documents
                for rel in readback.docx_relationships(data)
                if not rel.external
            ),
            docx_fields=frozenset(
                field
                for data in plain_documents
                for field in readback.docx_field_instructions(data)
            ),
        )
    if format_name == "xlsx":
        return Baseline(
            xlsx_objects=frozenset(
                name for data in plain_documents for name in readback.xlsx_embedded_objects(data)
            )
        )
    return Baseline()


def _is_watch_link(target: str, episode: Episode) -> bool:
    """A link to the episode's recording (perhaps at a moment: ``?t=90``)."""
    if not episode.watch_url:
        return False
    ours, theirs = urlsplit(unquote(target)), urlsplit(unquote(episode.watch_url))
    return (ours.scheme, ours.netloc, ours.path) == (theirs.scheme, theirs.netloc, theirs.path)


def pdf_problems(data: bytes, episode: Episode, baseline: Baseline) -> list[str]:
    problems = []
    for annotation in readback.pdf_annotations(data):
        if annotation.subtype != "Link":
            problems.append(f"a {annotation.subtype} annotation")
        elif annotation.action == "URI":
            if not _is_watch_link(annotation.target, episode):
                problems.append(f"a link to {annotation.target[:80]!r}")
        elif annotation.action not in ("", "GoTo"):
            problems.append(f"a link that runs a {annotation.action} action")
    for action in readback.pdf_document_actions(data):
        if action not in baseline.pdf_document_actions:
            problems.append(f"a document action {action}")
    for digest in readback.pdf_image_digests(data) - baseline.pdf_images:
        problems.append(f"an image the exporter does not draw (sha256 {digest[:12]})")
    return problems


def docx_problems(data: bytes, episode: Episode, baseline: Baseline) -> list[str]:
    problems = []
    for rel in readback.docx_relationships(data):
        if rel.kind == "hyperlink" and rel.external:
            if not _is_watch_link(rel.target, episode):
                problems.append(f"a hyperlink to {rel.target[:80]!r} in {rel.part}")
        elif rel.external:
            problems.append(f"an external {rel.kind} relationship to {rel.target[:80]!r}")
        elif rel.kind not in baseline.docx_relationship_kinds:
            problems.append(f"a {rel.kind} part ({rel.target}) a plain report does not have")
    for field in readback.docx_field_instructions(data):
        if field not in baseline.docx_fields:
            problems.append(f"a field {field[:80]!r}")
    return problems


def xlsx_problems(data: bytes, episode: Episode, baseline: Baseline) -> list[str]:
    problems = []
    for cell in readback.xlsx_cells(data):
        where = f"{cell.sheet}!{cell.coordinate}"
        if cell.data_type == "f":
            problems.append(f"a formula in {where}: {str(cell.value)[:80]!r}")
        elif cell.data_type == "e":
            problems.append(f"an error value in {where}: {cell.value!r}")
        elif isinstance(cell.value, str) and cell.data_type != "s":
            problems.append(f"text stored as {cell.data_type!r} in {where}")
        if (
            cell.hyperlink
            and "://" in cell.hyperlink
            and not _is_watch_link(cell.hyperlink, episode)
        ):
            problems.append(f"a link to {cell.hyperlink[:80]!r} in {where}")
    for name in readback.xlsx_embedded_objects(data):
        if name not in baseline.xlsx_objects:
            problems.append(f"an embedded object {name}")
    return problems


def markdown_problems(data: bytes, episode: Episode, baseline: Baseline) -> list[str]:
    problems = []
    for token in readback.markdown_tokens(data):
        kind = getattr(token, "type", "")
        content = getattr(token, "content", "")
        if kind == "html_block" or (kind == "html_inline" and content != "<br>"):
            problems.append(f"raw HTML {content[:80]!r}")
        elif kind == "image":
            problems.append(f"an image {token.attrGet('src')!r}")  # type: ignore[attr-defined]
        elif kind == "link_open":
            href = str(token.attrGet("href"))  # type: ignore[attr-defined]
            if not _is_watch_link(href, episode):
                problems.append(f"a link to {href[:80]!r}")
    return problems


_EMBEDDED_FONT = re.compile(r"url\(data:font/woff2;base64,[A-Za-z0-9+/=]*\)")


def _only_embedded_fonts(style: str) -> bool:
    return "url(" not in _EMBEDDED_FONT.sub("", style).lower()


def html_problems(data: bytes, episode: Episode, baseline: Baseline) -> list[str]:
    """A page acts through scripts, handlers, loaded resources and links; the only ones
    allowed are the exporter's: its CSP meta, links inside the page and the watch link."""
    problems = []
    for hook in readback.html_hooks(data):
        if hook.element == "meta" and hook.value.lower() == "content-security-policy":
            continue
        if hook.element == "style" and _only_embedded_fonts(hook.value):
            continue  # the CJK face the page carries: a font in the page, never a request
        ours = hook.value.startswith("#") or _is_watch_link(hook.value, episode)
        if hook.attribute == "href" and hook.element == "a" and ours:
            continue
        problems.append(f"<{hook.element}> {hook.attribute}={hook.value[:80]!r}".rstrip("= '"))
    return problems


CHECKERS: dict[str, Callable[[bytes, Episode, Baseline], list[str]]] = {
    "pdf": pdf_problems,
    "docx": docx_problems,
    "xlsx": xlsx_problems,
    "md": markdown_problems,
    "html": html_problems,
}


def acting_problems(
    format_name: str, data: bytes, episode: Episode, baseline: Baseline
) -> list[str]:
    """Everything in the document through which text could act; [] for an inert document."""
    checker = CHECKERS.get(format_name)
    return checker(data, episode, baseline) if checker else []
