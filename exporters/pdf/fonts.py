"""Fonts for the PDF: embedded TrueType faces, a fallback chain, and text split into runs.

Every face comes from a pip package the project depends on, never from the system:

- the theme's families (Fira Sans, IBM Plex Serif) through ``fontpkg``, as static
  faces, so bold and italic are real faces;
- Noto Sans, Noto Sans Symbols, Noto Emoji (monochrome outlines) and Noto Sans for
  the scripts Latin faces lack, from ``manimgx_fonts``;
- WenQuanYi Micro Hei for Chinese, Japanese and Korean, from ``paperang_p2_fonts_cjk``.

A character is drawn in the first face of the chain whose cmap has it: the
theme face, then Noto Sans, Symbols, Emoji, WenQuanYi Micro Hei, then the
script faces. A fallback face is loaded only when a document has a character
that the faces before it lack, and is kept for the life of the process.
WenQuanYi Micro Hei comes before the script faces because Chinese is far more
common in our episodes than any of them and finding a face means loading every
face before it (about 25 ms each; WenQuanYi alone takes about 100 ms); the
script faces share only two characters with it (``√``, ``฿``). Rendering stays
deterministic because the face and glyph a character gets never depend on
what was rendered before.

Characters that no face has are never drawn as the ``.notdef`` box and never
dropped from the text layer:

- Default-ignorable characters (zero-width joiners, variation selectors, bidi
  controls, tag characters: Unicode's ``Default_Ignorable_Code_Point``) stay in
  the run of the character before them and are drawn with a blank, zero-width
  glyph of that run's face.
- Any other character is drawn as Noto Sans's replacement glyph (U+FFFD), so a
  reader sees that something is there.

In both cases the PDF's ToUnicode map still gives the original character, so
copying or searching the text gives back exactly what the episode says.

Arabic, Indic and the other scripts that need it are shaped with HarfBuzz by
``exporters.pdf.shaping``, run by run in the face chosen here; right-to-left passages
are put in drawing order by ``exporters.pdf.bidi``. Emoji sequences (families, flags)
are still drawn as their parts. The text layer is exact either way.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

import fontpkg
import manimgx_fonts
import paperang_p2_fonts_cjk
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont

from exporters.pdf.accel import forget_widths
from exporters.pdf.face_cache import parsed_face
from exporters.pdf.subsets import SubsetObjects

DEFAULT_FAMILY = "Fira Sans"
CJK_FAMILY = "WenQuanYi Micro Hei"
_NOTO = Path(manimgx_fonts.__file__).resolve().parent
_CJK_FILE = Path(paperang_p2_fonts_cjk.__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
_REPLACEMENT = 0xFFFD

# Scripts the theme faces lack, in the order they are tried.
_SCRIPT_FILES = (
    "NotoSansArabic[wght].ttf",
    "NotoSansHebrew[wght].ttf",
    "NotoSansDevanagari[wght].ttf",
    "NotoSansBengali[wght].ttf",
    "NotoSansGurmukhi[wght].ttf",
    "NotoSansGujarati[wght].ttf",
    "NotoSansOriya[wght].ttf",
    "NotoSansTamil[wght].ttf",
    "NotoSansTelugu[wght].ttf",
    "NotoSansKannada[wght].ttf",
    "NotoSansMalayalam[wght].ttf",
    "NotoSansSinhala[wght].ttf",
    "NotoSansThai[wght].ttf",
    "NotoSansLao[wght].ttf",
    "NotoSansMyanmar[wght].ttf",
    "NotoSansKhmer[wght].ttf",
    "NotoSansArmenian[wght].ttf",
    "NotoSansGeorgian[wght].ttf",
    "NotoSansEthiopic[wght].ttf",
)

# Unicode 15 DerivedCoreProperties.txt, Default_Ignorable_Code_Point: characters
# that have no visible form of their own and are skipped when nothing shows them.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


_IGNORABLE_CODES = frozenset(
    code for low, high in _DEFAULT_IGNORABLE for code in range(low, high + 1)
)


def is_default_ignorable(code: int) -> bool:
    return code in _IGNORABLE_CODES


class EmbeddedFont(SubsetObjects, TTFont):
    """A reportlab TrueType font that remembers its own cmap and writes a correct ToUnicode map.

    ``covers`` is the font's real coverage; ``charToGlyph`` may grow beyond it
    with the blank and replacement glyphs described in the module docstring.
    """

    def __init__(self, name: str, path: Path) -> None:
        # What TTFont.__init__ does, but with the face from the cache
        # (exporters.pdf.face_cache) instead of parsed from the file every time.
        self.fontName = name
        self.face = parsed_face(path)
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, pattern) for pattern in rl_config.unShapedFontGlob)
        self.covers: frozenset[int] = frozenset(self.face.charToGlyph)
        self._codes: WeakKeyDictionary[object, _Codes] = WeakKeyDictionary()
        SubsetObjects.__init__(self)

    @functools.cached_property
    def covered_characters(self) -> frozenset[str]:
        """``covers`` as characters, for the theme's faces: made when first asked for, as
        the CJK face's 34,600 took 2 ms of every start where only its codes are looked up."""
        return frozenset(map(chr, self.covers))

    def splitString(
        self, text: str | bytes, doc: object, encoding: str = "utf-8"
    ) -> list[tuple[int, bytes]]:
        """reportlab's, which looks each character's code up in Python, for a text all of
        whose characters already have codes in the first subset: one translation then."""
        state = self.state.get(doc)
        if state is not None and type(text) is str and text:
            codes = self._codes.get(doc)
            if codes is not None and codes.state is state and codes.known.issuperset(text):
                return [(0, text.translate(codes.table).encode("latin-1"))]
        result = super().splitString(text, doc, encoding)
        self._learn(doc, text)
        return result

    def _learn(self, doc: object, text: str | bytes) -> None:
        """Note the first subset's codes of ``text``'s characters (codes never change once
        given) for ``splitString``; all of them the first time, as the state may hold some."""
        state = self.state.get(doc)
        if state is None or type(text) is not str:
            return
        codes = self._codes.get(doc)
        if codes is None or codes.state is not state:
            codes = self._codes[doc] = _Codes(state)
            characters = set(map(chr, state.assignments)) | {"\xa0"}
        else:
            characters = set(text) - codes.known
        assignments = state.assignments
        for character in characters:
            # reportlab draws a no-break space as a space.
            code = assignments.get(32 if character == "\xa0" else ord(character))
            if code is not None and code < 256:
                codes.known.add(character)
                codes.table[ord(character)] = chr(code)

    def show_blank(self, code: int) -> None:
        """Draw ``code`` with an empty glyph of no width (the space glyph has no outline)."""
        face = self.face
        if code not in face.charToGlyph:
            face.charToGlyph[code] = face.charToGlyph[0x20]
            face.charWidths[code] = 0
            forget_widths()

    def show_as_replacement(self, code: int) -> None:
        face = self.face
        if code not in face.charToGlyph:
            face.charToGlyph[code] = face.charToGlyph[_REPLACEMENT]
            face.charWidths[code] = face.charWidths[_REPLACEMENT]
            forget_widths()


class _Codes:
    """A document's first-subset codes of one face, as ``str.translate`` takes them."""

    def __init__(self, state: object) -> None:
        self.state = state
        self.known: set[str] = set()
        self.table: dict[int, str] = {}


@functools.cache
def _load(path: Path) -> EmbeddedFont:
    """Parse a font file once per process and register it with reportlab under its own name.

    A collection (``.ttc``) gives its first face, which for WenQuanYi Micro Hei is
    the proportional one."""
    font = EmbeddedFont(f"briefing-{path.stem}", path)
    pdfmetrics.registerFont(font)
    return font


def family_file(family: str, weight: int, italic: bool) -> Path:
    """The installed file for a theme family; an unknown family falls back to Fira Sans,
    and a missing weight or style to the nearest one the family has."""
    style = "italic" if italic else "normal"
    for name in (family, DEFAULT_FAMILY):
        try:
            return fontpkg.path(name, weight=weight, style=style, nearest=True)
        except fontpkg.StyleNotAvailable:
            return fontpkg.path(name, weight=weight, nearest=True)
        except fontpkg.FontpkgError:
            continue
    raise fontpkg.FamilyNotInstalled(f"{DEFAULT_FAMILY!r} is not installed")


def face(family: str, weight: int = 400, italic: bool = False) -> EmbeddedFont:
    """A theme face, e.g. ``face("Fira Sans", 700)``; cached per process."""
    if family == CJK_FAMILY:
        return _load(_CJK_FILE)
    return _load(family_file(family, weight, italic))


_STAND_IN_FILE = _NOTO / "NotoSans[wght].ttf"
_FALLBACK_FILES = (
    _STAND_IN_FILE,
    _NOTO / "NotoSansSymbols[wght].ttf",
    _NOTO / "NotoEmoji[wght].ttf",
    _CJK_FILE,
    *(_NOTO / name for name in _SCRIPT_FILES),
)


def _fallback_for(code: int) -> EmbeddedFont | None:
    """The first fallback face that has ``code``, loading faces in order until one does."""
    for path in _FALLBACK_FILES:
        font = _load(path)
        if code in font.covers:
            return font
    return None


@functools.cache
def _fallback_cached(code: int) -> EmbeddedFont | None:
    return _fallback_for(code)


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn in one font."""

    font: EmbeddedFont
    text: str

    @property
    def font_name(self) -> str:
        return self.font.fontName


def font_for(code: int, primary: EmbeddedFont) -> EmbeddedFont:
    """The face that draws ``code`` when the text's own face is ``primary``."""
    if code in primary.covers:
        return primary
    fallback = _fallback_cached(code)
    if fallback is not None:
        return fallback
    stand_in = _load(_STAND_IN_FILE)
    stand_in.show_as_replacement(code)
    return stand_in


_NEUTRAL_BIDI_CLASSES = frozenset({"NSM", "WS", "ON", "CS", "ES", "ET", "BN"})
# An emoji face sets its space more than an em wide: such a space must not join its run.
_ORDINARY_WIDTH = 600


def _is_neutral(char: str) -> bool:
    return unicodedata.bidirectional(char) in _NEUTRAL_BIDI_CLASSES


class _NextStrong:
    """For increasing positions of ``text``, the position of the first non-neutral
    character at or after it (``len(text)`` when there is none). Found when asked, and
    the last answer serves every position up to it, so the text is read once whatever
    the queries: working it out for every position beforehand cost a third of splitting
    a text that is mostly in its own face."""

    __slots__ = ("found", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.found = -1

    def at(self, position: int) -> int:
        if position <= self.found:
            return self.found
        text = self.text
        while position < len(text):
            char = text[position]
            if not (_is_neutral(char) or is_default_ignorable(ord(char))):
                break
            position += 1
        self.found = position
        return position


def _stays_in_run(
    char: str,
    position: int,
    text: str,
    current: EmbeddedFont,
    strong: _NextStrong,
    primary: EmbeddedFont,
) -> bool:
    """Whether a neutral character (space, punctuation, mark) stays in the fallback run
    before it: when that face has it at an ordinary width and the next letter is set in
    the same face. So a phrase in another script is one run (text extractors reverse a
    right-to-left passage run by run), and a space after it goes back to the text face."""
    code = ord(char)
    if code not in current.covers or current.face.charWidths.get(code, 0) > _ORDINARY_WIDTH:
        return False
    if unicodedata.combining(char):
        return True
    following = strong.at(position)
    return following < len(text) and font_for(ord(text[following]), primary) is current


@functools.cache
def _covered_stretch(font: EmbeddedFont) -> re.Pattern[str]:
    """A pattern matching characters the face has, as many as follow (possibly none)."""
    codes = sorted(font.covers)
    ranges: list[str] = []
    start = previous = codes[0] if codes else 0
    for code in [*codes[1:], -2]:
        if code != previous + 1:
            low, high = re.escape(chr(start)), re.escape(chr(previous))
            ranges.append(low if start == previous else f"{low}-{high}")
            start = code
        previous = code
    return re.compile(f"[{''.join(ranges)}]*" if codes else "")


def runs(text: str, primary: EmbeddedFont) -> list[Run]:
    """``text`` split into runs, each in the first face of the chain that has its characters.

    Default-ignorable characters always stay with the run before them (drawn
    blank if its face lacks them), so a joiner or a variation selector never
    starts a run of its own; marks always, and spaces and punctuation between
    two letters of a fallback face, stay in that face's run.
    """
    if primary.covered_characters.issuperset(text):
        return [Run(primary, text)] if text else []
    strong = _NextStrong(text)
    stretch = _covered_stretch(primary)
    result: list[Run] = []
    current: EmbeddedFont | None = None
    start = 0
    position = -1
    while position + 1 < len(text):
        position += 1
        if current is primary:
            # The primary face's own characters go on its run, in one step (the C loop
            # of ``re``, not a Python one per character).
            end = stretch.match(text, position).end()  # type: ignore[union-attr]
            if end > position:
                position = end - 1
                continue
        char = text[position]
        code = ord(char)
        if current is not None and is_default_ignorable(code):
            current.show_blank(code)
            continue
        if (
            current is not None
            and current is not primary
            and _is_neutral(char)
            and _stays_in_run(char, position, text, current, strong, primary)
        ):
            continue
        if current is None and is_default_ignorable(code):
            primary.show_blank(code)
            chosen = primary
        else:
            chosen = font_for(code, primary)
        if chosen is not current:
            if current is not None:
                result.append(Run(current, text[start:position]))
            current, start = chosen, position
    if current is not None:
        result.append(Run(current, text[start:]))
    return result
