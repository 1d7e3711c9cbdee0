"""Parsed TrueType faces kept on disk between runs.

reportlab parses a TrueType file in Python every time a process loads it. WenQuanYi
Micro Hei, which any Chinese character needs (the bundled episode has ``中文``), takes
115-245 ms; the nine faces of the bundled briefing 220-350 ms, the largest part of
what exporting one episode spends beyond importing its libraries. So the tables
reportlab reads from a file are kept in the user's cache folder, one entry per file, as
``marshal`` data: numbers, strings, bytes, lists and dicts, read back in a third of the
time, and loading one runs no code. Of the CJK face's tables (49,531 glyphs, 34,600
characters), the two that only subsetting reads a few entries of, the advances and
bearings and the glyph offsets, are kept as arrays, not as 150,000 Python numbers and
tuples; and the glyph-to-character map, which only reportlab's own shaping reads (we
shape with HarfBuzz), is derived from the character map when first asked for. Loading
the nine faces of the bundled briefing took 45 ms of a first render, now about 25.

The entries go to the cache the pipeline gives (``RenderContext.cache``, see
``briefing.cache`` for where it lives): this module only turns a face into bytes and
back. Faces load lazily, deep inside line breaking, and once per process, so the
cache of the render in progress is held in a context variable for that time
(``exporters.render_cache``) rather than passed through every text function. An entry is named
by a hash of all it depends on: the font file's path, size and modification time and
the versions of reportlab, this project and marshal, so an upgrade of any makes new
entries. An entry that cannot be read, or reads back as something no face can be, is
passed by, and the face is parsed as if there were none. The documents never depend on
it: a face read back holds exactly what parsing gives
(``tests/exporters/pdf/test_face_cache.py`` compares them).
"""

from __future__ import annotations

import hashlib
import marshal
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab import Version as REPORTLAB_VERSION
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

from briefing import __version__
from exporters.render_cache import current_cache

_FORMAT = 2
"""Bumped when what an entry holds changes."""
_SCALE = "_pdfScale"
"""The one attribute that is not data: a function of ``unitsPerEm``, made again on load."""
_PACKED = "glyphToChar"
"""Kept as marshal bytes inside the entry, unpacked when first read (``CachedFace``)."""
_ARRAYS = {"advances": "H", "bearings": "H", "positions": "I"}
"""The metrics stored as arrays, with their item types: advance widths and left side
bearings are unsigned shorts as reportlab reads them (``hmtx``), glyph offsets
(``loca``) at most unsigned longs, which ``I`` holds on every platform we run on."""


class GlyphMetrics(Sequence[tuple[int | float, int]]):
    """``hmetrics`` as reportlab reads it, ``(advance, left side bearing)`` per glyph,
    over arrays: subsetting looks up only the glyphs it keeps.

    The glyphs after the font's last full metric share its advance, which reportlab
    keeps scaled to 1000 units (a float where the others are font units): that one
    value is ``trailing``, for every glyph past ``advances``."""

    __slots__ = ("_advances", "_bearings", "_trailing")

    def __init__(self, advances: array[int], bearings: array[int], trailing: float) -> None:
        self._advances = advances
        self._bearings = bearings
        self._trailing = trailing

    def __len__(self) -> int:
        return len(self._bearings)

    def __getitem__(self, index: int) -> tuple[int | float, int]:  # type: ignore[override]
        bearing = self._bearings[index]  # raises IndexError past either end
        if index < 0:
            index += len(self._bearings)
        advance = self._advances[index] if index < len(self._advances) else self._trailing
        return advance, bearing


class CachedFace(TTFontFace):
    """A face read back from the cache. ``glyphToChar``, which only reportlab's own
    shaping reads (we shape with HarfBuzz), stays packed until first read."""

    def __getattr__(self, name: str) -> object:
        # Called only for an attribute the instance lacks.
        packed = vars(self).pop(_PACKED_AT, None) if name == _PACKED else None
        if packed is None:
            raise AttributeError(name)
        try:
            value = marshal.loads(packed)
        except (EOFError, ValueError, TypeError):
            value = None
        if not isinstance(value, dict):  # a spoilt entry: what parsing the file gives
            value = TTFontFace(self.filename).glyphToChar
        setattr(self, _PACKED, value)
        return value


_PACKED_AT = "_briefing_packed_glyph_to_char"


def parsed_face(path: Path) -> TTFontFace:
    """The face reportlab parses from ``path``, from the cache when it holds it."""
    cache = current_cache()
    key = entry_key(path)
    if key is not None:
        face = face_from_bytes(cache.get(key))
        if face is not None:
            return face
    face = TTFontFace(str(path))
    if key is not None:
        data = face_to_bytes(face)
        if data is not None:
            cache.put(key, data)
    return face


def entry_key(path: Path) -> str | None:
    try:
        status = path.stat()
    except OSError:
        return None  # parsing will say what is wrong with the file
    source = (str(path.resolve()), status.st_size, status.st_mtime_ns)
    key = repr((_FORMAT, *source, REPORTLAB_VERSION, __version__, marshal.version))
    return f"fonts/{hashlib.sha256(key.encode()).hexdigest()[:32]}.marshal"


def _scale(units_per_em: int) -> Callable[[float], float]:
    # The arithmetic of reportlab's own (TTFontFile.extractInfo).
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _state(face: TTFontFace) -> dict[str, object] | None:
    skipped = {_SCALE, _PACKED, "hmetrics", "glyphPos"}
    attributes = {name: value for name, value in vars(face).items() if name not in skipped}
    names = [name for name, value in attributes.items() if isinstance(value, TTFNameBytes)]
    plain = {name: bytes(attributes[name]) for name in names}
    advances = [advance for advance, _ in face.hmetrics]
    whole = next((n for n, a in enumerate(advances) if type(a) is not int), len(advances))
    trailing = advances[whole] if whole < len(advances) else 0
    if any(a != trailing or type(a) is not type(trailing) for a in advances[whole:]):
        return None  # not the shape reportlab's parser gives: the face is parsed every time
    columns = {
        "advances": advances[:whole],
        "bearings": [bearing for _, bearing in face.hmetrics],
        "positions": face.glyphPos,
    }
    packed = {key: array(_ARRAYS[key], values).tobytes() for key, values in columns.items()}
    return {
        "attributes": {**attributes, **plain},
        "names": names,
        "trailing": trailing,
        "glyph_to_char": marshal.dumps(face.glyphToChar),
        **packed,
    }


def _arrays(state: dict[str, object]) -> dict[str, array[int]] | None:
    unpacked = {}
    for key, kind in _ARRAYS.items():
        data = state.get(key)
        if not isinstance(data, bytes):
            return None
        unpacked[key] = array(kind)
        unpacked[key].frombytes(data)  # a length that is no whole number of items raises
    return unpacked


def _face(state: object) -> TTFontFace | None:
    if not isinstance(state, dict) or not isinstance(state.get("attributes"), dict):
        return None
    attributes, names = state["attributes"], state.get("names", [])
    metrics, trailing, packed = _arrays(state), state.get("trailing"), state.get("glyph_to_char")
    if metrics is None or type(trailing) not in (int, float) or not isinstance(packed, bytes):
        return None
    if not _plausible(attributes, metrics):
        return None
    face = CachedFace.__new__(CachedFace)
    vars(face).update(attributes)
    face.hmetrics = GlyphMetrics(metrics["advances"], metrics["bearings"], trailing)
    face.glyphPos = metrics["positions"]
    setattr(face, _PACKED_AT, packed)
    for name in names:
        # Stored as the UTF-8 reportlab keeps, so it decodes back to the same text.
        setattr(face, name, TTFNameBytes(attributes[name]))
    setattr(face, _SCALE, _scale(face.unitsPerEm))
    return face


def _whole_number(value: object, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _plausible(attributes: dict[str, object], metrics: dict[str, array[int]]) -> bool:
    """Whether an entry read back can be a face: well-formed data can still be wrong
    (a zero units per em divides by zero, an empty glyph map draws nothing, a glyph
    past the font's glyph count breaks the subset), and then the font is parsed again.
    The checks are what reportlab relies on when it measures and subsets."""
    glyphs = attributes.get("numGlyphs")
    char_to_glyph = attributes.get("charToGlyph")
    widths = attributes.get("charWidths")
    data = attributes.get("_ttf_data")
    if not _whole_number(attributes.get("unitsPerEm"), 16, 16384):  # the TrueType range
        return False
    if not _whole_number(glyphs, 1, 65535) or not isinstance(data, bytes) or not data:
        return False
    if not isinstance(char_to_glyph, dict) or 0x20 not in char_to_glyph:
        return False  # the space is every line's; no face of ours lacks it
    if not isinstance(widths, dict) or widths.keys() != char_to_glyph.keys():
        return False
    if len(metrics["positions"]) != glyphs + 1:  # type: ignore[operator]
        return False
    if not 0 < len(metrics["bearings"]) <= glyphs:  # type: ignore[operator]
        return False
    if len(metrics["advances"]) > len(metrics["bearings"]):
        return False
    # Whole numbers below the glyph count, checked in C: a loop in Python over the CJK
    # face's 34,600 characters took 3 ms of every start.
    found = char_to_glyph.values()
    return set(map(type, found)) == {int} and min(found) >= 0 and max(found) < glyphs  # type: ignore[operator]


def face_from_bytes(data: bytes | None) -> TTFontFace | None:
    if data is None:
        return None
    try:
        return _face(marshal.loads(data))
    except (EOFError, ValueError, TypeError):
        return None


def face_to_bytes(face: TTFontFace) -> bytes | None:
    try:
        state = _state(face)
        return None if state is None else marshal.dumps(state)
    except (ValueError, OverflowError):  # OverflowError: a metric no array item holds
        return None
