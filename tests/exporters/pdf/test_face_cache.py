"""Parsed font faces cached on disk: the same faces, the same PDFs, and no harm when the
cache is missing, broken or unwritable."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from briefing.cache import FolderCache
from exporters.pdf import face_cache, fonts
from exporters.pdf.face_cache import parsed_face
from exporters.pdf.fonts import EmbeddedFont
from exporters.render_cache import using_cache
from tests.conftest import SEED_JSON

FACE_FILES = [fonts._CJK_FILE, fonts._STAND_IN_FILE]


PARSED_ATTRIBUTES = list(vars(TTFontFace(str(fonts._STAND_IN_FILE))))


def _comparable(face: TTFontFace) -> dict[str, object]:
    """Every attribute parsing sets, as reportlab reads it (a packed table read back
    through indexing, with the types of its values), and the scale function's results."""
    attributes = {name: getattr(face, name) for name in PARSED_ATTRIBUTES}
    scale = attributes.pop("_pdfScale")
    for name in ("hmetrics", "glyphPos"):
        values = list(attributes[name])
        attributes[name] = (values, [repr(value) for value in values])
    return {**attributes, "scaled": [scale(value) for value in (0, 1, 733, -250)]}


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Path]:
    """Faces loaded in the test come from and go to a cache folder of its own."""
    with using_cache(FolderCache(tmp_path)):
        yield tmp_path / "fonts"


@pytest.mark.parametrize("path", FACE_FILES, ids=lambda path: path.name)
def test_a_face_read_back_is_the_face_parsed(cache: Path, path: Path) -> None:
    parsed = TTFontFace(str(path))
    first = parsed_face(path)  # parses and writes the entry
    assert len(list(cache.iterdir())) == 1
    second = parsed_face(path)  # reads it
    assert _comparable(first) == _comparable(parsed) == _comparable(second)
    assert [type(getattr(second, name)) for name in ("name", "familyName", "fullName")] == [
        type(parsed.name),
        type(parsed.familyName),
        type(parsed.fullName),
    ]
    assert second.name.ustr == parsed.name.ustr


def test_an_embedded_font_is_set_up_as_reportlab_sets_up_its_own(cache: Path) -> None:
    path = fonts._STAND_IN_FILE
    ours, theirs = EmbeddedFont("probe", path), TTFont("probe", str(path))
    own = {"covers", "covered_characters", "_programs", "_cmaps", "_codes"}
    ours_state = {k: v for k, v in vars(ours).items() if k not in own}
    assert ours_state.keys() == vars(theirs).keys()
    for name in ("fontName", "_asciiReadable", "_shapable"):
        assert getattr(ours, name) == getattr(theirs, name)
    assert type(ours.encoding) is type(theirs.encoding) and dict(ours.state) == {}
    assert _comparable(ours.face) == _comparable(theirs.face)


def test_the_pdf_is_the_same_with_a_cold_a_warm_and_no_cache(cache: Path, tmp_path: Path) -> None:
    def export(cache_dir: str, out: str) -> bytes:
        command = [sys.executable, "-m", "briefing", "export", str(SEED_JSON), "-f", "pdf"]
        environment = {**os.environ, "BRIEFING_CACHE_DIR": cache_dir}
        subprocess.run([*command, "-o", str(tmp_path / out)], env=environment, check=True)
        return (tmp_path / out / "summoning-ghosts.pdf").read_bytes()

    cold = export(str(cache.parent), "cold")
    entries = {entry.name: entry.stat().st_mtime_ns for entry in cache.iterdir()}
    assert len(entries) >= 6  # the theme's faces and the fallbacks the seed needs
    warm = export(str(cache.parent), "warm")
    assert {entry.name: entry.stat().st_mtime_ns for entry in cache.iterdir()} == entries
    assert export("", "none") == warm == cold


def test_a_broken_entry_is_parsed_again_and_replaced(cache: Path) -> None:
    path = fonts._STAND_IN_FILE
    parsed_face(path)
    (entry,) = cache.iterdir()
    for broken in (b"", b"not marshal data", entry.read_bytes()[:1000], b"\xe9\x00\x00\x00\x00"):
        entry.write_bytes(broken)
        assert _comparable(parsed_face(path)) == _comparable(TTFontFace(str(path)))
    assert _comparable(face_cache.face_from_bytes(entry.read_bytes())) == _comparable(
        TTFontFace(str(path))
    )


def test_an_unusable_cache_folder_is_passed_by(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    path = fonts._STAND_IN_FILE
    with using_cache(FolderCache(blocker)):
        assert _comparable(parsed_face(path)) == _comparable(TTFontFace(str(path)))
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def _wrong(state: dict, name: str, value: object) -> bytes:
    if name in state:  # the packed tables and the trailing advance
        return marshal.dumps({**state, name: value})
    return marshal.dumps({**state, "attributes": {**state["attributes"], name: value}})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("unitsPerEm", 0),
        ("unitsPerEm", True),
        ("unitsPerEm", 10**9),
        ("charToGlyph", {}),
        ("charToGlyph", {0x20: 10**6}),
        ("charWidths", {}),
        ("numGlyphs", 0),
        ("positions", b""),
        ("positions", b"\x00\x00\x00"),
        ("bearings", b""),
        ("advances", [1, 2]),
        ("trailing", "wide"),
        ("glyph_to_char", None),
        ("_ttf_data", b""),
    ],
)
def test_a_well_formed_but_wrong_entry_is_parsed_again(
    cache: Path, name: str, value: object
) -> None:
    """Marshal data of the right shape whose numbers cannot be a face (a zero units per
    em divided by zero when measuring; an empty glyph map drew nothing): parsed again."""
    path = fonts._STAND_IN_FILE
    parsed_face(path)
    (entry,) = cache.iterdir()
    state = marshal.loads(entry.read_bytes())
    entry.write_bytes(_wrong(state, name, value))
    assert face_cache.face_from_bytes(entry.read_bytes()) is None
    assert _comparable(parsed_face(path)) == _comparable(TTFontFace(str(path)))


def test_glyph_metrics_read_as_reportlab_reads_its_list(cache: Path) -> None:
    path = fonts._CJK_FILE
    parsed = TTFontFace(str(path))
    parsed_face(path)
    metrics = parsed_face(path).hmetrics
    assert isinstance(metrics, face_cache.GlyphMetrics)
    for index in (0, 1, 7000, len(parsed.hmetrics) - 1, -1, -len(parsed.hmetrics)):
        assert metrics[index] == parsed.hmetrics[index]
        assert list(map(type, metrics[index])) == list(map(type, parsed.hmetrics[index]))
    for index in (len(parsed.hmetrics), -len(parsed.hmetrics) - 1):
        with pytest.raises(IndexError):
            metrics[index]


def test_a_spoilt_packed_glyph_map_is_read_from_the_font_file(cache: Path) -> None:
    """The glyph-to-character map is unpacked only when read (by reportlab's own shaping,
    which we do not use), so an entry whose packed map is spoilt still loads; reading the
    map then parses it from the font file."""
    path = fonts._STAND_IN_FILE
    parsed_face(path)
    (entry,) = cache.iterdir()
    state = marshal.loads(entry.read_bytes())
    entry.write_bytes(_wrong(state, "glyph_to_char", b"spoilt"))
    face = parsed_face(path)
    assert isinstance(face, face_cache.CachedFace)
    assert face.glyphToChar == TTFontFace(str(path)).glyphToChar
    with pytest.raises(AttributeError):
        face.no_such_attribute  # noqa: B018
