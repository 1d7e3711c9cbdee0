"""The PDF objects of an embedded face's subsets: font dictionary, widths, ToUnicode map,
descriptor and font program, as reportlab's ``TTFont.addObjects`` makes them, with a
unique subset tag, a correct ToUnicode map and the programs kept between documents.

A shaped glyph (``exporters.pdf.shaping``) is a private-use character whose number
depends on what the process shaped before: its subset's tag and ToUnicode map, and the
key its map is kept by, are made from the glyph and the characters it shows instead, so
the same document has the same bytes whatever the process drew first."""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFStream,
    PDFTrueTypeFont,
    PDFZCompress,
)
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC

from exporters.pdf.shaping import glyph_texts

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont, TTFontFace


def _to_unicode_cmap(font_name: str, texts: list[str]) -> str:
    """reportlab's ToUnicode CMap, with each target written as UTF-16BE as the PDF
    specification requires (reportlab writes ``<1F433>`` for U+1F433 instead of the
    surrogate pair ``<D83DDC33>``, so readers cannot map emoji back to text)."""
    entries = [
        f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>"
        for code, text in enumerate(texts)
    ]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({font_name})",
            f"/Ordering ({font_name})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{font_name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(texts) - 1:02X}>",
            "endcodespacerange",
            f"{len(texts)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


class SubsetObjects:
    """What ``exporters.pdf.fonts.EmbeddedFont`` writes into a document (a mixin before
    reportlab's ``TTFont``, whose ``state`` and ``getSubsetInternalName`` it uses)."""

    face: TTFontFace
    fontName: str
    state: Any

    def __init__(self) -> None:
        self._programs: OrderedDict[tuple[int, ...], tuple[bytes, bytes]] = OrderedDict()
        self._cmaps: OrderedDict[tuple[str | int, ...], bytes] = OrderedDict()

    def addObjects(self, doc: PDFDocument) -> None:
        """The font objects of every subset used in ``doc``, as reportlab's
        ``TTFont.addObjects`` makes them (the same objects in the same order) but with a
        unique subset tag, a correct ToUnicode map (reportlab's own was made only to be
        replaced), widths formatted once per process, and the subset's font program from
        ``_program`` rather than cut and compressed again."""
        state = self.state.get(doc)
        if state is None:
            return
        state.frozen = 1
        face = self.face
        face_name = b"".join((face.name, face.subfontNameX)).decode("pdfdoc")
        fonts = doc.idToObject["BasicFonts"].dict
        for number, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(number, doc)[1:]
            shown = _shaped_keys_and_texts(self, subset)
            keys = subset if shown is None else shown[0]
            unique_name = f"{subset_tag(doc, face_name, keys)}+{face_name}"
            font = PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} subset {number}"
            font.Name = internal_name
            font.BaseFont = unique_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            widths = [face.getCharWidth(code) for code in subset] if shown is None else shown[2]
            font.Widths = PDFArray([_number_bytes(width) for width in widths])
            texts = None if shown is None else shown[1]
            cmap = self._to_unicode(unique_name, subset, texts, doc.compression)
            font.ToUnicode = doc.Reference(cmap, f"toUnicodeCMap:{unique_name}")
            font.FontDescriptor = self._descriptor(doc, unique_name, subset)
            doc.Reference(font, internal_name)
            fonts[internal_name] = font
        del self.state[doc]

    def _descriptor(self, doc: PDFDocument, name: str, subset: list[int]) -> object:
        """reportlab's ``addSubsetObjects``: the subset's font file and descriptor."""
        face = self.face
        program, compressed = self._program(subset)
        font_file = PDFStream()
        font_file.dictionary["Length1"] = len(program)
        if doc.compression:
            # Compressed already: a stream with its ``Filter`` set is written as it is.
            font_file.dictionary["Filter"] = PDFArray([PDFName(PDFZCompress.pdfname)])
            font_file.content = compressed
        else:
            font_file.content = program
        file_ref = doc.Reference(font_file, f"fontFile:{face.filename}({name})")
        flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        descriptor = PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": face.ascent,
                "CapHeight": face.capHeight,
                "Descent": face.descent,
                "Flags": flags,
                "FontBBox": PDFArray(face.bbox),
                "FontName": PDFName(name),
                "ItalicAngle": face.italicAngle,
                "StemV": face.stemV,
                "FontFile2": file_ref,
                "MissingWidth": face.defaultWidth,
            }
        )
        return doc.Reference(descriptor, f"fontDescriptor:{name}")

    def _to_unicode(
        self, name: str, subset: list[int], texts: list[str] | None, compression: bool
    ) -> PDFStream:
        """The subset's ToUnicode stream, its deflated bytes kept as ``_program`` keeps
        programs (they depend on the subset's name and the text of each character only).
        ``texts`` is what each character shows when the subset has shaped glyphs, and
        keys the map then: their private-use numbers say nothing of it."""
        if texts is None:
            key: tuple[str | int, ...] = (name, *subset)
        else:
            key = (name, *texts)
        if not compression:
            return PDFStream(content=_to_unicode_cmap(name, texts or _characters(subset)))
        cmaps = self._cmaps
        compressed = cmaps.get(key)
        if compressed is None:
            compressed = PDFZCompress.encode(_to_unicode_cmap(name, texts or _characters(subset)))
            cmaps[key] = compressed
            if len(cmaps) > _PROGRAMS_PER_FACE:
                cmaps.popitem(last=False)
        else:
            cmaps.move_to_end(key)
        stream = PDFStream(content=compressed)
        stream.dictionary["Filter"] = PDFArray([PDFName(PDFZCompress.pdfname)])
        return stream

    def _program(self, subset: list[int]) -> tuple[bytes, bytes]:
        """The subset's TrueType program and its deflated bytes, kept for the next
        document with the same glyphs in the same order: cutting and compressing the
        programs was a tenth of rendering the bundled episode, and a face drawing only a
        few characters (bold figures, the symbol and emoji faces) has the same subset in
        most documents. The program depends only on the glyphs, so they are the key."""
        glyphs = self.face.charToGlyph
        key = tuple(glyphs.get(code, 0) for code in subset)
        programs = self._programs
        found = programs.get(key)
        if found is None:
            program = self.face.makeSubset(subset)
            found = (program, PDFZCompress.encode(program))
            programs[key] = found
            if len(programs) > _PROGRAMS_PER_FACE:
                programs.popitem(last=False)
        else:
            programs.move_to_end(key)
        return found


_PROGRAMS_PER_FACE = 32
"""Subset programs kept per face (the least recently used goes): a few hundred KiB each
face at most, so a process rendering a whole library stays small."""


def _characters(subset: list[int]) -> list[str]:
    return [chr(point) for point in subset]


def _shaped_keys_and_texts(
    font: TTFont, subset: list[int]
) -> tuple[list[str], list[str], list[float]] | None:
    """For a subset with shaped glyphs: what names each character in the subset's tag
    (its number, or a shaped glyph's id, width and the characters it shows), the text it
    shows and its width. None for a subset without any, whose characters are their own
    names (one look-up for a face that shaped nothing: most faces of most documents)."""
    glyphs = glyph_texts(font)
    if not glyphs or glyphs.keys().isdisjoint(subset):
        return None
    face = font.face
    keys: list[str] = []
    texts: list[str] = []
    widths: list[float] = []
    for point in subset:
        glyph = glyphs.get(point)
        if glyph is None:
            keys.append(str(point))
            texts.append(chr(point))
            widths.append(face.getCharWidth(point))
        else:
            keys.append(f"{glyph[0]}:{fp_str(glyph[2])}:{glyph[1]}")
            texts.append(glyph[1])
            widths.append(glyph[2])
    return keys, texts, widths


def subset_tag(doc: PDFDocument, face_name: str, subset: Sequence[int] | Sequence[str]) -> str:
    """The six capital letters before a subset's face name, unique in the document as the
    PDF specification asks (reportlab numbers the subsets of each face from ``AAAAAA``,
    so every face's first subset had the same tag). Taken from a hash of the face name
    and its characters (a shaped glyph named by its glyph and text), so the same subset
    always gets the same tag; another subset that hashes to a tag already taken in the
    document hashes again."""
    taken: set[str] = doc.__dict__.setdefault("_briefing_subset_tags", set())
    seed = f"{face_name}:{','.join(map(str, subset))}".encode()
    for attempt in itertools.count():
        digest = hashlib.sha256(seed + str(attempt).encode()).digest()
        tag = "".join(chr(ord("A") + byte % 26) for byte in digest[:6])
        if tag not in taken:
            taken.add(tag)
            return tag
    raise AssertionError("unreachable")


@functools.cache
def _number_bytes(number: float) -> bytes:
    """A number as reportlab writes it, worked out once per process: every width of
    every subset is formatted, and most widths repeat."""
    return fp_str(number).encode("ascii")
