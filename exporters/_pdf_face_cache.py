"""Parsed TrueType faces kept on disk between runs.

reportlab parses a TrueType file in Python every time a process loads it. WenQuanYi
Micro Hei, which any Chinese character needs (the bundled episode has ``中文``), takes
115-245 ms; the nine faces of the bundled briefing 220-350 ms, the largest part of
what exporting one episode spends beyond importing its libraries. So the tables
reportlab reads from a file are kept in the user's cache folder, one entry per file, as
``marshal`` data: numbers, strings, bytes, lists and dicts, read back in a third of the
time, and loading one runs no code.

Where: ``$BRIEFING_CACHE_DIR/fonts`` when that is set (set and empty turns the cache
off), else ``$XDG_CACHE_HOME/briefing/fonts`` or ``~/.cache/briefing/fonts``. An entry
is named by a hash of all it depends on: the font file's path, size and modification
time and the versions of reportlab, this project and marshal, so an upgrade of any
makes new entries. A cache that cannot be read or written is passed by, and the face is
parsed as if there were none. The documents never depend on it: a face read back holds
exactly what parsing gives (``tests/exporters/test_pdf_face_cache.py`` compares them).
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path

from reportlab import Version as REPORTLAB_VERSION
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

from briefing import __version__
from briefing.files import write_atomically

_FORMAT = 1
"""Bumped when what an entry holds changes."""
_SCALE = "_pdfScale"
"""The one attribute that is not data: a function of ``unitsPerEm``, made again on load."""


def cache_folder() -> Path | None:
    configured = os.environ.get("BRIEFING_CACHE_DIR")
    if configured is not None:
        return Path(configured) / "fonts" if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "briefing" / "fonts"


def parsed_face(path: Path) -> TTFontFace:
    """The face reportlab parses from ``path``, from the cache when it holds it."""
    folder = cache_folder()
    entry = _entry(folder, path) if folder is not None else None
    if entry is not None:
        face = _read(entry)
        if face is not None:
            return face
    face = TTFontFace(str(path))
    if entry is not None:
        _write(entry, face)
    return face


def _entry(folder: Path, path: Path) -> Path | None:
    try:
        status = path.stat()
    except OSError:
        return None  # parsing will say what is wrong with the file
    source = (str(path.resolve()), status.st_size, status.st_mtime_ns)
    key = repr((_FORMAT, *source, REPORTLAB_VERSION, __version__, marshal.version))
    return folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.marshal"


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
    if "unitsPerEm" not in attributes or "charToGlyph" not in attributes:
        return None
    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(attributes)
    for name in names:
        # Stored as the UTF-8 reportlab keeps, so it decodes back to the same text.
        setattr(face, name, TTFNameBytes(attributes[name]))
    setattr(face, _SCALE, _scale(face.unitsPerEm))
    return face


def _read(entry: Path) -> TTFontFace | None:
    try:
        return _face(marshal.loads(entry.read_bytes()))
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write(entry: Path, face: TTFontFace) -> None:
    """Write the entry whole or not at all (two processes may write the same one), or
    leave it out when the folder cannot take it."""
    try:
        data = marshal.dumps(_state(face))
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(entry, data)
    except (OSError, ValueError):
        return
