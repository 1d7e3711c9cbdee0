"""Reading a PDF briefing back: text, and the glyph each character is drawn with."""

from __future__ import annotations

import io
import re
import struct

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from briefing.labels import labels_for
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.pdf import PdfExporter


def render(episode: Episode, theme, labels=None) -> bytes:
    labels = labels or labels_for(episode.language)
    return PdfExporter().render(episode, theme, labels, default_context(episode))


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def tounicode(font: DictionaryObject) -> dict[int, str]:
    cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
    entries = cmap.split("beginbfchar", 1)[1].split("endbfchar", 1)[0]
    pairs = re.findall(r"<([0-9A-F]{2})> <([0-9A-F]+)>", entries)
    return {int(code, 16): bytes.fromhex(target).decode("utf-16-be") for code, target in pairs}


def glyph_lengths(font_file: bytes) -> list[int]:
    """For each code of a reportlab subset (cmap format 6), the length of its glyph's outline."""
    tables = {}
    for index in range(struct.unpack(">H", font_file[4:6])[0]):
        tag, _checksum, offset, length = struct.unpack(
            ">4sLLL", font_file[12 + 16 * index : 28 + 16 * index]
        )
        tables[tag.decode()] = font_file[offset : offset + length]
    cmap = tables["cmap"]
    (subtable,) = struct.unpack(">L", cmap[8:12])
    count = struct.unpack(">H", cmap[subtable + 8 : subtable + 10])[0]
    glyphs = struct.unpack(f">{count}H", cmap[subtable + 10 : subtable + 10 + 2 * count])
    long_offsets = struct.unpack(">h", tables["head"][50:52])[0] == 1
    loca = tables["loca"]
    if long_offsets:
        offsets = struct.unpack(f">{len(loca) // 4}L", loca)
    else:
        offsets = [2 * value for value in struct.unpack(f">{len(loca) // 2}H", loca)]
    return [offsets[glyph + 1] - offsets[glyph] if glyph else 0 for glyph in glyphs]


def drawn_characters(reader: PdfReader) -> tuple[set[str], set[str], set[str]]:
    """(characters drawn with an outline, characters in the text layer, base font names)."""
    outlined: set[str] = set()
    mapped: set[str] = set()
    names: set[str] = set()
    seen: set[int] = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for name in fonts:
            font = fonts[name].get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            names.add(str(font["/BaseFont"]))
            descriptor = font["/FontDescriptor"].get_object()
            lengths = glyph_lengths(descriptor["/FontFile2"].get_object().get_data())
            for code, text in tounicode(font).items():
                mapped.add(text)
                if code and lengths[code] > 0:
                    outlined.add(text)
    return outlined, mapped, names
