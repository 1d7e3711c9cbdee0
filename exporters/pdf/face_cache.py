"""Parsed TrueType faces kept on disk between runs.

reportlab parses a TrueType file in Python every time a process loads it. WenQuanYi
Micro Hei, which any Chinese character needs (the bundled episode has ``中文``), takes
115-245 ms; the nine faces of the bundled briefing 220-350 ms, the largest part of
what exporting one episode spends beyond importing its libraries. So the tables
reportlab reads from a file are kept in the user's cache folder, one entry per file, as
``marshal`` data: numbers, strings, bytes, lists and dicts, read back in a third of the
time, and loading one runs no code.

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
from collections.abc import Callable
from pathlib import Path

from reportlab import Version as REPORTLAB_VERSION
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

from briefing import __version__
from exporters.render_cache import current_cache

_FORMAT = 1
"""Bumped when what an entry holds changes."""
_SCALE = "_pdfScale"
"""The one attribute that is not data: a function of ``unitsPerEm``, made again on load."""


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


def _state(face: TTFontFace) -> dict[str, object]:
    attributes = {name: value for name, value in vars(face).items() if name != _SCALE}
    names = [name for name, value in attributes.items() if isinstance(value, TTFNameBytes)]
    plain = {name: bytes(attributes[name]) for name in names}
    return {"attributes": {**attributes, **plain}, "names": names}


def _face(state: object) -> TTFontFace | None:
    if not isinstance(state, dict) or not isinstance(state.get("attributes"), dict):
        return None
    attributes, names = state["attributes"], state.get("names", [])
    if not _plausible(attributes):
        return None
    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(attributes)
    for name in names:
        # Stored as the UTF-8 reportlab keeps, so it decodes back to the same text.
        setattr(face, name, TTFNameBytes(attributes[name]))
    setattr(face, _SCALE, _scale(face.unitsPerEm))
    return face


def _whole_number(value: object, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _plausible(attributes: dict[str, object]) -> bool:
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
    positions, metrics = attributes.get("glyphPos"), attributes.get("hmetrics")
    if not isinstance(positions, list) or len(positions) != glyphs + 1:  # type: ignore[operator]
        return False
    if not isinstance(metrics, list) or not metrics or len(metrics) > glyphs:  # type: ignore[operator]
        return False
    return all(_whole_number(glyph, 0, glyphs - 1) for glyph in char_to_glyph.values())  # type: ignore[operator]


def face_from_bytes(data: bytes | None) -> TTFontFace | None:
    if data is None:
        return None
    try:
        return _face(marshal.loads(data))
    except (EOFError, ValueError, TypeError):
        return None


def face_to_bytes(face: TTFontFace) -> bytes | None:
    try:
        return marshal.dumps(_state(face))
    except ValueError:
        return None
