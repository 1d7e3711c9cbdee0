"""The PDF objects of an embedded face's subsets: font dictionary, widths, ToUnicode map,
descriptor and font program, as reportlab's ``TTFont.addObjects`` makes them, with a
unique subset tag, a correct ToUnicode map and the programs kept between documents."""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections import OrderedDict
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

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFontFace


def _to_unicode_cmap(font_name: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with each target written as UTF-16BE as the PDF
    specification requires (reportlab writes ``<1F433>`` for U+1F433 instead of the
    surrogate pair ``<D83DDC33>``, so readers cannot map emoji back to text)."""
    entries = [
        f"<{code:02X}> <{chr(point).encode('utf-16-be').hex().upper()}>"
        for code, point in enumerate(subset)
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
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
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
            unique_name = f"{subset_tag(doc, face_name, subset)}+{face_name}"
            font = PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} subset {number}"
            font.Name = internal_name
            font.BaseFont = unique_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = PDFArray([_number_bytes(face.getCharWidth(code)) for code in subset])
            cmap = self._to_unicode(unique_name, subset, doc.compression)
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

    def _to_unicode(self, name: str, subset: list[int], compression: bool) -> PDFStream:
        """The subset's ToUnicode stream, its deflated bytes kept as ``_program`` keeps
        programs (they depend on the subset's name and characters only)."""
        if not compression:
            return PDFStream(content=_to_unicode_cmap(name, subset))
        key = (name, *subset)
        cmaps = self._cmaps
        compressed = cmaps.get(key)
        if compressed is None:
            compressed = PDFZCompress.encode(_to_unicode_cmap(name, subset))
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


def subset_tag(doc: PDFDocument, face_name: str, subset: list[int]) -> str:
    """The six capital letters before a subset's face name, unique in the document as the
    PDF specification asks (reportlab numbers the subsets of each face from ``AAAAAA``,
    so every face's first subset had the same tag). Taken from a hash of the face name
    and its characters, so the same subset always gets the same tag; another subset
    that hashes to a tag already taken in the document hashes again."""
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
