"""The alternatives we are compared with, from the ``bench`` extra.

Each peer is optional: when its package is missing the benchmark reports the
row as not available instead of failing, so the quick run works with only the
``test`` extra installed.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass

# Simple, print-like CSS close to the default theme: the point is the same
# content laid out by WeasyPrint, not a pixel match with our PDF.
_CSS = """
@page { size: A4; margin: 20mm; @bottom-center { content: counter(page); font-size: 8pt; } }
body { font-family: "Fira Sans", sans-serif; font-size: 10pt; line-height: 1.35; color: #1F2933; }
h1 { font-size: 20pt; color: #0B3C5D; margin: 0 0 6pt; }
h2 { font-size: 14pt; color: #0B3C5D; border-bottom: 1pt solid #CBD2D9; margin-top: 14pt; }
li { margin-bottom: 3pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th { background: #0B3C5D; color: #FFFFFF; text-align: left; padding: 3pt; }
td { border-bottom: 0.5pt solid #CBD2D9; padding: 3pt; vertical-align: top; }
tr:nth-child(even) td { background: #F3F6F9; }
blockquote { border-left: 2pt solid #D9822B; margin-left: 0; padding-left: 8pt; color: #616E7C; }
"""


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def markdown_to_html(markdown: str) -> str:
    """CommonMark plus tables (what the Markdown exporter writes) as a styled HTML page."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").enable("table").render(markdown)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<style>{_CSS}</style></head><body>{body}</body></html>"
    )


@dataclass(frozen=True)
class WeasyPrintPeer:
    """Renders prepared HTML to PDF bytes, as a running process would."""

    def renderer(self, html: str) -> Callable[[], bytes]:
        import weasyprint

        # WeasyPrint warns about CSS it ignores and fonts it substitutes; not our business here.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)

        def render() -> bytes:
            return weasyprint.HTML(string=html).write_pdf()

        return render


def weasyprint_available() -> str | None:
    """None when WeasyPrint can render, else why not (missing package or system library)."""
    if not installed("weasyprint") or not installed("markdown_it"):
        return "weasyprint or markdown-it-py not installed (pip install -e '.[bench]')"
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return f"weasyprint cannot load: {error}"
    return None


def pandoc_path() -> str | None:
    """The pandoc binary shipped by pypandoc-binary, or None when it is not installed."""
    if not installed("pypandoc"):
        return None
    import pypandoc

    try:
        return str(pypandoc.get_pandoc_path())
    except OSError:
        return None


def xlsxwriter_available() -> bool:
    return installed("xlsxwriter")
