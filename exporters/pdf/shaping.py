"""Complex scripts shaped with HarfBuzz: Arabic joined, Indic conjuncts formed.

reportlab draws one glyph per character, in the order it is given them. Scripts such
as Arabic (letters take another form by their neighbours) and Devanagari (consonants
fuse into conjuncts, a vowel sign is drawn before the consonant it follows) need a
shaping engine, which is HarfBuzz (``uharfbuzz``). reportlab's own ``shaping`` mode
cannot serve (README, Fonts): it shapes a word in its first fragment's face, needs
logical order where our bidi gives visual order, and loses characters from the text
layer. So this module shapes by itself, word by word, only where a script needs it:

- ``shaped(font, text)`` replaces each word of such a script in a run of one face
  by private-use characters, one per glyph HarfBuzz gives (a conjunct is one glyph for
  several characters, a vowel sign may come first). Each such character stands for a
  glyph with its advance and the characters of the text it shows, and has that
  advance as its width, so reportlab measures and breaks lines with the shaped widths.
  Latin, Chinese and every text without such a word come back unchanged, so their
  PDFs stay the same bytes.
- ``ShapingTextObject`` (the canvas's text object) draws a word of those characters
  with HarfBuzz's offsets (a mark above its letter) through reportlab's drawing of
  shaped strings. The ToUnicode map of the face (``exporters.pdf.subsets``) gives each
  glyph characters of the text it shows (``_glyph_texts``), so that reading a word's
  glyphs in order gives its characters as written: a conjunct gives all its letters,
  a vowel sign drawn first the consonant. No ``/ActualText`` span: poppler's structure
  reader (``pdfinfo -struct-text``) ends a marked-content sequence's text at the end of
  the first span nested in it, and reverses a right-to-left one as if it were drawn.

Words are shaped one at a time (a space ends a word, and neither Arabic joining nor a
conjunct crosses one), in logical order: a right-to-left word arrives reversed by
``exporters.pdf.bidi`` and is turned back first; HarfBuzz gives its glyphs in drawing
order. Without ``uharfbuzz`` installed nothing is shaped, and the text is drawn as
before, in unjoined forms with an exact text layer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from weakref import WeakKeyDictionary

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont
from reportlab.pdfgen.textobject import PDFTextObject

from exporters.pdf.bidi import clusters, has_right_to_left

try:
    import uharfbuzz
except ImportError:  # the PDF is still made, unshaped (README, Fonts)
    uharfbuzz = None

_SHAPED_SCRIPTS = (
    "\u0590-\u08ff"  # Hebrew (points), Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic
    "\u0900-\u0dff"  # Devanagari to Sinhala
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\ufb1d-\ufdff\ufe70-\ufefe"  # Hebrew and Arabic presentation forms
)
_WORD = re.compile(f"[{_SHAPED_SCRIPTS}][{_SHAPED_SCRIPTS}\u200c\u200d\u034f\u0300-\u036f]*")
_NEEDS_SHAPING = re.compile(
    # The same, but Hebrew only with its points and cantillation marks: its letters
    # alone look the same unshaped, and stay as they were drawn before. Nor the baht
    # sign (WenQuanYi Micro Hei draws it, as a symbol of its own).
    "[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0600-\u08ff\u0900-\u0dff"
    "\u0e00-\u0e3e\u0e40-\u0eff"
    "\u1000-\u109f\u1780-\u17ff\ufb50-\ufdff\ufe70-\ufefe]"
)
_FIRST_GLYPH_CHAR, _LAST_GLYPH_CHAR = 0xF0000, 0x10FFFD
"""Shaped glyphs are drawn as characters of the supplementary private use planes, which
no face in the chain maps (they are numbered per face in the order first shaped; no
number reaches the PDF, see ``glyph_texts``). Such a character in an episode is drawn in
the stand-in face (Noto Sans), which has no letter of a shaped script, so never meets one
of these; a face whose numbers are all taken draws further words unshaped."""


def needs_shaping(text: str) -> bool:
    return uharfbuzz is not None and _NEEDS_SHAPING.search(text) is not None


@dataclass
class _FaceShaping:
    """A face's HarfBuzz font and the glyph characters made for it so far."""

    font: object
    scale: float
    next_char: int = _FIRST_GLYPH_CHAR
    glyph_chars: dict[tuple[int, int, int, str], int] = field(default_factory=dict)
    texts: dict[int, tuple[int, str, float]] = field(default_factory=dict)
    """Glyph character -> (glyph id, the characters it shows, its width in the PDF)."""
    words: dict[str, list[ShapeData]] = field(default_factory=dict)
    """A word of glyph characters -> its glyphs' positions."""
    shaped: dict[str, str] = field(default_factory=dict)
    """A word as drawn -> its word of glyph characters: words repeat, and a line is
    measured several times (``exporters.pdf.text.fit``)."""


_FACES: WeakKeyDictionary[TTFont, _FaceShaping] = WeakKeyDictionary()


@functools.cache
def _hb_font(path: Path) -> object:
    assert uharfbuzz is not None
    return uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path))))


def _shaping_of(font: TTFont) -> _FaceShaping:
    state = _FACES.get(font)
    if state is None:
        hb_font = _hb_font(Path(font.face.filename))
        state = _FaceShaping(hb_font, 1000 / hb_font.face.upem)
        _FACES[font] = state
    return state


def glyph_texts(font: TTFont) -> Mapping[int, tuple[int, str, float]]:
    """The glyph characters of ``font`` so far, each with its glyph id, the text it shows
    and its width in the PDF (what the ToUnicode map, the widths and the subset's tag use
    instead of the private-use number and its measuring width, see ``_placed``); empty
    for a face that shaped nothing."""
    state = _FACES.get(font)
    return _NO_GLYPHS if state is None else state.texts


_NO_GLYPHS: Mapping[int, tuple[int, str, float]] = MappingProxyType({})


def shaped_words(text: str) -> Iterator[tuple[int, int]]:
    """Where the words that ``shaped`` shapes are in ``text`` (in either order): start
    and stop of each."""
    if needs_shaping(text):
        for match in _WORD.finditer(text):
            if _NEEDS_SHAPING.search(match.group()) is not None:
                yield match.start(), match.end()


def shaped(font: TTFont, text: str) -> str:
    """``text`` (one run of ``font``, in drawing order) with every word of a script that
    needs shaping replaced by its shaped glyphs' characters."""
    if not needs_shaping(text):
        return text
    state = _shaping_of(font)
    return _WORD.sub(lambda match: _shaped_word(font, state, match.group()), text)


def _shaped_word(font: TTFont, state: _FaceShaping, drawn: str) -> str:
    word = state.shaped.get(drawn)
    if word is None:
        word = state.shaped[drawn] = _shape(font, state, drawn)
    return word


def _shape(font: TTFont, state: _FaceShaping, drawn: str) -> str:
    if _NEEDS_SHAPING.search(drawn) is None:
        return drawn
    right_to_left = has_right_to_left(drawn)
    # bidi reversed the word's clusters; HarfBuzz wants the characters as written.
    logical = "".join(reversed(clusters(drawn))) if right_to_left else drawn
    buffer = uharfbuzz.Buffer()
    buffer.add_str(logical)
    buffer.guess_segment_properties()
    uharfbuzz.shape(state.font, buffer, {})
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    if any(info.codepoint == 0 for info in infos):
        # A character the face lacks (one no face has is drawn as the replacement glyph,
        # see exporters.pdf.fonts): HarfBuzz would draw the .notdef box.
        return drawn
    glyphs = (_placed if right_to_left else _as_given)(infos, positions, state.scale)
    texts = _glyph_texts(logical, [glyph.cluster for glyph in glyphs], right_to_left)
    chars: list[str] = []
    data: list[ShapeData] = []
    face = font.face
    for glyph, shown in zip(glyphs, texts, strict=True):
        key = (glyph.glyph, round(glyph.advance * 1000), round(glyph.width * 1000), shown)
        code = state.glyph_chars.get(key)
        if code is None:
            code = state.next_char
            while code in face.charToGlyph:
                code += 1
            if code > _LAST_GLYPH_CHAR:
                return drawn
            state.next_char = code + 1
            state.glyph_chars[key] = code
            state.texts[code] = (glyph.glyph, shown, glyph.width)
            face.charToGlyph[code] = glyph.glyph
            face.charWidths[code] = glyph.advance
        chars.append(chr(code))
        data.append(
            ShapeData(glyph.cluster, glyph.step, 0, glyph.x_offset, glyph.y_offset, glyph.width)
        )
    word = "".join(chars)
    # Each glyph character carries the text it shows, so a word of them stands for one
    # text only, shaped always the same way.
    state.words[word] = data
    return word


@dataclass(frozen=True)
class _Placed:
    """A glyph as drawn: its id, its HarfBuzz cluster and advance (what lines are
    measured with), its width in the PDF, the pen's move from it to the next glyph's
    place (``step``), and its offsets from the pen."""

    glyph: int
    cluster: int
    advance: float
    width: float
    step: float
    x_offset: float
    y_offset: float


def _placed(infos: list, positions: list, scale: float) -> list[_Placed]:
    """The word's glyphs in drawing order, each where HarfBuzz puts it, drawn so that the
    pen never moves to the right between two of them.

    reportlab moves the pen to a glyph's offset and back with ``TJ`` adjustments, and
    pypdf takes an adjustment to the right of about a space's width for a space: Noto
    Sans Arabic draws a letter's dots as a glyph of their own, first, with no advance and
    offset to the right, which read ``0ﯤ`` as ``0 ﯤ``. So each cluster's glyphs are
    drawn from left to right (where they are drawn does not change, and the cluster's
    text stays whole), and each glyph's width in the PDF reaches from its place to the
    next cluster's, where the pen is then without a move: poppler, which reads a gap
    between two glyphs' widths as a space, sees each cluster's text span the cluster.
    The next glyph of the same cluster is reached by a move back."""
    places: list[float] = []
    pen = 0.0
    for position in positions:
        places.append(pen + position.x_offset * scale)
        pen += position.x_advance * scale
    end = pen
    groups: list[list[int]] = []
    for index, info in enumerate(infos):
        if not groups or infos[groups[-1][0]].cluster != info.cluster:
            groups.append([])
        groups[-1].append(index)
    order = [index for group in groups for index in sorted(group, key=places.__getitem__)]
    # Where each glyph's cluster's text ends: the next cluster's first place.
    reach: dict[int, float] = {}
    for number, group in enumerate(groups):
        following = end if number == len(groups) - 1 else min(places[i] for i in groups[number + 1])
        reach.update(dict.fromkeys(group, following))
    placed: list[_Placed] = []
    for number, index in enumerate(order):
        here = places[index]
        last = number == len(order) - 1
        after = end if last else places[order[number + 1]]
        same_cluster = not last and infos[order[number + 1]].cluster == infos[index].cluster
        target = max(reach[index], after) if same_cluster else reach[index]
        # The first glyph is reached with its offset from the word's start.
        offset = here if number == 0 else 0.0
        placed.append(
            _Placed(
                infos[index].codepoint,
                infos[index].cluster,
                positions[index].x_advance * scale,
                max(0.0, target - here),
                after - here + offset,
                offset,
                positions[index].y_offset * scale,
            )
        )
    return placed


def _as_given(infos: list, positions: list, scale: float) -> list[_Placed]:
    """A left-to-right word's glyphs as HarfBuzz gives them, each as wide as its
    advance: its clusters' texts are spread over their glyphs (``_glyph_texts``), and
    poppler reads them in order only where no glyph's width reaches over the next."""
    return [
        _Placed(
            info.codepoint,
            info.cluster,
            position.x_advance * scale,
            position.x_advance * scale,
            position.x_advance * scale,
            position.x_offset * scale,
            position.y_offset * scale,
        )
        for info, position in zip(infos, positions, strict=True)
    ]


def _glyph_texts(logical: str, clusters_of_glyphs: list[int], right_to_left: bool) -> list[str]:
    """The characters each glyph (in drawing order) shows, for the ToUnicode map.

    Left to right, a cluster's characters go to its glyphs in order, one each and the
    rest to the last, so a reader reading them in order gets the cluster as written.

    Right to left, readers read the glyphs from the last drawn, and a cluster's text all
    goes to its first drawn glyph, whose width spans the cluster (``_placed``): poppler
    ends a word at a glyph drawn over the one before. But for the word's first glyph:
    pypdf takes a glyph's text of several characters for neither left to right nor right
    to left and goes on in the direction it reads in, so after left-to-right text it put
    the leftmost cluster of the word before the rest (``بِسْمِ اللَّهِ`` read as
    ``هِلَّبِسْمِ ال``). The first glyph drawn shows the cluster's last character alone,
    which turns pypdf to reading right to left, and the cluster's last glyph the rest."""
    count = len(clusters_of_glyphs)
    starts = sorted(set(clusters_of_glyphs))
    ends = dict(zip(starts, [*starts[1:], len(logical)], strict=True))
    members: dict[int, list[int]] = {}
    for index in range(count):
        members.setdefault(clusters_of_glyphs[index], []).append(index)
    texts = [""] * count
    for cluster, indexes in members.items():
        text = logical[cluster : ends[cluster]]
        if not right_to_left:
            for position, index in enumerate(indexes):
                last = position == len(indexes) - 1
                texts[index] = text[position:] if last else text[position : position + 1]
        elif indexes[0] == 0 and len(indexes) > 1 and len(text) > 1:
            texts[indexes[0]], texts[indexes[-1]] = text[-1], text[:-1]
        else:
            texts[indexes[0]] = text
    return texts


def _pieces(font: TTFont, text: str) -> Iterator[tuple[str, list[ShapeData] | None]]:
    """``text`` cut into shaped words (with their glyphs' positions) and the rest."""
    state = _FACES.get(font)
    words = state.words if state is not None else {}
    start = 0
    for match in _GLYPH_WORD.finditer(text):
        if match.start() > start:
            yield text[start : match.start()], None
        yield match.group(), words.get(match.group())
        start = match.end()
    if start < len(text):
        yield text[start:], None


_GLYPH_WORD = re.compile("[\U000f0000-\U0010fffd]+")


class ShapingTextObject(PDFTextObject):
    """reportlab's text object, drawing shaped words (see the module docstring)."""

    def _formatText(self, text: str) -> str:
        # The search first: most text has no glyph character, and needs no font look-up
        # (reportlab may pass bytes for a font of its own, which have none either).
        if not isinstance(text, str) or _GLYPH_WORD.search(text) is None:
            return super()._formatText(text)
        font = pdfmetrics.getFont(self._fontname)
        if not isinstance(font, TTFont):
            return super()._formatText(text)
        code: list[str] = []
        for piece, data in _pieces(font, text):
            shown = piece if data is None else ShapedStr(piece, shapeData=data)
            code.append(super()._formatText(shown))
        return " ".join(code)

    def setRise(self, rise: float) -> None:
        # reportlab's looks at the last operator written, and fails (IndexError) when a
        # shaped word's first glyph is raised before any is: what its other branch does.
        if not self._code:
            self._rise = rise
            self._y -= rise
            self._code.append(f"{fp_str(rise)} Ts")
            return
        if self._code[-1].endswith(" Ts"):
            # reportlab's replaces a rise just set by this one but keeps the rise it
            # replaced as the current one: a glyph raised after one raised otherwise
            # (a cluster's dots) was drawn with the next glyph of that first rise (the
            # letter the dots go with drawn lowered with them).
            self._y += self._rise - rise
            self._rise = rise
            self._code[-1] = f"{fp_str(rise)} Ts"
            return
        super().setRise(rise)
