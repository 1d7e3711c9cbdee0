"""Debian's Chromium through Playwright, for the browser tests: how it is started, how a
page is opened, and what each browser test checks of a page (nothing is downloaded)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from briefing.model import Episode
from tests import readback
from tests.episodes import expected_texts

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext"),
]
EMBEDDED_FACE = "WenQuanYi Micro Hei"
"""The family name inside the CJK face a page carries, as Chromium reports it."""

# Every run of the characters the page carries a face for (``source``: a character class)
# gets a span of its own, so the fonts Chromium drew it in can be asked for that run alone.
_MARK_EAST_ASIAN_RUNS = r"""async (source) => {
  const runs = new RegExp(source, "gu");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  let count = 0;
  for (const node of nodes) {
    // An SVG's title and desc are read out, never drawn: no font to ask about.
    if (!runs.test(node.data) || node.parentElement.closest("title, desc")) continue;
    const inSvg = node.parentElement.closest("svg") !== null;
    runs.lastIndex = 0;
    const parts = document.createDocumentFragment();
    let last = 0;
    for (const found of node.data.matchAll(runs)) {
      parts.append(node.data.slice(last, found.index));
      // In the timeline's SVG a run is a tspan: an HTML span there would not be drawn.
      const span = inSvg
        ? document.createElementNS("http://www.w3.org/2000/svg", "tspan")
        : document.createElement("span");
      span.setAttribute("class", "east-asian-run");
      span.textContent = found[0];
      parts.append(span);
      last = found.index + found[0].length;
      count += 1;
    }
    parts.append(node.data.slice(last));
    node.replaceWith(parts);
  }
  // Chromium names no font for a span it has not laid out yet (a busy CI machine asked
  // about the first span before the next frame), and the fallback face while the carried
  // one loads: lay the page out, load the face for these characters, let a frame be drawn.
  void document.body.offsetHeight;
  const text = [...document.querySelectorAll(".east-asian-run")].map((s) => s.textContent);
  await document.fonts.load('1em "Briefing CJK"', text.join(""));
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return count;
}"""


@contextmanager
def opened(browser: Any, path: Path, width: int, scheme: str = "light") -> Iterator[Any]:
    """The page loaded at ``width``; every request it makes is recorded on ``requests``."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    try:
        tab = context.new_page()
        tab.requests = []
        tab.on("request", lambda request: tab.requests.append(request.url))
        tab.goto(path.as_uri())
        yield tab
    finally:
        context.close()


def layout_problems(tab: Any, path: Path, episode: Episode, width: int) -> list[str]:
    """What is wrong with the page as shown: sideways scrolling, an item not visible, a
    request beyond the page, a script."""
    problems = []
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"scrolls sideways at {width} px: {scroll_width} px wide")
    visible = tab.inner_text("body")
    problems += [
        f"{where} not visible: {text!r}"
        for where, text in expected_texts(episode)
        if text not in visible
    ]
    if tab.requests != [path.as_uri()]:
        problems.append(f"requests {tab.requests}")
    if tab.evaluate("document.scripts.length") != 0:
        problems.append("has a script")
    return problems


def axe_report(tab: Any) -> str:
    """axe-core's report of WCAG 2.1 A and AA violations; empty when there is none."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
    return "" if results.violations_count == 0 else results.generate_report()


def printed(tab: Any) -> bytes:
    """The page printed to PDF by Chromium, as a reader's "Save as PDF" would."""
    tab.emulate_media(media="print")
    return tab.pdf(prefer_css_page_size=True, print_background=True)


_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U000e0000-\U000e0fff]"
)
"""Unicode's default-ignorable characters (soft hyphen, zero-width and bidi controls, BOM,
variation selectors): drawn as nothing, and Chromium's text layer has them as nothing, a
space or a hyphen, as the line falls."""
_TEXT_LAYER_KEEPS = re.compile(
    "[\u0000-\u024f\u0370-\u04ff\u1e00-\u1fff\u2000-\u20cf\u2100-\u23ff\u2500-\u25ff"
    "\u3001-\u30ff\u4e00-\u9fff\uff00-\uffef]*"
)
"""Scripts whose every character comes back out of Chromium's PDF here: Latin, Greek,
Cyrillic, punctuation and symbols (DejaVu has them), and the CJK the page carries a face
for. Emoji and scripts this machine has no font for (Devanagari, ...) are printed as
boxes, and right-to-left text is laid out in visual order: the text layer of such a
print says what the machine's fonts could draw, not what the page holds."""


def print_text(pdf: bytes) -> str:
    """The text layer of Chromium's PDF as poppler's ``pdftotext -raw`` reads it (in the
    order it is drawn), pages joined by ``readback.PAGE_BREAK``.

    Not pypdf, the reader of our own PDFs: where a font changes inside a word (a CJK
    character in the carried face, then Latin in DejaVu: ``嚨yA8Ħ²``), Skia starts the
    second run's text object at the start of the word and reaches its first glyph with a
    ``Td``; pypdf, with nothing drawn yet in that text object, takes the move for a gap and
    reads ``嚨 yA8Ħ²``. poppler, which the Linux PDF viewers copy text with, reads the
    glyphs where they are drawn."""
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=120,
    )
    pages = result.stdout.decode("utf-8").split("\f")
    return readback.PAGE_BREAK.join(pages[:-1] if pages and not pages[-1] else pages)


def missing_in_print(pdf: bytes, episode: Episode, tab: Any) -> list[tuple[str, str]]:
    """The items not in the printed page: read from the PDF's text layer where that can
    carry them (``_TEXT_LAYER_KEEPS``, no default-ignorable character), otherwise from the
    text Chromium lays out for print (``tab`` with print media)."""
    text = print_text(pdf)
    laid_out = tab.inner_text("body")
    missing = []
    for where, item in expected_texts(episode):
        if _TEXT_LAYER_KEEPS.fullmatch(item) and not _IGNORABLE.search(item):
            shown = readback.shows("pdf", text, item)
        else:
            shown = item in laid_out
        if not shown:
            missing.append((where, item))
    return missing


_UNICODE_RANGE = re.compile(r'font-family: "Briefing CJK";[^}]*?unicode-range: ([^;]+);')


def carried_codes(html: bytes) -> frozenset[int]:
    """The characters of the CJK face the page carries, from its ``unicode-range``: the
    face's own characters among the page's (``test_fonts`` checks that it is exactly
    those). Others, such as the extension A ideographs the face lacks, are left to the
    reader's fonts, as the README says."""
    found = _UNICODE_RANGE.search(html.decode("utf-8"))
    codes: set[int] = set()
    for part in found[1].split(", ") if found else ():
        first, _, last = part.removeprefix("U+").partition("-")
        codes.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(codes)


def fonts_of_east_asian_runs(
    tab: Any, carried: frozenset[int]
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Each run of the page's text, the timeline's included, made of characters of the face
    it carries (``carried``), with the fonts Chromium drew it in (DevTools'
    ``CSS.getPlatformFontsForNode``)."""
    # A space (U+3000, the ideographic space) is drawn as nothing, in whichever font.
    drawn = sorted(code for code in carried if not chr(code).isspace())
    if not drawn:
        return []
    source = "[" + "".join(f"\\u{{{code:x}}}" for code in drawn) + "]+"
    count = tab.evaluate(_MARK_EAST_ASIAN_RUNS, source)
    session = tab.context.new_cdp_session(tab)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = session.send("DOM.querySelectorAll", {"nodeId": root, "selector": ".east-asian-run"})
    runs = []
    for node in nodes["nodeIds"]:
        text = session.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        runs.append((text, fonts))
    assert len(runs) == count
    return runs
