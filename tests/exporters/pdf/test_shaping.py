"""Complex scripts in the PDF: the glyphs drawn are HarfBuzz's shaping of the text.

Each test renders an episode, reads the glyphs drawn in a face back from the page
content (the subset codes of its text operators) and compares their outlines with the
glyphs HarfBuzz gives for the same text and the same font file, shaped here on its
own, so joined Arabic and Devanagari conjuncts are checked as they are drawn. The text
layer is read back with pypdf and poppler, both through the ToUnicode maps."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from exporters.pdf import fonts, shaping
from tests.episodes import make_episode, squash
from tests.exporters.pdf.reading import page_texts, read, render
from tests.exporters.pdf.structure import read_tagged
from tests.exporters.pdf.test_tagging import check_structure

uharfbuzz = pytest.importorskip("uharfbuzz")

ARABIC_FILE = fonts._NOTO / "NotoSansArabic[wght].ttf"
DEVANAGARI_FILE = fonts._NOTO / "NotoSansDevanagari[wght].ttf"

Outline = tuple[tuple[tuple[int, int], ...], tuple[int, ...]]


def _outline(font: TTFont, name: str) -> Outline:
    glyf = font["glyf"]
    coordinates, ends, _flags = glyf[name].getCoordinates(glyf)
    return tuple(tuple(point) for point in coordinates), tuple(ends)


def harfbuzz_glyphs(path: Path, text: str) -> list[tuple[int, float, float]]:
    """The glyphs HarfBuzz gives for ``text`` in drawing order: id, and place (x from the
    word's start, y) in thousandths of the font size. Right to left, each cluster's
    glyphs are drawn from left to right (``exporters.pdf.shaping._placed``)."""
    font = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path))))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(font, buffer, {})
    scale = 1000 / font.face.upem
    glyphs: list[tuple[int, int, float, float]] = []
    pen = 0
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        x, y = (pen + position.x_offset) * scale, position.y_offset * scale
        glyphs.append((info.cluster, info.codepoint, x, y))
        pen += position.x_advance
    if buffer.direction == "rtl":
        # Clusters stay in HarfBuzz's order, each one's glyphs sorted by their place.
        order = {cluster: number for number, (cluster, *_rest) in enumerate(glyphs)}
        glyphs.sort(key=lambda glyph: (order[glyph[0]], glyph[2]))
    return [(glyph, x, y) for _cluster, glyph, x, y in glyphs]


def harfbuzz_outlines(path: Path, text: str) -> list[Outline]:
    """The outlines of the glyphs HarfBuzz gives for ``text`` in drawing order."""
    original = TTFont(path)
    names = original.getGlyphOrder()
    return [_outline(original, names[glyph]) for glyph, _x, _y in harfbuzz_glyphs(path, text)]


def cmap_outlines(path: Path, text: str) -> list[Outline]:
    """The outlines of the characters of ``text`` one by one, as drawn unshaped."""
    original = TTFont(path)
    cmap = original.getBestCmap()
    return [_outline(original, cmap[ord(char)]) for char in text]


def drawn_outlines(data: bytes, face: str) -> list[Outline]:
    """The outlines of the glyphs drawn in ``face`` (a font file's stem), page by page in
    content order."""
    pdf = pikepdf.open(io.BytesIO(data))
    result: list[Outline] = []
    for page in pdf.pages:
        fonts_of_page = page.Resources.get("/Font", {})
        subsets = {}
        for key in fonts_of_page:
            font = fonts_of_page[key]
            if face.replace("[wght]", "") in str(font.BaseFont).replace("-", ""):
                program = TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
                subsets[key] = (program, program["cmap"].tables[0].cmap)
        current = None
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "Tf":
                current = subsets.get(str(operands[0]))
            elif str(operator) in {"Tj", "TJ"} and current is not None:
                program, cmap = current
                strings = operands[0] if str(operator) == "TJ" else operands
                for item in strings:
                    if isinstance(item, pikepdf.String):
                        result.extend(_outline(program, cmap[code]) for code in bytes(item))
    return result


def _render(text: str, default_theme) -> bytes:
    return render(make_episode(takeaways=[text]), default_theme)


@pytest.mark.parametrize(
    ("face", "word"),
    [
        pytest.param(ARABIC_FILE, "بالعالم", id="arabic-joined"),
        pytest.param(ARABIC_FILE, "عَلَيْكُم", id="arabic-with-marks"),
        pytest.param(DEVANAGARI_FILE, "क्षत्रिय", id="devanagari-conjuncts"),
        pytest.param(DEVANAGARI_FILE, "स्त्री", id="devanagari-three-consonants"),
        pytest.param(fonts._NOTO / "NotoSansBengali[wght].ttf", "ক্ষমা", id="bengali"),
        pytest.param(fonts._NOTO / "NotoSansTamil[wght].ttf", "ஸ்ரீ", id="tamil"),
        pytest.param(fonts._NOTO / "NotoSansThai[wght].ttf", "น้ำที่", id="thai-marks"),
    ],
)
def test_drawn_glyphs_are_harfbuzz_shaping_of_the_text(face, word, default_theme):
    expected = harfbuzz_outlines(face, word)
    # Shaping changes these words: joined forms, conjuncts, a vowel sign moved.
    assert expected != cmap_outlines(face, word)
    drawn = drawn_outlines(_render(f"Word: {word}", default_theme), face.stem)
    # The takeaway is drawn twice: at a glance and in its section.
    assert drawn == expected * 2


def test_a_passage_of_words_is_shaped_word_by_word_in_drawing_order(default_theme):
    words = ["مرحبا", "بالعالم"]
    space = cmap_outlines(ARABIC_FILE, " ")
    # Right to left: the last word is drawn first.
    expected = [*harfbuzz_outlines(ARABIC_FILE, words[1]), *space]
    expected += harfbuzz_outlines(ARABIC_FILE, words[0])
    drawn = drawn_outlines(_render(f"Salam: {' '.join(words)}.", default_theme), "NotoSansArabic")
    assert drawn == expected * 2


TEXT = "Arabic: مرحبا بالعالم، السلام عليكم. Hindi: क्षत्रिय नमस्ते स्त्री हिन्दी."


@pytest.fixture(scope="module")
def shaped_pdf(default_theme) -> bytes:
    return _render(TEXT, default_theme)


def test_pypdf_reads_the_logical_text(shaped_pdf):
    text = page_texts(read(shaped_pdf))[0].replace("\n", " ")
    # pypdf puts the full stop after a right-to-left passage before the space that
    # follows it (as it does for unshaped text): the rest is exact.
    assert "Arabic: مرحبا بالعالم، السلام عليكم" in text
    assert "Hindi: क्षत्रिय नमस्ते स्त्री हिन्दी." in text


def test_poppler_reads_the_logical_text(shaped_pdf):
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=shaped_pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    # Poppler puts right-to-left passages in an order of its own, so the Arabic words
    # are checked one by one.
    assert "Hindi: क्षत्रिय नमस्ते स्त्री हिन्दी." in out
    for word in ("مرحبا", "بالعالم", "السلام", "عليكم"):
        assert word in out


def test_poppler_reads_every_word_from_the_structure(shaped_pdf, tmp_path):
    path = tmp_path / "shaped.pdf"
    path.write_bytes(shaped_pdf)
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, check=True, text=True
    ).stdout
    assert "Hindi: क्षत्रिय नमस्ते स्त्री हिन्दी." in out


def test_shaped_text_is_tagged(shaped_pdf):
    tagged = read_tagged(shaped_pdf)
    check_structure(tagged)
    paragraphs = [tagged.text_of(node) for node in tagged.root.walk() if node.role == "LBody"]
    assert any("क्षत्रिय नमस्ते स्त्री हिन्दी" in text for text in paragraphs)


def test_the_same_bytes_whatever_was_shaped_before(shaped_pdf, default_theme):
    # Glyph characters are numbered in the order the process first shapes them; the
    # PDF must not depend on that.
    _render("Other words first: سلام دنیا, हिन्दी भाषा, ภาษาไทย.", default_theme)
    assert _render(TEXT, default_theme) == shaped_pdf


def test_the_same_bytes_in_a_process_that_shaped_other_words_first(shaped_pdf):
    # Another process numbers its glyph characters in another order: the subsets' tags
    # and ToUnicode maps (and the keys they are kept by) must not show it.
    script = (
        "import sys; from styles import load_theme; from tests.episodes import make_episode; "
        "from tests.exporters.pdf.reading import render; theme = load_theme('default'); "
        "render(make_episode(takeaways=[sys.argv[1]]), theme); "
        "sys.stdout.buffer.write(render(make_episode(takeaways=[sys.argv[2]]), theme))"
    )
    other = subprocess.run(
        [sys.executable, "-c", script, "سلام دنیا, हिन्दी भाषा, स्त्री बालक", TEXT],
        capture_output=True,
        check=True,
        cwd=Path(__file__).parents[3],
    )
    assert other.stdout == shaped_pdf


def test_text_that_needs_no_shaping_is_left_as_it_is():
    face = fonts.face("Fira Sans")
    for text in ("Latin, Ελληνικά, кириллица", "中文", "שלום עולם", "3 → 4"):
        assert shaping.shaped(face, text) == text
    assert shaping.shaped(fonts._load(ARABIC_FILE), "بالعالم") != "بالعالم"


def test_without_harfbuzz_the_text_is_drawn_unshaped(default_theme, monkeypatch):
    monkeypatch.setattr(shaping, "uharfbuzz", None)
    data = _render("Word: क्षत्रिय", default_theme)
    assert (
        drawn_outlines(data, DEVANAGARI_FILE.stem) == cmap_outlines(DEVANAGARI_FILE, "क्षत्रिय") * 2
    )
    assert "Word: क्षत्रिय" in page_texts(read(data))[0]


def test_arabic_marks_read_back_on_their_letters(default_theme):
    # Each mark's glyph carries no text of its own: its letter's glyph gives both, so
    # pypdf reads them in order (unshaped, it put each mark one letter early).
    data = _render("Word: عَلَيْكُم and السلام", default_theme)
    assert "Word: عَلَيْكُم and السلام" in page_texts(read(data))[0]


def test_a_character_no_face_has_is_never_shaped_into_a_box():
    # U+0894 is not assigned: it is drawn as the stand-in face's replacement glyph,
    # which HarfBuzz, reading that face's own cmap, would make the .notdef box.
    pieces = fonts.runs("ب\u0894ب", fonts.face("Fira Sans"))
    stand_in = [run for run in pieces if "\u0894" in run.text]
    assert [run.text for run in stand_in] == ["\u0894"]
    assert shaping.shaped(stand_in[0].font, "\u0894") == "\u0894"


def test_right_to_left_lines_are_chosen_with_shaped_widths(default_theme):
    # Joined, a tatweel-drawn word is wider than its letters drawn apart: lines chosen
    # with the unshaped widths overflowed, reportlab broke them again after bidi had
    # ordered them, and the words came back out of order.
    words = ["ـمت", "ـأـئ", "ـؤـي", "سلام"]
    text = " ".join(words[number % len(words)] for number in range(400))
    data = _render(text, default_theme)
    assert text in squash(" ".join(page_texts(read(data))))


def drawn_places(data: bytes, face: str) -> list[tuple[Outline, float, float]]:
    """The glyphs drawn in ``face`` on the first page, each with its place in thousandths
    of the font size: x from where the face's run starts (the pen moved by the PDF
    widths and ``TJ`` adjustments), y its rise."""
    pdf = pikepdf.open(io.BytesIO(data))
    page = pdf.pages[0]
    fonts_of_page = page.Resources.get("/Font", {})
    result: list[tuple[Outline, float, float]] = []
    widths: list[float] = []
    program = cmap = None
    x = start = rise = size = 0.0
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "Tm":
            x = float(operands[4])
        elif name == "Ts":
            rise = float(operands[0])
        elif name == "Tf":
            font = fonts_of_page[str(operands[0])]
            size, start = float(operands[1]), x
            widths = [float(width) for width in font.Widths]
            ours = face.replace("[wght]", "") in str(font.BaseFont).replace("-", "")
            program = (
                TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes())) if ours else None
            )
            cmap = program["cmap"].tables[0].cmap if program is not None else None
        elif name in {"Tj", "TJ"}:
            for item in operands[0] if name == "TJ" else operands:
                if not isinstance(item, pikepdf.String):
                    x -= float(item) * size / 1000
                    continue
                for code in bytes(item):
                    if program is not None:
                        place = ((x - start) * 1000 / size, rise * 1000 / size)
                        result.append((_outline(program, cmap[code]), *place))
                    x += widths[code] * size / 1000
    return result


@pytest.mark.parametrize("word", ["\ufbe4", "م", "بِسْمِ", "اللَّهِ", "عَلَيْكُم"])
def test_right_to_left_glyphs_are_drawn_where_harfbuzz_places_them(word, default_theme):
    # Each cluster's glyphs are drawn from left to right and the PDF widths moved the pen
    # from one to the next: each glyph must still be where HarfBuzz puts it.
    original = TTFont(ARABIC_FILE)
    names = original.getGlyphOrder()
    expected = [
        (_outline(original, names[glyph]), round(x, 1), round(y, 1))
        for glyph, x, y in harfbuzz_glyphs(ARABIC_FILE, word)
    ]
    drawn = drawn_places(_render(f"Word: 0{word} end", default_theme), "NotoSansArabic")
    assert [(outline, round(x, 1), round(y, 1)) for outline, x, y in drawn] == expected * 2


@pytest.mark.parametrize("text", ["بِسْمِ اللَّهِ", "اللَّهِ", "عَلَيْكُم بِسْمِ"])
def test_pointed_arabic_after_latin_reads_back_as_written(text, default_theme):
    # pypdf takes a glyph's text of several characters for neither direction: the word's
    # leftmost cluster, read first after Latin, came out before the rest of the passage
    # (هِلَّبِسْمِ ال).
    data = _render(f"Word: {text} end", default_theme)
    assert f"Word: {text} end" in page_texts(read(data))[0]


@pytest.mark.parametrize("text", ["0\ufbe4", "2025م"])
def test_a_letter_after_a_digit_reads_back_without_a_space(text, default_theme, tmp_path):
    # Noto Sans Arabic draws the letter's dots first, with no advance and offset to the
    # right: a TJ move to the right that pypdf read as a space (0 ﯤ).
    data = _render(f"Quote: {text} end", default_theme)
    assert f"Quote: {text} end" in page_texts(read(data))[0]
    path = tmp_path / "quote.pdf"
    path.write_bytes(data)
    structure = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, check=True, text=True
    ).stdout
    assert f"Quote: {text} end" in structure
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    # pdftotext wraps the right-to-left run in embedding controls and moves the space
    # after it into it, but adds none.
    line = next(line for line in out.splitlines() if line.startswith("Quote:"))
    line = line.replace("\u202b", "").replace("\u202c", "")
    assert line.replace(" ", "") == f"Quote:{text}end"
    assert line.count(" ") == 2
