"""The restyled template kept in the render's cache between processes.

Restyling python-docx's default template walks its 440 kB styles part: some 30 ms, a
tenth of what one ``briefing export`` spends beyond importing its libraries, and the
same work for the same theme every time. So the saved template and its style ids go
to the cache the pipeline gives (``RenderContext.cache``, held for the render by
``exporters.render_cache``), one entry per theme. An entry is named by a hash of all
that shapes it: the theme, the source of the modules that restyle, python-docx's
version and this project's, so editing the restyling code or upgrading either makes a
new entry. An entry carries the hash of its package: one cut short or altered is passed
by and the template made again. A report never depends on the cache: a template read
back is the bytes restyling gives (``tests/exporters/docx/test_template_cache.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import docx

from briefing import __version__
from styles import Theme

_FORMAT = 1
"""Bumped when what an entry holds changes."""
_SOURCES = ("template.py", "east_asian.py", "fields.py")
"""The modules whose code decides what the restyled template holds."""


def entry_key(theme: Theme) -> str:
    digest = hashlib.sha256(repr((_FORMAT, __version__, docx.__version__)).encode())
    folder = Path(__file__).parent
    for name in _SOURCES:
        digest.update((folder / name).read_bytes())
    digest.update(json.dumps(theme.plain_data(), sort_keys=True).encode())
    return f"docx-template/{digest.hexdigest()[:32]}.bin"


def template_to_bytes(package: bytes, style_ids: Mapping[str, str]) -> bytes:
    """One line of JSON (the style ids in their order, the package's hash), the package."""
    header = {
        "style_ids": list(style_ids.items()),
        "sha256": hashlib.sha256(package).hexdigest(),
    }
    return json.dumps(header, ensure_ascii=True).encode() + b"\n" + package


def template_from_bytes(data: bytes | None) -> tuple[bytes, dict[str, str]] | None:
    """The package and style ids an entry holds, or None for no entry or a spoilt one."""
    if data is None:
        return None
    line, _, package = data.partition(b"\n")
    try:
        header = json.loads(line)
        pairs = header["style_ids"]
        style_ids = {name: style_id for name, style_id in pairs}
        expected = header["sha256"]
    except (ValueError, TypeError, KeyError):
        return None
    if hashlib.sha256(package).hexdigest() != expected:
        return None
    if not all(isinstance(v, str) for pair in style_ids.items() for v in pair):
        return None
    return package, style_ids
