"""The Chinese, Japanese and Korean characters of a page, in a face the page carries.

A browser draws a character in the first font of the stack that has it; on a system
without a CJK font (a bare Linux, a fresh container) that is none, and Chinese
labels come out as boxes. So a page with East Asian characters embeds the face the
PDF embeds for them, WenQuanYi Micro Hei (``paperang_p2_fonts_cjk``, Apache 2.0 or
GPLv3 with the font exception; embedding is allowed, and the subset keeps the
copyright and licence records), cut down to exactly the characters the page holds:
WOFF2 in a ``data:`` URL (the page's Content-Security-Policy allows ``font-src
data:`` and nothing else), declared as the family ``EMBEDDED_FAMILY`` with a
``unicode-range`` naming those characters, in a ``<style>`` of its own before
``</head>``. The font stacks name that family second, after the theme's face
(``exporters.html.palette``): a page without East Asian characters declares no such
family and browsers pass over the name, and the face never draws Latin text. The
English seed needs two characters (``中文``), the seed with Chinese labels 61.

Subsetting is fontTools' (the well-kept library for it; reportlab's subsetter makes
fonts only a PDF can use). Reading the 5 MB face takes about a second, so the result
is kept in the render context's cache (and in this process), under a name made from
all it depends on: the font file's path, size and time, the versions of fontTools and
brotli, and the characters. An entry carries the sha256 of its font; one that does
not match is passed by, so the page never depends on what the cache holds.
"""

from __future__ import annotations

import bisect
import hashlib
import io
from base64 import b64encode
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import paperang_p2_fonts_cjk

from briefing.formats import Cache

CJK_FILE = Path(paperang_p2_fonts_cjk.__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
EMBEDDED_FAMILY = "Briefing CJK"
"""The family the page's ``@font-face`` declares. Not the face's own name: a reader who
has WenQuanYi Micro Hei installed would otherwise see it draw Latin text on pages
without the embedded face."""
_FORMAT = 1
"""Bumped when what a cache entry holds changes."""
_NO_GLYPHS = b"none\n"
"""The cache entry for characters of which the face has none: no face, and no second try."""
_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)
"""The name records kept: copyright, names, version and the licence with its URL."""

EAST_ASIAN = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
    (0x2FF0, 0x303F),  # ideographic description, CJK symbols and punctuation
    (0x3040, 0x33FF),  # kana, Bopomofo, Hangul compatibility Jamo, enclosed, compatibility
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # halfwidth and fullwidth forms
    (0x20000, 0x3134F),  # extensions B to G
)
"""The blocks the embedded face is offered for; of these, it carries the characters it has."""


_BLOCK_STARTS = [first for first, _last in EAST_ASIAN]
"""The blocks' first characters, ascending (the blocks are sorted and apart)."""


def _east_asian_chars(text: str) -> set[str]:
    """The characters of ``text`` in ``EAST_ASIAN``. The page's distinct characters are
    found in C (``set``) and only those, some hundred, are looked up: a regular
    expression of these blocks took 2.4 ms to compile, a tenth of a first page."""
    found: set[str] = set()
    for char in set(text):
        code = ord(char)
        index = bisect.bisect_right(_BLOCK_STARTS, code) - 1
        if index >= 0 and code <= EAST_ASIAN[index][1]:
            found.add(char)
    return found


@dataclass(frozen=True)
class EmbeddedFace:
    """A subset of the CJK face for one page."""

    woff2: bytes
    codes: tuple[int, ...]
    """The characters the subset has, ascending."""

    @property
    def style(self) -> str:
        """The ``<style>`` element that declares the face. ``font-display: block``: the
        face is in the page, so there is no wait, and never a moment of boxes."""
        return (
            f'<style>@font-face {{ font-family: "{EMBEDDED_FAMILY}"; '
            f'src: url({self.data_url}) format("woff2"); '
            f"unicode-range: {self.unicode_range}; font-display: block; }}</style>\n"
        )

    @property
    def data_url(self) -> str:
        return "data:font/woff2;base64," + b64encode(self.woff2).decode("ascii")

    @property
    def unicode_range(self) -> str:
        """``U+4E2D, U+6587-6588``: the subset's characters, consecutive ones as ranges."""
        spans: list[list[int]] = []
        for code in self.codes:
            if spans and spans[-1][1] == code - 1:
                spans[-1][1] = code
            else:
                spans.append([code, code])
        return ", ".join(
            f"U+{first:X}" if first == last else f"U+{first:X}-{last:X}" for first, last in spans
        )


def with_cjk_face(page: str, cache: Cache) -> str:
    """``page`` with the face for its East Asian characters declared before ``</head>``;
    as it is without such characters (or without a ``</head>``, which a theme's own
    template may leave out: then the reader's fonts draw them)."""
    head_end = page.find("</head>")
    face = embedded_face([page], cache) if head_end >= 0 else None
    if face is None:
        return page
    return page[:head_end] + face.style + page[head_end:]


def embedded_face(texts: Iterable[str], cache: Cache) -> EmbeddedFace | None:
    """The CJK face cut to the East Asian characters of ``texts``; None when they have none
    (or the face has none of them)."""
    found = set().union(*map(_east_asian_chars, texts))
    wanted = tuple(sorted(map(ord, found)))
    if not wanted:
        return None
    key = _entry_key(wanted)
    entry = cache.get(key) if key is not None else None
    if entry == _NO_GLYPHS:
        return None
    face = _from_entry(entry)
    if face is None:
        face = _subset(wanted)
        if key is not None:
            cache.put(key, _to_entry(face) if face is not None else _NO_GLYPHS)
    return face


@lru_cache(maxsize=64)
def _subset(wanted: tuple[int, ...]) -> EmbeddedFace | None:
    """fontTools' subset of the face: no hinting (browsers ignore most of it at these
    sizes), no layout features (CJK text needs none; vertical metrics are kept), the
    name records of ``_NAME_IDS``, the file's timestamp kept, so the bytes are the same
    every time."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.font_number = 0
    options.hinting = False
    options.layout_features = []
    options.name_IDs = list(_NAME_IDS)
    options.glyph_names = False
    options.drop_tables = [*options.drop_tables, "FFTM"]
    with subset.load_font(str(CJK_FILE), options) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        # No cmap at all when the face has none of the characters.
        codes = tuple(sorted(font.getBestCmap() or ()))
        if not codes:
            return None
        stream = io.BytesIO()
        subset.save_font(font, stream, options)
    return EmbeddedFace(stream.getvalue(), codes)


def _entry_key(wanted: tuple[int, ...]) -> str | None:
    import brotli
    import fontTools

    try:
        status = CJK_FILE.stat()
    except OSError:
        return None  # subsetting will say what is wrong with the file
    characters = hashlib.sha256(",".join(map(str, wanted)).encode("ascii")).hexdigest()
    source = (str(CJK_FILE), status.st_size, status.st_mtime_ns)
    versions = (fontTools.version, getattr(brotli, "__version__", "?"))
    named = repr((_FORMAT, *source, *versions, characters))
    return "html-cjk-" + hashlib.sha256(named.encode("utf-8")).hexdigest()


def _to_entry(face: EmbeddedFace) -> bytes:
    codes = (f"{code:X}" for code in face.codes)
    header = " ".join([hashlib.sha256(face.woff2).hexdigest(), *codes])
    return header.encode("ascii") + b"\n" + face.woff2


def _from_entry(data: bytes | None) -> EmbeddedFace | None:
    """A face read back from the cache, or None when the entry is missing or not whole."""
    if not data:
        return None
    header, _, woff2 = data.partition(b"\n")
    digest, *codes = header.decode("ascii", "replace").split(" ")
    if not codes or hashlib.sha256(woff2).hexdigest() != digest:
        return None
    try:
        return EmbeddedFace(woff2, tuple(int(code, 16) for code in codes))
    except ValueError:
        return None
