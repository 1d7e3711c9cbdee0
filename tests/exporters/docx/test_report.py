"""Word report read back with python-docx (and LibreOffice): content, structure, styles, bytes."""

from __future__ import annotations

import hashlib
import importlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import given
from lxml import etree
from pypdf import PdfReader

from briefing.labels import Labels, labels_for
from briefing.model import Episode
from briefing.pipeline import default_context
from briefing.sections import SECTION_ORDER, present_sections
from briefing.values import format_timestamp
from exporters.docx import DocxExporter
from exporters.docx.builder import column_widths
from exporters.docx.text import append_run
from styles import Theme, load_theme
from tests.episodes import episodes, expected_texts, expected_times, make_episode, squash

MASTHEAD = ("title", "category", "speakers")
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
OUR_FIELDS = {TOC_INSTRUCTION, "PAGE", "NUMPAGES"}
REL_ID = qn("r:id")


def render(episode: Episode, theme: Theme, labels: Labels) -> bytes:
    return DocxExporter().render(episode, theme, labels, default_context(episode))


def open_docx(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def row_text(table: Table) -> list[str]:
    return [" | ".join(cell.text for cell in row.cells) for row in table.rows]


def read_back(document: DocumentObject, labels: Labels) -> dict[str, list[str]]:
    """Text of every paragraph and table row, grouped by the Heading 1 it stands under."""
    names = {getattr(labels, key): key for key in SECTION_ORDER}
    sections: dict[str, list[str]] = defaultdict(list)
    current = "masthead"
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            sections[current].extend(row_text(block))
        elif block.style.name == "Heading 1":
            current = names[block.text]
        else:
            sections[current].append(block.text)
    return sections


def paragraphs_in(document: DocumentObject, style: str) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.style.name == style]


def instructions(document: DocumentObject) -> list[str]:
    """Every field instruction in body, headers and footers, trimmed."""
    parts = [document.element.body]
    section = document.sections[0]
    for part in (section.header, section.footer, section.first_page_footer):
        parts.append(part._element)
    found = [node.text.strip() for part in parts for node in part.iter(qn("w:instrText"))]
    simple = [node for part in parts for node in part.iter(qn("w:fldSimple"))]
    return found + [node.get(qn("w:instr")) for node in simple]


def bookmarks(document: DocumentObject) -> dict[str, object]:
    """Bookmark name -> the paragraph element (``w:p``) it stands in."""
    found = {}
    for paragraph in document.paragraphs:
        for start in paragraph._p.iter(qn("w:bookmarkStart")):
            found[start.get(qn("w:name"))] = paragraph._p
    return found


def toc_entries(document: DocumentObject) -> list[tuple[str, str, str]]:
    """(style, anchor, text) of every link inside the TOC field's result."""
    entries = []
    inside = False
    for paragraph in document.paragraphs:
        for node in paragraph._p.iter(qn("w:instrText"), qn("w:fldChar"), qn("w:hyperlink")):
            if node.tag == qn("w:instrText") and node.text.strip().startswith("TOC "):
                inside = True
            elif node.tag == qn("w:fldChar") and node.get(qn("w:fldCharType")) == "end":
                inside = False
            elif node.tag == qn("w:hyperlink") and inside:
                text = "".join(t.text for t in node.iter(qn("w:t")))
                entries.append((paragraph.style.name, node.get(qn("w:anchor")), text))
    return entries


def headings(document: DocumentObject) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]


# -- content --------------------------------------------------------------------------


def test_every_seed_item_is_under_its_section(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    sections = read_back(open_docx(render(seed_episode, default_theme, labels)), labels)
    for where, text in expected_texts(seed_episode):
        section = "masthead" if where in MASTHEAD else where
        assert any(text in block for block in sections[section]), (where, text)
    everything = "\n".join("\n".join(blocks) for blocks in sections.values())
    for stamp in expected_times(seed_episode):
        assert stamp in everything


def test_every_timestamp_names_its_segment(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    sections = read_back(open_docx(render(seed_episode, default_theme, labels)), labels)
    blocks = [block for key in SECTION_ORDER for block in sections[key]]
    for _name, _index, item in seed_episode.timed_items():
        assert item.segment is not None
        stamp = format_timestamp(item.at)
        assert any(stamp in b and item.segment.title in b for b in blocks), (stamp, item)


def test_headings_and_their_styles(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    document = open_docx(render(seed_episode, default_theme, labels))
    level_one = [p.text for p in paragraphs_in(document, "Heading 1")]
    assert level_one == [getattr(labels, key) for key in present_sections(seed_episode)]
    level_two = [p.text for p in paragraphs_in(document, "Heading 2")]
    segment_headings = [f"{format_timestamp(s.at)} · {s.title}" for s in seed_episode.segments]
    assert level_two == [
        *segment_headings,
        "Bottleneck",
        "Memory",
        labels.prices,
        labels.companies,
        labels.topics,
    ]
    assert [p.text for p in paragraphs_in(document, "Title")] == [seed_episode.title]
    assert [p.text for p in paragraphs_in(document, "Subtitle")] == [seed_episode.category]
    assert [p.text for p in paragraphs_in(document, "List Bullet")] == seed_episode.takeaways
    assert [p.text for p in paragraphs_in(document, "Quote")] == [
        quote.text for quote in seed_episode.quotes
    ]
    assert [p.text for p in paragraphs_in(document, "Claim")] == [
        claim.claim for claim in seed_episode.claims
    ]
    # Structure through styles: no run carries a hand-set font, size or colour.
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name is None and run.font.size is None
            assert run.font.color.rgb is None


def test_masthead_lines(seed_episode: Episode, default_theme: Theme, labels: Labels) -> None:
    document = open_docx(render(seed_episode, default_theme, labels))
    lines = [p.text for p in paragraphs_in(document, "Masthead")]
    assert lines == [
        "Duration\t146 min",
        "Speakers\tAndrej Karpathy · Dwarkesh Patel",
        "Language\tEnglish",
        "Translations\t中文",
    ]


def test_watch_link_is_the_one_external_link(default_theme: Theme, labels: Labels) -> None:
    episode = make_episode(watch_url="https://example.org/watch?v=a<b>&t=1")
    document = open_docx(render(episode, default_theme, labels))
    links = list(document.element.body.iter(qn("w:hyperlink")))
    assert len(links) == 1
    relationship = document.part.rels[links[0].get(REL_ID)]
    assert relationship.is_external
    assert relationship.target_ref == "https://example.org/watch?v=a%3Cb%3E&t=1"
    assert [p.text for p in paragraphs_in(document, "Masthead")][-1] == (
        "Watch\thttps://example.org/watch?v=a<b>&t=1"
    )


# -- table of contents ------------------------------------------------------------------


def test_toc_is_a_field_with_an_entry_linked_to_each_heading(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    document = open_docx(render(seed_episode, default_theme, labels))
    assert instructions(document).count(TOC_INSTRUCTION) == 1
    marks = bookmarks(document)
    entries = toc_entries(document)
    expected = headings(document)
    assert len(entries) == len(expected) == 14 + 8 + 5
    for (style, anchor, text), heading in zip(entries, expected, strict=True):
        assert marks[anchor] is heading._p
        assert text == heading.text
        level = heading.style.name[-1]
        assert style == f"toc {level}"
    contents = paragraphs_in(document, "TOC Heading")
    assert [p.text for p in contents] == [labels.contents]


def test_toc_field_is_well_formed(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    document = open_docx(render(seed_episode, default_theme, labels))
    body = document.element.body
    kinds = [node.get(qn("w:fldCharType")) for node in body.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    # The result is a list of entries, not an "update this field" placeholder.
    entries = toc_entries(document)
    assert entries[0][2] == labels.takeaways


def test_episode_without_sections_has_no_contents(default_theme: Theme, labels: Labels) -> None:
    document = open_docx(render(make_episode(), default_theme, labels))
    assert not headings(document)
    assert not paragraphs_in(document, "TOC Heading")
    assert TOC_INSTRUCTION not in instructions(document)
    assert [p.text for p in paragraphs_in(document, "Title")] == ["Tiny episode"]


# -- tables -----------------------------------------------------------------------------


def test_tables_repeat_their_header_and_keep_rows_whole(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    document = open_docx(render(seed_episode, default_theme, labels))
    tables = document.tables
    assert len(tables) == 4  # predictions, memory facts, prices, technologies
    text_width = document.sections[0].page_width - 2 * document.sections[0].left_margin
    for table in tables:
        assert table.style.name == "Briefing Table"
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        widths = [column.width for column in table.columns]
        assert abs(sum(widths) - text_width) < text_width * 0.01
        assert [p.style.name for p in table.rows[0].cells[0].paragraphs] == ["Table Heading"]


def test_predictions_table(seed_episode: Episode, default_theme: Theme, labels: Labels) -> None:
    document = open_docx(render(seed_episode, default_theme, labels))
    predictions = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in predictions.rows]
    assert rows[0] == ["Time", "Segment", "Horizon", "Years", "Class", "Statement"]
    assert rows[1][:5] == ["01:35", "The Decade of Agents", "10 years", "10", "long"]
    assert rows[2][:5] == ["01:05:43", "AI in Education", "Near future", "", "near"]
    assert rows[3][:5] == ["01:11:00", "AI in Education", "Long term", "", "long"]
    assert [row[5] for row in rows[1:]] == [p.statement for p in seed_episode.predictions]
    widths = [column.width for column in predictions.columns]
    assert max(widths) == widths[5]  # the statement gets the room


def test_column_widths_fit_content() -> None:
    widths = column_widths(["Time", "Statement"], [["01:05:43", "a long statement " * 10]], 170, 9)
    assert abs(sum(widths) - 170 * 36000) < 36000
    # room for the time, the rest to the statement
    assert 15 * 36000 < widths[0] < 30 * 36000
    squeezed = column_widths(["A"] * 12, [["wordwordword"] * 12], 100, 9)
    assert abs(sum(squeezed) - 100 * 36000) < 36000


# -- metadata, languages, themes --------------------------------------------------------


def test_core_properties(seed_episode: Episode, default_theme: Theme, labels: Labels) -> None:
    properties = open_docx(render(seed_episode, default_theme, labels)).core_properties
    assert properties.title == seed_episode.title
    assert properties.author == "Andrej Karpathy; Dwarkesh Patel"
    assert properties.subject == "Expert Interviews"
    assert properties.keywords == "; ".join(seed_episode.topics)
    assert properties.language == "en"
    assert properties.identifier == "summoning-ghosts"
    assert properties.last_modified_by == "briefing"
    assert properties.revision == 1
    assert properties.created == properties.modified == default_context(seed_episode).date


def test_source_date_epoch_sets_every_date(
    seed_episode: Episode, default_theme: Theme, labels: Labels, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = render(seed_episode, default_theme, labels)
    assert data == render(seed_episode, default_theme, labels)
    when = datetime.fromtimestamp(1700000000, tz=UTC)
    properties = open_docx(data).core_properties
    assert properties.created == properties.modified == when
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert stamps == {(2023, 11, 14, 22, 13, 20)}


def test_renders_are_byte_identical(
    seed_episode: Episode, default_theme: Theme, print_theme: Theme, labels: Labels
) -> None:
    first = render(seed_episode, default_theme, labels)
    render(seed_episode, print_theme, labels)  # another theme in between changes nothing
    assert render(seed_episode, default_theme, labels) == first


def test_same_bytes_in_another_process(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    probe = (
        "import sys, hashlib; from pathlib import Path; from briefing.source import load_episode;"
        "from briefing.labels import ENGLISH; from styles import load_theme;"
        "from exporters.docx import DocxExporter;"
        "from briefing.pipeline import default_context;"
        "episode = load_episode(Path(sys.argv[1]));"
        "data = DocxExporter().render(episode, load_theme(), ENGLISH, default_context(episode));"
        "print(hashlib.sha256(data).hexdigest())"
    )
    seed = Path(__file__).resolve().parents[3] / "data" / "episodes" / "summoning-ghosts.json"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", probe, str(seed)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    here = hashlib.sha256(render(seed_episode, default_theme, labels)).hexdigest()
    assert result.stdout.strip() == here


def test_package_holds_only_current_parts(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    names = zipfile.ZipFile(io.BytesIO(render(seed_episode, default_theme, labels))).namelist()
    assert "word/document.xml" in names and "docProps/core.xml" in names
    # The template's thumbnail, Word 2010 style copy and app statistics describe another file.
    assert not {"docProps/thumbnail.jpeg", "word/stylesWithEffects.xml", "docProps/app.xml"} & (
        set(names)
    )


def test_long_title_is_cut_for_properties_and_header(default_theme: Theme, labels: Labels) -> None:
    title = "A title that keeps going " * 20
    document = open_docx(render(make_episode(title=title), default_theme, labels))
    assert [p.text for p in paragraphs_in(document, "Title")] == [title.strip()]
    cut_title = document.core_properties.title
    assert len(cut_title) <= 255 and cut_title.endswith("…")
    assert title.startswith(cut_title[:-1]) and title[len(cut_title) - 1] == " "  # at a word
    header = document.sections[0].header.paragraphs[0].text
    assert len(header) <= 90 and header.endswith("…")


def test_header_and_footer(seed_episode: Episode, default_theme: Theme, labels: Labels) -> None:
    document = open_docx(render(seed_episode, default_theme, labels))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == seed_episode.title
    assert section.different_first_page_header_footer
    for footer in (section.footer, section.first_page_footer):
        paragraph = footer.paragraphs[0]
        fields = [node.text.strip() for node in paragraph._p.iter(qn("w:instrText"))]
        assert fields == ["PAGE", "NUMPAGES"]
        assert paragraph.text == "Page 1 of 1"  # cached results, replaced by Word and LibreOffice


def _rfonts(element: object) -> dict[str, str]:
    fonts = element.find(f".//{qn('w:rFonts')}")
    return {key.split("}")[1]: value for key, value in fonts.attrib.items()}


def test_theme_fonts_and_colours_on_styles(
    seed_episode: Episode, default_theme: Theme, print_theme: Theme, labels: Labels
) -> None:
    for theme in (default_theme, print_theme):
        document = open_docx(render(seed_episode, theme, labels))
        styles = document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        assert _rfonts(defaults) == {
            "ascii": theme.fonts.body,
            "hAnsi": theme.fonts.body,
            "cs": theme.fonts.body,
            "eastAsia": theme.fonts.cjk,
        }
        for name in ("Title", "Heading 1", "Heading 2"):
            fonts = _rfonts(styles[name].element)
            assert fonts["ascii"] == theme.fonts.heading
            assert fonts["eastAsia"] == theme.fonts.cjk
            assert str(styles[name].font.color.rgb) == theme.colours.heading.lstrip("#").upper()
        # No theme font or colour left to override the theme file.
        xml = styles.element.xml
        assert "asciiTheme" not in xml and "themeColor" not in xml
    letter = open_docx(render(seed_episode, print_theme, labels)).sections[0]
    assert round(letter.page_width.mm, 1) == 215.9


def test_chinese_episode(default_theme: Theme, zh_labels: Labels) -> None:
    episode = make_episode(
        title="召唤幽灵",
        language="zh",
        takeaways=["完全自主的 AI 智能体可能需要十年。"],
        quotes=[{"text": "我们不是在造动物。", "speaker": "Andrej Karpathy", "at": "09:24"}],
        segments=[{"at": "00:00", "title": "开场"}],
    )
    document = open_docx(render(episode, default_theme, zh_labels))
    assert [p.text for p in paragraphs_in(document, "Heading 1")] == ["要点", "章节", "精彩引语"]
    lang = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "zh" and lang.get(qn("w:eastAsia")) == "zh-CN"
    assert document.styles["Quote"].font.italic is None  # CJK is not slanted
    assert document.sections[0].footer.paragraphs[0].text == "第 1 页，共 1 页"
    assert document.core_properties.language == "zh"
    sources = [p.text for p in paragraphs_in(document, "Quote Source")]
    assert sources == ["— Andrej Karpathy · 09:24 · 开场"]


def test_english_episode_language(default_theme: Theme, labels: Labels) -> None:
    document = open_docx(render(make_episode(language="de"), default_theme, labels))
    lang = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "de" and lang.get(qn("w:eastAsia")) is None
    assert document.styles["Quote"].font.italic is True


EAST_ASIAN_EPISODES = {
    "zh": ("召唤幽灵", "从零开始构建模型对于深入理解至关重要。"),
    "zh-TW": ("召喚幽靈", "從零開始構建模型對於深入理解至關重要。"),
    "ja": ("幽霊を呼び出す", "ゼロからモデルを作ることが、深い理解につながる。"),
    "ko": ("유령을 불러내다", "모델을 처음부터 만드는 것이 깊은 이해로 이어진다."),
}


def east_asian_episode(language: str) -> Episode:
    title, takeaway = EAST_ASIAN_EPISODES[language]
    return make_episode(
        id=f"east-asian-{language.lower()}",
        title=title,
        language=language,
        takeaways=[takeaway],
        segments=[{"at": "00:00", "title": title, "summary": takeaway}],
    )


def east_asian_fonts_and_language(data: bytes) -> tuple[set[str], set[str | None]]:
    """Every East Asian font ``styles.xml`` names, and the East Asian language of its
    document defaults, read with lxml from the package (not through python-docx)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    fonts = {node.get(qn("w:eastAsia")) for node in styles.iter(qn("w:rFonts"))}
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    languages = {node.get(qn("w:eastAsia")) for node in defaults.iter(qn("w:lang"))}
    return fonts - {None}, languages


@pytest.mark.parametrize(
    ("language", "tag", "font"),
    [
        ("zh", "zh-CN", "Microsoft YaHei"),
        ("zh-TW", "zh-TW", "Microsoft JhengHei"),
        ("ja", "ja-JP", "Yu Gothic"),
        ("ko", "ko-KR", "Malgun Gothic"),
    ],
)
def test_the_east_asian_font_and_language_follow_the_episode(
    default_theme: Theme, labels: Labels, language: str, tag: str, font: str
) -> None:
    episode = east_asian_episode(language)
    data = render(episode, default_theme, labels)
    assert east_asian_fonts_and_language(data) == ({font}, {tag})
    document = open_docx(data)
    assert _rfonts(document.styles["Heading 1"].element)["eastAsia"] == font
    assert _rfonts(document.styles["Heading 1"].element)["ascii"] == default_theme.fonts.heading
    assert [p.text for p in paragraphs_in(document, "Title")] == [episode.title]


def test_the_east_asian_language_is_the_episodes_then_the_labels(
    default_theme: Theme, labels: Labels, zh_labels: Labels
) -> None:
    # Chinese headings over an English episode: the labels decide.
    chinese_labels = render(make_episode(language="en"), default_theme, zh_labels)
    assert east_asian_fonts_and_language(chinese_labels) == ({"Microsoft YaHei"}, {"zh-CN"})
    # A Japanese episode under Chinese labels: the episode's language wins.
    japanese = render(east_asian_episode("ja"), default_theme, zh_labels)
    assert east_asian_fonts_and_language(japanese) == ({"Yu Gothic"}, {"ja-JP"})
    # Neither: the theme's CJK face, and no East Asian language.
    german = render(make_episode(language="de"), default_theme, labels)
    assert east_asian_fonts_and_language(german) == ({default_theme.fonts.cjk}, {None})


def test_a_theme_names_its_own_east_asian_fonts(tmp_path: Path, labels: Labels) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text('extends = "print"\n[fonts.east_asian]\nja = "Meiryo"\n', encoding="utf-8")
    theme = load_theme(str(mine))
    japanese = render(east_asian_episode("ja"), theme, labels)
    assert east_asian_fonts_and_language(japanese) == ({"Meiryo"}, {"ja-JP"})
    korean = render(east_asian_episode("ko"), theme, labels)  # the rest is inherited
    assert east_asian_fonts_and_language(korean) == ({"Malgun Gothic"}, {"ko-KR"})


# -- text is data -----------------------------------------------------------------------

HOSTILE = [
    "0.1 < x < 0.9 & AT&T &amp; &#65;",
    '<w:fldChar w:fldCharType="begin"/> </w:t></w:r>',
    '{ HYPERLINK "http://example.org" } { PAGE } { INCLUDETEXT "c:\\\\x" }',
    "=SUM(A1:A2)",
    "tab\there\tand\tthere",
    "two\nlines\n\nand a blank",
    "a" * 3000,
    "emoji 🐳🤗 flags 🇺🇦 zwj 👩‍👩‍👧 中文 العربية עברית",
    "  inner  spaces  ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_is_data(text: str, default_theme: Theme, labels: Labels) -> None:
    episode = make_episode(
        title=text,
        takeaways=[text],
        segments=[{"at": "00:00", "title": text, "summary": text}],
        predictions=[{"at": "00:01", "statement": text, "horizon": text}],
        quotes=[{"text": text, "speaker": text}],
    )
    document = open_docx(render(episode, default_theme, labels))
    stored = episode.takeaways[0]
    assert [p.text for p in paragraphs_in(document, "List Bullet")] == [stored]
    assert [p.text for p in paragraphs_in(document, "Quote")] == [stored]
    assert document.tables[0].rows[1].cells[5].text == stored
    assert paragraphs_in(document, "Heading 2")[0].text == f"00:00 · {stored}"
    assert set(instructions(document)) == OUR_FIELDS
    marks = bookmarks(document)
    for link in document.element.body.iter(qn("w:hyperlink")):
        assert link.get(qn("w:anchor")) in marks


@pytest.mark.parametrize("text", [*HOSTILE, " lead", "trail ", "\t", "a\r\nb", "x\n\n"])
def test_runs_are_written_as_python_docx_writes_them(text: str) -> None:
    document = Document()
    ours = document.add_paragraph()
    append_run(ours._p, text)
    theirs = document.add_paragraph()
    theirs.add_run(text)
    assert ours.text == theirs.text
    assert ours._p.xml == theirs._p.xml


# -- any episode ------------------------------------------------------------------------


@given(episodes())
def test_any_valid_episode_gives_a_document_with_all_its_text(episode: Episode) -> None:
    labels = labels_for(episode.language)
    document = open_docx(
        DocxExporter().render(episode, load_theme(), labels, default_context(episode))
    )
    sections = read_back(document, labels)
    everything = "\n".join("\n".join(blocks) for blocks in sections.values())
    for _where, text in expected_texts(episode):
        assert text in everything
    marks = bookmarks(document)
    entries = toc_entries(document)
    heading_elements = [heading._p for heading in headings(document)]
    assert [marks[anchor] for _style, anchor, _text in entries] == heading_elements
    assert set(instructions(document)) <= OUR_FIELDS
    for link in document.element.body.iter(qn("w:hyperlink")):
        target = link.get(REL_ID)
        if target is None:
            assert link.get(qn("w:anchor")) in marks
        else:
            assert document.part.rels[target].target_ref.startswith("https://example.org/")


def test_listing_formats_does_not_import_python_docx() -> None:
    probe = "import sys, exporters.docx; print('docx' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# -- LibreOffice ------------------------------------------------------------------------


def _without_spaces(text: str) -> str:
    # LibreOffice wraps and hyphenates lines; compare text with all whitespace removed.
    return re.sub(r"\s+", "", text)


def _to_pdf(tmp_path: Path, sources: list[Path], env: dict[str, str] | None = None) -> None:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")


@pytest.mark.soffice
@needs_soffice
def test_libreoffice_opens_the_report(
    seed_episode: Episode, default_theme: Theme, labels: Labels, tmp_path: Path
) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(render(seed_episode, default_theme, labels))
    _to_pdf(tmp_path, [source])
    reader = PdfReader(tmp_path / "report.pdf")
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 4  # title page, contents, sections
    text = _without_spaces("\n".join(pages))
    for where, expected in expected_texts(seed_episode):
        assert _without_spaces(expected) in text, (where, expected)
    for stamp in expected_times(seed_episode):
        assert stamp in text
    assert f"Page1of{len(pages)}" in _without_spaces(pages[0])
    assert squash(labels.contents) in pages[1]


def _fonts_config(tmp_path: Path) -> Path:
    """A fontconfig file adding the theme's fonts (installed as Python packages) to the
    system's, as a reader who has the fonts would see the report."""
    folders = [
        Path(importlib.import_module(package).__file__).parent
        for package in ("fontpkg_fira_sans", "paperang_p2_fonts_cjk")
    ]
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        + "".join(f"<dir>{folder}</dir>" for folder in folders)
        + f"<cachedir>{tmp_path / 'font-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return config


@pytest.mark.soffice
@needs_soffice
def test_libreoffice_uses_the_theme_fonts_and_shows_chinese_japanese_and_korean(
    default_theme: Theme, zh_labels: Labels, tmp_path: Path
) -> None:
    episode = make_episode(
        title="召唤幽灵",
        language="zh",
        speakers=["Andrej Karpathy"],
        takeaways=["从零开始构建模型对于深入理解其工作原理至关重要。"],
        segments=[{"at": "00:00", "title": "开场", "summary": "预告片段与本期节目介绍。"}],
        quotes=[{"text": "我们不是在造动物。我们是在召唤幽灵。", "at": "00:10"}],
    )
    source = tmp_path / "zh.docx"
    source.write_bytes(render(episode, default_theme, zh_labels))
    # Japanese and Korean reports in the same run of LibreOffice (one start-up for all).
    others = {language: east_asian_episode(language) for language in ("ja", "ko")}
    for language, other in others.items():
        (tmp_path / f"{language}.docx").write_bytes(render(other, default_theme, zh_labels))
    env = {**os.environ, "FONTCONFIG_FILE": str(_fonts_config(tmp_path))}
    _to_pdf(tmp_path, [source, *(tmp_path / f"{language}.docx" for language in others)], env)
    for name, shown in [("zh", episode), *others.items()]:
        reader = PdfReader(tmp_path / f"{name}.pdf")
        text = _without_spaces("\n".join(page.extract_text() for page in reader.pages))
        for _where, expected in expected_texts(shown):
            assert _without_spaces(expected) in text, (name, expected)
        assert "要点" in text
        assert name != "zh" or "第1页，共3页" in text
        fonts = {
            font.get_object()["/BaseFont"].split("+")[-1]
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        # The report names Microsoft YaHei, Yu Gothic or Malgun Gothic; a machine without
        # them (this one) draws the text in a CJK face it has, here the theme's.
        assert any(name.startswith("WenQuanYi") for name in fonts), (name, fonts)
        assert any(name.startswith("FiraSans") for name in fonts), (name, fonts)
