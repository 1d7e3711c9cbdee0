"""Excel workbook read back with openpyxl (and LibreOffice): sheets, tables, typed cells, text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import xmlfile

from briefing.files import SpooledScratch
from briefing.formats import CombiningExporter, MemoryScratch
from briefing.labels import Labels
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.ooxml import reproducible_zip
from exporters.xlsx import XlsxExporter
from exporters.xlsx.rows import CellXml, RowText
from exporters.xlsx.stream import add_sheet, unique_headers
from exporters.xlsx.text import CELL_LIMIT, fit_to_cell, link_at, needs_quote_prefix
from styles import Theme
from tests.episodes import episodes, expected_texts, expected_times, make_episode

DATA_SHEETS = (
    "Claims",
    "Predictions",
    "Facts",
    "Segments",
    "Quotes",
    "Technologies",
    "Takeaways",
    "Topics & Companies",
)
SHEET_OF_SECTION = {
    "claims": "Claims",
    "predictions": "Predictions",
    "facts": "Facts",
    "segments": "Segments",
    "quotes": "Quotes",
    "technologies": "Technologies",
    "takeaways": "Takeaways",
    "companies_and_topics": "Topics & Companies",
}
WATCH = "https://example.org/watch?v=abc"


def render(episode: Episode, theme: Theme, labels: Labels) -> bytes:
    return XlsxExporter().render(episode, theme, labels, default_context(episode))


def open_book(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def table_of(sheet: Worksheet) -> tuple[list[str], list[list[object]]]:
    """The sheet's one table: its column names and its rows, read from its range."""
    (table,) = sheet.tables.values()
    rows = [[cell.value for cell in row] for row in sheet[table.ref]]
    assert rows[0] == table.column_names
    return table.column_names, rows[1:]


def records(sheet: Worksheet) -> list[dict[str, object]]:
    names, rows = table_of(sheet)
    return [dict(zip(names, row, strict=True)) for row in rows]


def strings(sheet: Worksheet) -> list[str]:
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.data_type == "s"]


@pytest.fixture(scope="module")
def seed_book(seed_episode: Episode, default_theme: Theme, labels: Labels) -> Workbook:
    return open_book(render(seed_episode, default_theme, labels))


# -- the bundled episode ------------------------------------------------------------------


def test_sheets_in_order(seed_book: Workbook) -> None:
    assert seed_book.sheetnames == ["Overview", *DATA_SHEETS]


def test_each_data_sheet_is_a_styled_table_over_exactly_its_rows(
    seed_book: Workbook, seed_episode: Episode, default_theme: Theme
) -> None:
    expected_rows = {
        "Claims": len(seed_episode.claims),
        "Predictions": len(seed_episode.predictions),
        "Facts": len(seed_episode.facts) + len(seed_episode.prices),
        "Segments": len(seed_episode.segments),
        "Quotes": len(seed_episode.quotes),
        "Technologies": len(seed_episode.technologies),
        "Takeaways": len(seed_episode.takeaways),
        "Topics & Companies": len(seed_episode.topics) + len(seed_episode.companies),
    }
    names = []
    for title in DATA_SHEETS:
        sheet = seed_book[title]
        (table,) = sheet.tables.values()
        names.append(table.displayName)
        last_column = sheet.cell(1, len(table.column_names)).column_letter
        assert table.ref == f"A1:{last_column}{expected_rows[title] + 1}"
        assert sheet.max_row == expected_rows[title] + 1
        assert table.autoFilter.ref == table.ref
        assert table.tableStyleInfo.name == default_theme.tables.xlsx_style
        assert table.tableStyleInfo.showRowStripes
        assert sheet.freeze_panes == "A2"
        assert [cell.value for cell in sheet[1]] == table.column_names
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name) for name in names)


def test_every_row_starts_with_the_episode(seed_book: Workbook, seed_episode: Episode) -> None:
    for title in DATA_SHEETS:
        _names, rows = table_of(seed_book[title])
        assert rows
        assert all(row[:2] == [seed_episode.id, seed_episode.title] for row in rows)


def test_every_item_is_on_its_sheet(seed_book: Workbook, seed_episode: Episode) -> None:
    overview = strings(seed_book["Overview"])
    for where, text in expected_texts(seed_episode):
        if where == "speakers":
            assert any(text in cell.split(" · ") for cell in overview), text
        elif where in ("title", "category"):
            assert text in overview, (where, text)
        else:
            assert text in strings(seed_book[SHEET_OF_SECTION[where]]), (where, text)


def test_times_are_durations_that_sort(seed_book: Workbook, seed_episode: Episode) -> None:
    shown = set()
    for title in ("Claims", "Predictions", "Facts", "Segments", "Quotes"):
        for row in records(seed_book[title]):
            time = row["Time"]
            assert isinstance(time, timedelta)  # a number with a duration format
            shown.add(int(time.total_seconds()))
        for cell in seed_book[title]["C"][1:]:
            assert cell.data_type == "d" and cell.number_format == "[h]:mm:ss"
    stamps = expected_times(seed_episode)
    seconds = {
        int(sum(int(part) * 60**i for i, part in enumerate(reversed(s.split(":"))))) for s in stamps
    }
    assert shown == seconds


def test_filter_predictions_by_horizon_class(
    seed_book: Workbook, seed_episode: Episode, labels: Labels
) -> None:
    rows = records(seed_book["Predictions"])
    for horizon_class in ("near", "medium", "long", "unspecified"):
        chosen = [row["Statement"] for row in rows if row["Class"] == horizon_class]
        expected = [
            p.statement for p in seed_episode.predictions if p.horizon_class == horizon_class
        ]
        assert chosen == expected
    near = [row for row in rows if row["Class"] == labels.horizon_near]
    assert [row["Statement"] for row in near] == [
        "AI tutors will become the primary way people learn, offering perfect, personalized "
        "instruction."
    ]
    assert [(row["Horizon"], row["Years"]) for row in rows] == [
        (p.horizon, p.horizon_years) for p in seed_episode.predictions
    ]
    assert rows[0]["Years"] == 10 and rows[1]["Years"] is None


def test_facts_and_prices_are_typed(seed_book: Workbook, seed_episode: Episode) -> None:
    sheet = seed_book["Facts"]
    rows = records(sheet)
    facts = [row for row in rows if row["Kind"] == "Memory"]
    assert [(row["Value"], row["Number"], row["Unit"]) for row in facts] == [
        ("0.075 bits/token", 0.075, "bits/token"),
        ("320 kB (2.56 million bits) per token", 320, "kB per token"),
    ]
    (price,) = [row for row in rows if row["Kind"] == "Price"]
    assert (price["Statement / Item"], price["Value"], price["Amount"], price["Currency"]) == (
        "NanoGPT",
        "$100",
        100,
        "USD",
    )
    amount = sheet.cell(len(rows) + 1, 10)
    assert amount.data_type == "n" and amount.number_format == '"$"#,##0.00'
    number = sheet.cell(2, 8)
    assert number.data_type == "n" and number.value == 0.075


def test_segment_column_names_the_segment_of_each_item(
    seed_book: Workbook, seed_episode: Episode
) -> None:
    for title, items in (
        ("Claims", seed_episode.claims),
        ("Predictions", seed_episode.predictions),
        ("Quotes", seed_episode.quotes),
    ):
        segments = [row["Segment"] for row in records(seed_book[title])]
        assert segments == [item.segment.title if item.segment else None for item in items]
    assert records(seed_book["Claims"])[2]["Segment"] == "AI in Education"


def test_overview_details_counts_and_links(
    seed_book: Workbook, seed_episode: Episode, labels: Labels
) -> None:
    sheet = seed_book["Overview"]
    assert sheet["A1"].value == seed_episode.title
    details = {row[0].value: row[1] for row in sheet.iter_rows(min_row=3) if row[0].value}
    assert details[labels.episode_id].value == seed_episode.id
    assert details[labels.category].value == "Expert Interviews"
    assert details[labels.duration].value == 146
    assert details[labels.duration].number_format == '0 "min"'
    assert details[labels.speakers].value == "Andrej Karpathy · Dwarkesh Patel"
    assert details[labels.translations].value == "中文"
    links = {
        row[0].value: (row[0].hyperlink.location, row[1].value)
        for row in sheet.iter_rows()
        if row[0].hyperlink is not None
    }
    assert links == {
        labels.claims: ("'Claims'!A1", 3),
        labels.predictions: ("'Predictions'!A1", 3),
        labels.facts: ("'Facts'!A1", 3),
        labels.segments: ("'Segments'!A1", 14),
        labels.quotes: ("'Quotes'!A1", 3),
        labels.technologies: ("'Technologies'!A1", 4),
        labels.takeaways: ("'Takeaways'!A1", 5),
        labels.companies_and_topics: ("'Topics & Companies'!A1", 12),
    }


def test_columns_sized_to_content_capped_and_wrapped(seed_book: Workbook) -> None:
    sheet = seed_book["Claims"]
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    assert widths["Episode"] >= len("summoning-ghosts")
    assert widths["Claim"] == widths["Evidence"] == 48  # capped: the text is longer
    assert widths["Kind"] < 16
    assert sheet["F2"].alignment.wrap_text
    # A row of wrapped text gets a height for viewers that do not refit rows.
    assert sheet.row_dimensions[2].height > 15


def test_document_properties(seed_book: Workbook, seed_episode: Episode) -> None:
    properties = seed_book.properties
    assert properties.title == seed_episode.title
    assert properties.subject == "Expert Interviews"
    assert properties.keywords.split(", ")[:2] == ["AI Agents", "Reinforcement Learning"]
    assert "OpenAI" in properties.keywords
    assert properties.creator == "briefing 0.1.0"
    when = default_context(seed_episode).date.replace(tzinfo=None)
    assert properties.created == properties.modified == when


# -- text is data -------------------------------------------------------------------------

INJECTIONS = [
    "=SUM(1)",
    "=2+2",
    '=HYPERLINK("http://evil.example","click")',
    "+1",
    "-1",
    "@x",
    "=",
    "#N/A",
    "#REF!",
    "00123",
    "TRUE",
    "2024-01-01",
    "1e5",
    "12%",
    "<b>&amp;</b>",
]


def test_text_that_looks_like_a_formula_stays_text(default_theme: Theme, labels: Labels) -> None:
    episode = make_episode(takeaways=INJECTIONS, title="=1+1")
    data = render(episode, default_theme, labels)
    book = open_book(data)
    cells = [row[2] for row in book["Takeaways"].iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == INJECTIONS
    for cell, text in zip(cells, INJECTIONS, strict=True):
        assert cell.data_type == "s", text
        assert cell.quotePrefix == text.startswith(("=", "+", "-", "@")), text
    assert book["Takeaways"]["B2"].value == "=1+1" and book["Takeaways"]["B2"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in package.read(name) and b"<f " not in package.read(name)


def test_tab_and_carriage_return_starts_get_the_quote_prefix() -> None:
    assert needs_quote_prefix("\t=1") and needs_quote_prefix("\r=1")
    assert not needs_quote_prefix("1=1") and not needs_quote_prefix("TRUE")


def test_no_links_but_the_exporters_own(seed_book: Workbook) -> None:
    for sheet in seed_book:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.hyperlink is not None:
                    assert sheet.title == "Overview" and cell.hyperlink.target is None


def test_text_too_long_for_a_cell_is_cut_visibly(default_theme: Theme, labels: Labels) -> None:
    long_text = "word " * 9_000 + "end"
    emoji = "👻" * 20_000  # two UTF-16 units each, as Excel counts them
    episode = make_episode(title=long_text, takeaways=[long_text, emoji])
    book = open_book(render(episode, default_theme, labels))
    assert book["Overview"]["A1"].value == book["Takeaways"]["B2"].value
    cut, cut_emoji = (row[2].value for row in book["Takeaways"].iter_rows(min_row=2))
    marker = labels.truncated.format(chars=len(long_text.strip()))
    assert cut.endswith("\n" + marker) and "45,003" in marker
    assert long_text.startswith(cut[: -len(marker) - 1])
    assert len(cut.encode("utf-16-le")) // 2 <= CELL_LIMIT
    assert cut_emoji.endswith(labels.truncated.format(chars=20_000))
    assert len(cut_emoji.encode("utf-16-le")) // 2 <= CELL_LIMIT
    assert set(cut_emoji.split("\n")[0]) == {"👻"}


def test_fit_to_cell_keeps_text_that_fits() -> None:
    assert fit_to_cell("x" * CELL_LIMIT, "[cut {chars}]") == "x" * CELL_LIMIT
    assert fit_to_cell("x" * (CELL_LIMIT + 1), "[cut {chars}]").endswith("[cut 32768]")


def test_characters_xml_forbids_still_give_a_valid_workbook(
    default_theme: Theme, labels: Labels
) -> None:
    episode = make_episode(
        title="a\ufffeb\uffffc", takeaways=["x\ud800y", "\U0010fffe ok"], topics=["t\x00u"]
    )
    book = open_book(render(episode, default_theme, labels))
    assert book["Overview"]["A1"].value == "abc"
    assert [row[2].value for row in book["Takeaways"].iter_rows(min_row=2)] == ["xy", "ok"]
    assert book["Topics & Companies"]["D2"].value == "tu"


# -- links to the recording ---------------------------------------------------------------


def test_link_at_adds_the_time_properly() -> None:
    assert link_at("https://x.org/watch?v=abc", 95) == "https://x.org/watch?v=abc&t=95"
    assert link_at("https://youtu.be/abc", 95) == "https://youtu.be/abc?t=95"
    assert link_at("https://x.org/v?t=10&v=abc", 7) == "https://x.org/v?v=abc&t=7"
    assert link_at("https://x.org/v#top", 7) == "https://x.org/v?t=7#top"
    assert link_at("https://x.org/" + "a" * 300, 7) is None


def test_time_cells_link_to_their_moment(default_theme: Theme, labels: Labels) -> None:
    episode = make_episode(
        watch_url=WATCH,
        claims=[{"at": "01:35", "kind": "Bottleneck", "claim": "A claim."}],
        segments=[{"at": "00:00", "title": "Intro"}],
    )
    book = open_book(render(episode, default_theme, labels))
    assert book["Claims"]["C2"].hyperlink.target == f"{WATCH}&t=95"
    assert book["Segments"]["C2"].hyperlink.target == f"{WATCH}&t=0"
    assert book["Claims"]["C2"].value == timedelta(seconds=95)
    watch = [row[1] for row in book["Overview"].iter_rows() if row[0].value == labels.watch]
    assert watch[0].value == WATCH and watch[0].hyperlink.target == WATCH


def test_links_stop_at_excels_limit_per_sheet(
    default_theme: Theme, labels: Labels, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("exporters.xlsx.data.LINKS_PER_SHEET", 2)
    takeaways = [
        {"at": f"00:{second:02d}", "kind": "K", "claim": f"c{second}"} for second in range(5)
    ]
    book = open_book(render(make_episode(watch_url=WATCH, claims=takeaways), default_theme, labels))
    linked = [cell.hyperlink is not None for cell in book["Claims"]["C"][1:]]
    assert linked == [True, True, False, False, False]
    assert [cell.value for cell in book["Claims"]["C"][1:]] == [
        timedelta(seconds=s) for s in range(5)
    ]


# -- many episodes in one workbook --------------------------------------------------------


def _library(seed_episode: Episode) -> list[Episode]:
    small = make_episode(
        id="small",
        title="Small talk",
        takeaways=["Only one takeaway."],
        predictions=[{"at": "00:10", "horizon": "next year", "statement": "Soon."}],
    )
    claims = make_episode(
        id="claims-only",
        title="Claims only",
        claims=[{"at": "00:05", "kind": "Cost", "claim": f"Claim {n}."} for n in range(4)],
    )
    return [small, seed_episode, claims]


def test_combined_workbook_counts_rows_per_sheet_and_per_episode(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    library = _library(seed_episode)
    data = XlsxExporter().render_combined(
        iter(library), default_theme, labels, default_context(None)
    )
    book = open_book(data)
    # The first episode has no claims, yet Claims keeps its place after the Overview.
    assert book.sheetnames == ["Overview", *DATA_SHEETS]
    per_episode = {
        title: {
            episode.id: sum(1 for row in records(book[title]) if row["Episode"] == episode.id)
            for episode in library
        }
        for title in DATA_SHEETS
    }
    assert per_episode["Claims"] == {"small": 0, "summoning-ghosts": 3, "claims-only": 4}
    assert per_episode["Predictions"] == {"small": 1, "summoning-ghosts": 3, "claims-only": 0}
    assert per_episode["Takeaways"] == {"small": 1, "summoning-ghosts": 5, "claims-only": 0}
    assert per_episode["Segments"] == {"small": 0, "summoning-ghosts": 14, "claims-only": 0}
    for title in DATA_SHEETS:
        (table,) = book[title].tables.values()
        rows = sum(per_episode[title].values())
        assert table.ref.endswith(str(rows + 1)) and book[title].max_row == rows + 1
    predictions = records(book["Predictions"])
    assert [row["Class"] for row in predictions if row["Episode"] == "small"] == ["near"]

    overview = book["Overview"]
    assert [table.displayName for table in overview.tables.values()] == ["Episodes"]
    episodes_table = records(overview)
    assert [row[labels.episode_id] for row in episodes_table] == [e.id for e in library]
    assert [row[labels.claims] for row in episodes_table] == [0, 3, 4]
    assert [row[labels.segments] for row in episodes_table] == [0, 14, 0]
    assert (
        book.properties.title
        == "Small talk · Dwarkesh + Andrej Karpathy: Summoning Ghosts · Claims only"
    )


def test_combined_workbook_reads_the_stream_once(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    taken = []

    def stream() -> Iterator[Episode]:
        for episode in _library(seed_episode):
            taken.append(episode.id)
            yield episode

    data = XlsxExporter().render_combined(stream(), default_theme, labels, default_context(None))
    assert taken == ["small", "summoning-ghosts", "claims-only"]
    assert open_book(data)["Claims"].max_row == 8


def test_empty_library_and_empty_episode(default_theme: Theme, labels: Labels) -> None:
    nothing = open_book(
        XlsxExporter().render_combined(iter([]), default_theme, labels, default_context(None))
    )
    assert nothing.sheetnames == ["Overview"]
    bare = open_book(render(make_episode(), default_theme, labels))
    assert bare.sheetnames == ["Overview"] and bare["Overview"]["A1"].value == "Tiny episode"


def test_rows_beyond_those_measured_are_streamed(default_theme: Theme, labels: Labels) -> None:
    takeaways = [f"Takeaway number {n}." for n in range(450)]
    title = "A title long enough to wrap in its column on every single row"
    book = open_book(render(make_episode(title=title, takeaways=takeaways), default_theme, labels))
    sheet = book["Takeaways"]
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == takeaways
    assert sheet.tables["Takeaways"].ref == "A1:C451"
    # Sized on the first rows, and every row, measured or streamed, fits the wrapped title.
    assert sheet.column_dimensions["B"].width == 28
    heights = {sheet.row_dimensions[row].height for row in range(2, 452)}
    assert heights == {sheet.row_dimensions[2].height} and heights != {None}


def test_sheets_spooled_to_disk_give_the_same_bytes(
    seed_episode: Episode,
    default_theme: Theme,
    labels: Labels,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    in_memory = render(seed_episode, default_theme, labels)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    context = replace(default_context(seed_episode), scratch=SpooledScratch(in_memory=64))
    # Every sheet rolls over to an anonymous file, and none is left behind.
    assert XlsxExporter().render(seed_episode, default_theme, labels, context) == in_memory
    assert list(tmp_path.iterdir()) == []


def _rendered_by_openpyxl_alone(render_it: Callable[[], bytes]) -> bytes:
    """What ``render_it`` gives when every row goes through openpyxl's own cell writer."""
    with pytest.MonkeyPatch.context() as patch:
        # No fragment can be made, so every row, data or not, is left to openpyxl.
        patch.setattr(CellXml, "text", lambda self, value, style: "")
        patch.setattr(CellXml, "number", lambda self, value, style: "")
        return render_it()


TRICKY_TEXTS = [
    "a < b && c > d",
    "  leading and trailing spaces  ",
    "line one\r\nline two\ttabbed",
    "中文 → ▶ café 🙂",
    "=SUM(A1:A9)",
    "&amp; is not an entity here",
]


def test_rows_written_as_text_are_the_bytes_openpyxl_writes(
    seed_episode: Episode,
    default_theme: Theme,
    labels: Labels,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tricky = make_episode(
        title=" <Title> & more ", takeaways=TRICKY_TEXTS, watch_url=WATCH, category="a\rb"
    )
    written_as_text = 0
    text_fragment = CellXml.text

    def counting(self: CellXml, value: str, style: object) -> str:
        nonlocal written_as_text
        fragment = text_fragment(self, value, style)
        written_as_text += bool(fragment)
        return fragment

    monkeypatch.setattr(CellXml, "text", counting)
    for episode in (seed_episode, tricky):
        ours = render(episode, default_theme, labels)
        assert ours == _rendered_by_openpyxl_alone(
            lambda episode=episode: render(episode, default_theme, labels)
        )
    combined = XlsxExporter().render_combined(
        iter([seed_episode, tricky]), default_theme, labels, default_context(None)
    )
    assert combined == _rendered_by_openpyxl_alone(
        lambda: XlsxExporter().render_combined(
            iter([seed_episode, tricky]), default_theme, labels, default_context(None)
        )
    )
    assert written_as_text > 100  # the fast path did the writing


@pytest.mark.parametrize(
    "value",
    [*TRICKY_TEXTS, " x", "x\n", "\u3000wide space", "x" * 5000, 0, 0.5, 1 / 3, -2, 1e20, 86399],
)
def test_a_cell_as_text_is_what_openpyxl_writes_for_it(value: str | float) -> None:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Sheet", 0, MemoryScratch())
    cell = Cell(sheet, row=7, column=28, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.font = Font(bold=True)
    cell.hyperlink = WATCH
    openpyxl_writes = io.BytesIO()
    with xmlfile(openpyxl_writes) as xf:
        WorksheetWriter(sheet, out=io.BytesIO()).write_row(xf, [cell], 7)
    links_written = list(sheet._hyperlinks)
    sheet._hyperlinks = []
    assert RowText(sheet).text([cell], {"r": "7", "ht": "15.6"}) == (
        openpyxl_writes.getvalue().replace(b'<row r="7">', b'<row r="7" ht="15.6">')
    )
    assert sheet._hyperlinks == links_written != []


@pytest.mark.parametrize(
    "value",
    [*TRICKY_TEXTS, " x", "x\n", "\u3000wide space", "x" * 5000, 0, 0.5, 1 / 3, -2, 1e20, 86399],
)
def test_a_fragment_is_what_openpyxl_writes_for_the_cell(value: str | float) -> None:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Sheet", 0, MemoryScratch())
    cell = Cell(sheet, row=7, column=2, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.font = Font(bold=True)
    openpyxl_writes = io.BytesIO()
    with xmlfile(openpyxl_writes) as xf:
        WorksheetWriter(sheet, out=io.BytesIO()).write_row(xf, [cell], 7)
    cells = CellXml(sheet)
    fragment = (
        cells.text(value, cell._style)
        if isinstance(value, str)
        else cells.number(value, cell._style)
    )
    assert f'<row r="7"><c r="B7"{fragment}</row>'.encode("ascii") == openpyxl_writes.getvalue()


@pytest.mark.parametrize("value", ["", "bell\x07", float("nan"), float("inf"), True])
def test_a_value_openpyxl_must_judge_has_no_fragment(value: str | float) -> None:
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, "Sheet", 0, MemoryScratch())
    style = Cell(sheet, row=1, column=1)._style
    cells = CellXml(sheet)
    assert (
        cells.text(value, style) if isinstance(value, str) else cells.number(value, style)
    ) == ""


def test_a_data_row_openpyxl_must_judge_is_written_by_it(
    seed_episode: Episode,
    default_theme: Theme,
    labels: Labels,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The model never gives a number that is not finite; were one to come, its row would go
    # to openpyxl's writer (which leaves the cell without a value) and the rest stay text.
    from briefing.model import Fact

    monkeypatch.setattr(Fact, "number", property(lambda self: float("nan")))
    ours = render(seed_episode, default_theme, labels)
    assert ours == _rendered_by_openpyxl_alone(lambda: render(seed_episode, default_theme, labels))
    facts = [row for row in records(open_book(ours)["Facts"]) if row["Kind"] == "Memory"]
    assert facts and all(row["Number"] is None for row in facts)


@given(episode=episodes())
def test_any_episodes_rows_as_text_are_the_bytes_openpyxl_writes(episode: Episode) -> None:
    from briefing.labels import labels_for
    from styles import load_theme

    theme, labels = load_theme("default"), labels_for(episode.language)
    ours = render(episode, theme, labels)
    assert ours == _rendered_by_openpyxl_alone(lambda: render(episode, theme, labels))


def test_spools_are_removed_when_rendering_fails(
    seed_episode: Episode,
    default_theme: Theme,
    labels: Labels,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def failing() -> Iterator[Episode]:
        yield seed_episode
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        XlsxExporter().render_combined(failing(), default_theme, labels, default_context(None))
    assert list(tmp_path.iterdir()) == []
    render(seed_episode, default_theme, labels)
    assert list(tmp_path.iterdir()) == []


# -- reproducible bytes -------------------------------------------------------------------


def test_renders_are_byte_identical_and_zip_canonical(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    first = render(seed_episode, default_theme, labels)
    assert render(seed_episode, default_theme, labels) == first
    when = default_context(seed_episode).date
    assert reproducible_zip(first, when) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_source_date_epoch_sets_every_date(
    seed_episode: Episode, default_theme: Theme, labels: Labels, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = render(seed_episode, default_theme, labels)
    combined = XlsxExporter().render_combined(
        iter([seed_episode]), default_theme, labels, default_context(None)
    )
    assert render(seed_episode, default_theme, labels) == first
    when = datetime.fromtimestamp(1_700_000_000, tz=UTC)
    for data in (first, combined):
        properties = open_book(data).properties
        assert properties.created == properties.modified == when.replace(tzinfo=None)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            stamps = {info.date_time for info in package.infolist()}
        assert stamps == {(2023, 11, 14, 22, 13, 20)}


def test_same_bytes_in_another_process(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    probe = (
        "import sys; from pathlib import Path; from briefing.labels import ENGLISH;"
        "from briefing.source import load_episode;"
        "from styles import load_theme; from exporters.xlsx import XlsxExporter;"
        "from briefing.pipeline import default_context;"
        "episode = load_episode(Path(sys.argv[1]));"
        "sys.stdout.buffer.write(XlsxExporter().render("
        "episode, load_theme('default'), ENGLISH, default_context(episode)))"
    )
    source = Path(__file__).resolve().parents[3] / "data" / "episodes" / "summoning-ghosts.json"
    result = subprocess.run(
        [sys.executable, "-c", probe, str(source)], capture_output=True, check=True
    )
    assert result.stdout == render(seed_episode, default_theme, labels)


# -- themes, labels, the exporter seam ----------------------------------------------------


def test_print_theme_and_chinese_labels(
    default_theme: Theme, print_theme: Theme, zh_labels: Labels
) -> None:
    episode = make_episode(
        title="召唤幽灵",
        language="zh",
        predictions=[{"at": "01:00", "horizon": "十年", "statement": "智能体需要十年。"}],
    )
    book = open_book(render(episode, print_theme, zh_labels))
    sheet = book["Predictions"]
    (table,) = sheet.tables.values()
    assert table.tableStyleInfo.name == "TableStyleLight1"
    assert table.column_names == [
        "节目",
        "节目标题",
        "时间",
        "章节",
        "时间范围",
        "年数",
        "类别",
        "内容",
    ]
    assert (sheet["F2"].value, sheet["G2"].value) == (10, "长期"), "十年 is ten years"
    assert sheet["A1"].font.name == "Fira Sans" and sheet["H2"].font.name == "IBM Plex Serif"
    assert book.properties.language == "zh"


def test_repeated_headers_are_numbered() -> None:
    assert unique_headers(["类别", "内容", "类别", "Kind", "kind"]) == [
        "类别",
        "内容",
        "类别 2",
        "Kind",
        "kind 2",
    ]


def test_unknown_table_style_is_refused(
    seed_episode: Episode, default_theme: Theme, labels: Labels
) -> None:
    theme = default_theme.model_copy(
        update={"tables": default_theme.tables.model_copy(update={"xlsx_style": "Fancy"})}
    )
    with pytest.raises(ValueError, match="'Fancy' is not one of Excel's built-in table styles"):
        render(seed_episode, theme, labels)


def test_exporter_can_combine_and_listing_it_does_not_import_openpyxl() -> None:
    exporter = XlsxExporter()
    assert isinstance(exporter, CombiningExporter)
    assert (exporter.name, exporter.suffix) == ("xlsx", "xlsx")
    probe = "import sys, exporters.xlsx; print('openpyxl' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@given(episode=episodes())
def test_any_valid_episode_gives_a_workbook_with_all_its_text(episode: Episode) -> None:
    from briefing.labels import labels_for
    from styles import load_theme

    labels = labels_for(episode.language)
    book = open_book(render(episode, load_theme("default"), labels))
    every = {text for sheet in book for text in strings(sheet)}
    for where, text in expected_texts(episode):
        if where != "speakers" and len(text.encode("utf-16-le")) // 2 <= CELL_LIMIT:
            assert text in every, (where, text)
    for sheet in book.worksheets[1:]:
        (table,) = sheet.tables.values()
        assert table.ref.endswith(str(sheet.max_row))


# -- LibreOffice --------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def _convert(source: Path, target: str, tmp_path: Path) -> None:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


@pytest.mark.soffice
@needs_soffice
def test_libreoffice_opens_the_workbook(
    seed_episode: Episode, default_theme: Theme, labels: Labels, tmp_path: Path
) -> None:
    episode = seed_episode.model_copy(update={"takeaways": ["=SUM(1)", *seed_episode.takeaways]})
    source = tmp_path / "book.xlsx"
    source.write_bytes(render(episode, default_theme, labels))
    _convert(source, CSV_ALL_SHEETS, tmp_path)
    predictions = (tmp_path / "out" / "book-Predictions.csv").read_text(encoding="utf-8")
    assert (
        "0:01:35,The Decade of Agents,10 years,10,long,It will take about a decade" in predictions
    )
    facts = (tmp_path / "out" / "book-Facts.csv").read_text(encoding="utf-8")
    assert ",$100,,,$100.00,USD," in facts
    takeaways = (tmp_path / "out" / "book-Takeaways.csv").read_text(encoding="utf-8")
    assert takeaways.splitlines()[1].endswith(",=SUM(1)")
    overview = (tmp_path / "out" / "book-Overview.csv").read_text(encoding="utf-8")
    assert "Duration,146 min" in overview and "Companies and topics,12" in overview
    _convert(source, "pdf", tmp_path)
    pdf = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "out" / "book.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert seed_episode.title in pdf and "Reinforcement learning is terrible." in pdf
