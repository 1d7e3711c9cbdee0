"""The PDF briefing, read back with pypdf: text under its sections, outline, links,
metadata, page numbers, determinism, text as data, and any valid episode.
Fonts and glyphs are in test_fonts.py."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from hypothesis import given
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from briefing import __version__
from briefing.formats import Exporter
from briefing.labels import labels_for
from briefing.model import Episode
from briefing.pipeline import default_context
from briefing.sections import present_sections
from briefing.values import format_timestamp
from exporters.pdf import PdfExporter
from exporters.pdf.blocks import tables
from exporters.pdf.styles import styles_for
from styles import Theme
from tests import readback
from tests.episodes import episodes, expected_texts, expected_times, make_episode, squash
from tests.exporters.pdf.reading import page_texts, read, render

HOSTILE = {
    "title": '<b>Bold</b> & AT&T 0.1 < x <font face="Helvetica">f</font>',
    "category": "=SUM(1)",
    "speakers": ["<i>Anon</i>"],
    "takeaways": ["&nbsp; stays &amp; literal", "<br/> is text\nand this is a new line"],
    "claims": [
        {
            "at": "01:00",
            "kind": "<a href='javascript:alert(1)'>x</a>",
            "claim": '<a href="https://evil.example/">a link?</a>',
            "evidence": "</para></font> closes nothing",
        }
    ],
}


def section_texts(text: str, episode: Episode) -> dict[str, str]:
    """Text of each section: from its heading line to the next section's heading.

    Headings are found from the end, so the same words earlier in the document (the
    timeline's lane labels, the at-a-glance links) are not taken for a heading."""
    labels = labels_for(episode.language)
    lines = text.split("\n")
    keys = present_sections(episode)
    sections: dict[str, str] = {}
    end = len(lines)
    for key in reversed(keys):
        title = getattr(labels, key)
        start = max(i for i, line in enumerate(lines[:end]) if line.strip() == title)
        sections[key] = squash(" ".join(lines[start + 1 : end]))
        end = start
    sections["front"] = squash(" ".join(lines[:end]))
    return sections


@pytest.fixture(scope="module")
def seed_pdf(seed_episode, default_theme) -> bytes:
    return render(seed_episode, default_theme)


def test_is_an_exporter():
    exporter = PdfExporter()
    assert isinstance(exporter, Exporter)
    assert (exporter.name, exporter.suffix, exporter.media_type) == (
        "pdf",
        "pdf",
        "application/pdf",
    )


def test_every_seed_item_is_under_its_section(seed_episode, seed_pdf):
    text = "\n".join(page_texts(read(seed_pdf)))
    sections = section_texts(text, seed_episode)
    for where, expected in expected_texts(seed_episode):
        section = where if where in sections else "front"
        assert squash(expected) in sections[section], (where, expected)
    body = squash(text)
    for time in expected_times(seed_episode):
        assert time in body
    assert "146 min" in sections["front"] and "中文" in sections["front"]


def test_outline_has_every_part_in_order_and_points_at_its_heading(seed_episode, seed_pdf):
    reader = read(seed_pdf)
    labels = labels_for("en")
    titles = [item.title for item in reader.outline]
    sections = [getattr(labels, key) for key in present_sections(seed_episode)]
    assert titles == [labels.at_a_glance, labels.timeline, *sections]
    texts = page_texts(reader)
    for item in reader.outline[1:]:
        page = reader.get_destination_page_number(item)
        assert item.title in texts[page].split("\n"), item.title


def test_metadata(seed_episode, seed_pdf):
    info = read(seed_pdf).metadata
    assert info.title == seed_episode.title
    assert info.author == "Andrej Karpathy, Dwarkesh Patel"
    assert info.subject == "Expert Interviews · 146 min"
    assert info.get("/Keywords") == ", ".join(seed_episode.topics)
    assert info.creator == f"briefing {__version__}"
    stamp = default_context(seed_episode).date.strftime("D:%Y%m%d%H%M%S")
    assert info.get("/CreationDate").startswith(stamp)
    assert info.get("/ModDate") == info.get("/CreationDate")


def test_every_page_says_page_n_of_m(seed_pdf):
    reader = read(seed_pdf)
    total = len(reader.pages)
    assert 3 <= total <= 8
    for number, text in enumerate(page_texts(reader), start=1):
        assert f"Page {number} of {total}" in text
        assert "Dwarkesh + Andrej Karpathy: Summoning Ghosts" in text


def _links(reader: PdfReader) -> list[DictionaryObject]:
    return [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object()["/Subtype"] == "/Link"
    ]


def _target(reader: PdfReader, destination) -> tuple[int, float]:
    page = next(i for i, p in enumerate(reader.pages) if p.indirect_reference == destination[0])
    return page, round(float(destination[3]), 1)


def test_at_a_glance_links_resolve_to_the_section_headings(seed_pdf):
    reader = read(seed_pdf)
    headings = {
        _target(reader, [item.page, None, item.left, item.top]): item.title
        for item in reader.outline
    }
    links = _links(reader)
    assert links and all("/Dest" in link for link in links)
    reached = {headings[_target(reader, link["/Dest"])] for link in links}
    assert reached == {
        "Segments",
        "Claims",
        "Predictions",
        "Notable quotes",
        "Facts and figures",
        "Takeaways",
    }


def test_renders_are_byte_identical(seed_episode, default_theme, print_theme, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert render(seed_episode, default_theme) == render(seed_episode, default_theme)
    assert render(seed_episode, print_theme) == render(seed_episode, print_theme)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = render(seed_episode, default_theme)
    assert first == render(seed_episode, default_theme)
    created = read(first).metadata.get("/CreationDate")
    assert created.startswith(datetime.fromtimestamp(1700000000, UTC).strftime("D:%Y%m%d%H%M%S"))


def test_renders_are_identical_across_processes(seed_episode, default_theme, tmp_path):
    script = (
        "import sys; from pathlib import Path; from briefing.source import load_episode; "
        "from briefing.labels import ENGLISH; from styles import load_theme; "
        "from exporters.pdf import PdfExporter; "
        "from briefing.pipeline import default_context; "
        "episode = load_episode(Path(sys.argv[1])); "
        "sys.stdout.buffer.write(PdfExporter().render(episode, "
        "load_theme('default'), ENGLISH, default_context(episode)))"
    )
    source = tmp_path / "episode.json"
    source.write_text(seed_episode.model_dump_json(), encoding="utf-8")
    other = subprocess.run(
        [sys.executable, "-c", script, str(source)], capture_output=True, check=True
    )
    assert other.stdout == render(seed_episode, default_theme)


def test_text_that_looks_like_markup_is_shown_literally(default_theme, tmp_path):
    image = tmp_path / "secret.png"
    image.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    )
    data = dict(HOSTILE)
    data["technologies"] = [{"name": "<img/>", "description": f'<img src="{image}" width="90"/>'}]
    episode = make_episode(**data)
    reader = read(render(episode, default_theme))
    lines = [line.strip() for text in page_texts(reader) for line in text.split("\n")]
    # A long path may wrap anywhere, so compare without whitespace.
    flat = re.sub(r"\s+", "", "".join(lines))
    for _where, expected in expected_texts(episode):
        assert re.sub(r"\s+", "", expected) in flat, expected
    assert "<br/> is text" in lines and "and this is a new line" in lines
    links = _links(reader)
    assert all("/A" not in link and "/Dest" in link for link in links)
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        assert all(x.get_object()["/Subtype"] == "/Form" for x in xobjects.values())


def test_the_watch_link_is_the_only_external_link(default_theme):
    url = "https://example.org/watch?v=abc&t=1"
    reader = read(
        render(make_episode(watch_url=url, takeaways=["see https://evil.example"]), default_theme)
    )
    uris = [link["/A"]["/URI"] for link in _links(reader) if "/A" in link]
    assert uris == [url]
    assert "▶ Watch" in reader.pages[0].extract_text()


def test_long_words_and_urls_wrap_inside_the_page(default_theme):
    word = "Supercalifragilistic" * 30
    episode = make_episode(
        takeaways=[word], topics=["x" * 500], segments=[{"at": "00:00", "title": word}]
    )
    reader = read(render(episode, default_theme))
    text = re.sub(r"\s+", "", "".join(page_texts(reader)))
    assert text.count(word) >= 2 and "x" * 500 in text


def test_empty_sections_are_left_out(default_theme):
    episode = make_episode(takeaways=["Only this."])
    reader = read(render(episode, default_theme))
    assert [item.title for item in reader.outline] == ["At a glance", "Takeaways"]
    assert len(reader.pages) == 1


def _long_episode(count: int) -> Episode:
    return make_episode(
        duration_minutes=600,
        segments=[
            {"at": format_timestamp(i * 60), "title": f"Segment {i}", "summary": "A summary " * 6}
            for i in range(count)
        ],
        predictions=[
            {
                "at": format_timestamp(i * 60),
                "horizon": "10 years",
                "statement": "It will happen " * 4,
            }
            for i in range(count)
        ],
    )


def test_page_count_grows_linearly_with_items(default_theme):
    pages = {
        count: len(read(render(_long_episode(count), default_theme)).pages) for count in (150, 300)
    }
    assert 1.7 <= pages[300] / pages[150] <= 2.3
    reader = read(render(_long_episode(300), default_theme))
    headers = sum(
        "TimeHorizonYearsStatement" in text.replace("\n", "") for text in page_texts(reader)
    )
    assert headers >= 3  # the predictions table header repeats on every page it spans


def test_long_tables_are_set_as_several_with_every_row_in_order(default_theme, monkeypatch):
    monkeypatch.setattr("exporters.pdf.blocks.ROWS_PER_TABLE", 10)
    episode = _long_episode(35)
    styles = styles_for(default_theme, cjk=False)
    parts = tables([["Head"], *([f"row {i}"] for i in range(35))], [100], styles, header=True)
    assert [len(part._cellvalues) for part in parts] == [11, 11, 11, 6]
    assert all(part._cellvalues[0] == ["Head"] and part.repeatRows == 1 for part in parts)
    text = squash(" ".join(page_texts(read(render(episode, default_theme)))))
    positions = [text.index(f"Segment {i} ") for i in range(35)]
    assert positions == sorted(positions)
    assert text.count("It will happen") == 35 * 4


@given(episodes())
def test_any_valid_episode_renders_a_readable_pdf(episode):
    from styles import load_theme

    data = PdfExporter().render(
        episode, load_theme("default"), labels_for(episode.language), default_context(episode)
    )
    reader = read(data)
    labels = labels_for(episode.language)
    parts = [getattr(labels, key) for key in present_sections(episode)]
    assert [item.title for item in reader.outline][1:] == [
        *([labels.timeline] if episode.segments or episode.timed_items() else []),
        *parts,
    ]
    assert reader.metadata.title == episode.title
    texts = page_texts(reader)
    assert f"{len(texts)}" in texts[-1]


def test_listing_formats_does_not_import_reportlab():
    code = "import exporters.pdf, sys; print('reportlab' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    "paragraph",
    [
        " ".join(["word"] * 1500),
        " ".join(["使用 GPT-4 模型进行测试，结果 very good 很好。"] * 150),
        "中文没有空格的长句子" * 300,
    ],
    ids=["latin", "mixed", "chinese"],
)
def test_chinese_briefing_paragraph_split_across_pages_keeps_its_text(
    paragraph: str, default_theme: Theme
) -> None:
    """In a Chinese briefing, a paragraph that goes on over several pages reads back exactly:
    reportlab's CJK line breaking lost the spaces of Latin text in the part on the next
    page, so text without CJK characters is broken at spaces instead."""
    # Twice: at a glance a takeaway this long is cut, so the Takeaways section alone has
    # to go on over the pages.
    episode = make_episode(language="zh", takeaways=[paragraph, paragraph])
    text = readback.pdf_text(render(episode, default_theme, labels_for("zh")))
    assert text.count(readback.PAGE_BREAK) >= 3
    assert readback.shows("pdf", text, paragraph)
