"""``briefing track``: a tracker built from several episodes, edited by the team with
openpyxl, updated as episodes come and go; every edit and team column kept."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from briefing.tracker.rows import base_id
from tests.briefing.tracker.library import CHIPS, LATER, UNDATED, write_episode, write_library
from tests.briefing.tracker.readback import (
    by_id,
    by_statement,
    open_book,
    part,
    parts,
    table,
    track,
)
from tests.conftest import SEED_JSON

HEADERS = [
    "ID",
    "Episode",
    "Title",
    "Published",
    "Time",
    "Segment",
    "Statement",
    "Horizon",
    "Years",
    "Class",
    "Due by",
    "In library",
    "Status",
    "Resolved on",
    "Notes",
]
STATUSES = '"open,came true,partly,did not,withdrawn,unclear"'


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "library", CHIPS, UNDATED)


def _built(library: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out" / "predictions.xlsx"
    result = track(library, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_a_new_tracker_has_a_row_per_prediction_all_open(library: Path, tmp_path: Path) -> None:
    out = _built(library, tmp_path)
    book = open_book(out)
    assert book.sheetnames == ["Tracker", "Summary"]
    sheet = book["Tracker"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    rows = table(out)
    assert len(rows) == 3 + 4 + 1
    assert {row["Status"] for row in rows} == {"open"}
    assert {row["In library"] for row in rows} == {"yes"}
    chips = by_statement(out)["Chip supply will double."]
    assert chips["ID"] == base_id("chips-and-power", "Chip supply will double.")
    assert chips["Time"] == timedelta(seconds=10)
    assert (chips["Years"], chips["Class"], chips["Horizon"]) == (2, "near", "2 years")
    assert chips["Due by"] == datetime(2023, 6, 15)
    assert chips["Published"] == datetime(2021, 6, 15)
    assert by_statement(out)["Robots in homes."]["Due by"] is None  # no published date
    # Rows by due date (none last), then episode and time.
    dues = [row["Due by"] for row in rows]
    dated = [due for due in dues if due is not None]
    assert dated == sorted(dated) and dues[len(dated) :] == [None] * (len(rows) - len(dated))
    # Episode text is data: a statement that looks like a formula stays a string.
    formula_like = sheet.cell(row=2 + dues.index(datetime(2030, 6, 15)), column=7)
    assert (formula_like.value, formula_like.data_type) == ("=Fabs in every state", "s")
    assert formula_like.quotePrefix
    assert "Wrote" in track(library, "-o", out).stderr


def test_the_tracker_is_a_table_with_a_dropdown_and_an_overdue_rule(
    library: Path, tmp_path: Path
) -> None:
    out = _built(library, tmp_path)
    sheet = open_book(out)["Tracker"]
    (tracker,) = sheet.tables.values()
    assert tracker.ref == "A1:O9" and tracker.autoFilter is not None
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["G"].width == 48.0  # statements wrap there
    assert sheet.cell(row=2, column=7).alignment.wrap_text
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations["M2:M9"].type == "list" and validations["M2:M9"].formula1 == STATUSES
    assert validations["N2:N9"].type == "date"
    (rule_range,) = [str(cf.sqref) for cf in sheet.conditional_formatting]
    assert rule_range == "A2:O9"
    (rule,) = sheet.conditional_formatting[rule_range]
    assert rule.formula == ['AND($M2="open",ISNUMBER($K2),$K2<TODAY())']
    assert sheet.cell(row=2, column=13).number_format == "General"
    assert sheet.cell(row=2, column=11).number_format == "yyyy-mm-dd"


def test_the_summary_counts_by_class_status_and_episode_with_a_stacked_bar_chart(
    library: Path, tmp_path: Path
) -> None:
    out = _built(library, tmp_path)
    summary = open_book(out)["Summary"]
    assert [c.value for c in summary[4]][:10] == [
        "Class",
        "open",
        "came true",
        "partly",
        "did not",
        "withdrawn",
        "unclear",
        "other",
        "Total",
        "Overdue",
    ]
    assert summary["A5"].value == "near"
    assert summary["B5"].value == (
        '=COUNTIFS(Tracker!$J$2:$J$9,"near",Tracker!$M$2:$M$9,"open",Tracker!$L$2:$L$9,"yes")'
    )
    assert "TODAY()" in summary["J5"].value
    episodes = [summary.cell(row=r, column=1).value for r in range(30, 33)]
    assert episodes == ["chips-and-power", "no-date", "summoning-ghosts"]
    assert "xl/charts/chart1.xml" in parts(out)
    chart = part(out, "xl/charts/chart1.xml")
    assert '<barDir val="bar"/>' in chart and '<grouping val="stacked"/>' in chart
    assert chart.count("<ser>") == 7 and "<f>'Summary'!$B$5:$B$8</f>" in chart


def test_team_edits_and_columns_survive_an_update_as_episodes_come_and_go(
    library: Path, tmp_path: Path
) -> None:
    out = _built(library, tmp_path)
    book = open_book(out)
    sheet = book["Tracker"]
    ids = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    target, other = ids[0], ids[-1]
    # The team: marks, a note, a date, two columns of its own (one text that looks like
    # a formula, one real formula), and a sort of its own (reversed).
    sheet.cell(row=1, column=16, value="Owner")
    sheet.cell(row=1, column=17, value="Check")
    for number, row_id in enumerate(ids, 2):
        owner = sheet.cell(row=number, column=16, value=f"=owner of {row_id}")
        owner.data_type = "s"
        sheet.cell(row=number, column=17, value=f'=IF(M{number}="open",1,0)')
    sheet.cell(row=2, column=13, value="came true")
    sheet.cell(row=2, column=14, value=date(2025, 1, 31))
    sheet.cell(row=2, column=15, value="Confirmed by the\nQ4 report")
    sheet.cell(row=sheet.max_row, column=13, value="withdrawn")
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    for number, row_values in enumerate(reversed(values), 2):
        for column, value in enumerate(row_values, 1):
            sheet.cell(row=number, column=column, value=value)
    for number in range(2, sheet.max_row + 1):
        sheet.cell(row=number, column=16).data_type = "s"
    book.save(out)
    # Then the library changes: one episode gone, one new.
    (library / "no-date.json").unlink()
    write_episode(library, **LATER)
    result = track(library, "-o", out)
    assert result.exit_code == 0, result.output
    assert "(2 new, 1 no longer in the library)" in result.stderr
    after = by_id(out)
    assert after[target]["Status"] == "came true"
    assert after[target]["Resolved on"] == datetime(2025, 1, 31)
    assert after[target]["Notes"] == "Confirmed by the\nQ4 report"
    assert after[other]["Status"] == "withdrawn"
    assert list(table(out)[0])[15:] == ["Owner", "Check"]
    for row_id in ids:
        assert after[row_id]["Owner"] == f"=owner of {row_id}"
        assert after[row_id]["Check"].startswith("=IF(M")
    sheet = open_book(out)["Tracker"]
    owner_cells = [sheet.cell(row=r, column=16) for r in range(2, sheet.max_row + 1)]
    assert all(cell.data_type == "s" for cell in owner_cells if cell.value)
    gone = by_statement(out)["Robots in homes."]
    assert gone["In library"] == "no" and gone["ID"] in ids
    new = [row for row in after.values() if row["ID"] not in ids]
    assert {row["Statement"] for row in new} == {
        "Agents will file taxes.",
        "Cities plan around robots.",
    }
    assert {(row["Status"], row["In library"], row["Owner"]) for row in new} == {
        ("open", "yes", None)
    }
    (tracker,) = sheet.tables.values()
    assert tracker.ref == "A1:Q11"


def test_reruns_are_byte_identical_whatever_the_input_order(library: Path, tmp_path: Path) -> None:
    out = _built(library, tmp_path)
    first = out.read_bytes()
    files = sorted(library.glob("*.json"))
    assert track(*reversed(files), "-o", out).exit_code == 0
    assert out.read_bytes() == first
    other = tmp_path / "again" / "predictions.xlsx"
    assert track(*files, "-o", other).exit_code == 0
    assert other.read_bytes() == first


def test_the_same_edits_in_another_sort_order_give_the_same_bytes(
    library: Path, tmp_path: Path
) -> None:
    out = _built(library, tmp_path)
    copies = []
    for name, order in (("a", 1), ("b", -1)):
        book = open_book(out)
        sheet = book["Tracker"]
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        for number, row_values in enumerate(rows[::order], 2):
            for column, value in enumerate(row_values, 1):
                sheet.cell(row=number, column=column, value=value)
            if row_values[0] == rows[0][0]:
                sheet.cell(row=number, column=15, value="checked")
        copy = tmp_path / name / "predictions.xlsx"
        copy.parent.mkdir()
        book.save(copy)
        assert track(library, "-o", copy).exit_code == 0
        copies.append(copy.read_bytes())
    assert copies[0] == copies[1]
    again = tmp_path / "a" / "predictions.xlsx"
    assert track(library, "-o", again).exit_code == 0
    assert again.read_bytes() == copies[0]


def test_a_corrected_statement_keeps_its_row(library: Path, tmp_path: Path) -> None:
    out = _built(library, tmp_path)
    row_id = by_statement(out)["Prices will fall by half."]["ID"]
    book = open_book(out)
    sheet = book["Tracker"]
    number = next(r for r in range(2, 10) if sheet.cell(row=r, column=1).value == row_id)
    sheet.cell(row=number, column=15, value="follow up")
    book.save(out)
    changed = json.loads((library / "chips-and-power.json").read_text())
    changed["predictions"][2]["statement"] = "Prices will fall by a half."
    (library / "chips-and-power.json").write_text(json.dumps(changed))
    assert track(library, "-o", out).exit_code == 0
    row = by_id(out)[row_id]
    assert (row["Statement"], row["Notes"]) == ("Prices will fall by a half.", "follow up")
    assert len(table(out)) == 8


def test_the_tracker_is_listed_in_the_manifest(library: Path, tmp_path: Path) -> None:
    out = _built(library, tmp_path)
    manifest = json.loads((out.parent / "manifest.json").read_text())
    (entry,) = manifest["files"]
    assert entry["file"] == "predictions.xlsx" and entry["format"] == "track"
    assert entry["episodes"] == ["chips-and-power", "no-date", "summoning-ghosts"]
    assert entry["bytes"] == out.stat().st_size
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("lock", [".~lock.predictions.xlsx#", "~$predictions.xlsx"])
def test_an_open_workbook_is_not_overwritten_without_force(
    library: Path, tmp_path: Path, lock: str
) -> None:
    out = _built(library, tmp_path)
    (library / "no-date.json").unlink()
    before = out.read_bytes()
    (out.parent / lock).write_text("someone,host,...")
    result = track(library, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{out}: open in LibreOffice or Excel ({lock} is beside it); "
        "close it there first, or pass --force\n"
    )
    assert out.read_bytes() == before
    assert track(library, "-o", out, "--force").exit_code == 0
    assert out.read_bytes() != before


def _tracker_with(tmp_path: Path, edit: str) -> Path:
    from openpyxl import Workbook

    path = tmp_path / "bad.xlsx"
    if edit == "not a workbook":
        path.write_text("ID,Status\n")
        return path
    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker" if edit != "no tracker sheet" else "Sheet1"
    sheet.append(["ID", "Episode", "Statement", "Status"])
    sheet.append(["P-1", "ep", "A.", "open"])
    if edit == "duplicate id":
        sheet.append(["P-1", "ep", "B.", "open"])
    if edit == "missing id":
        sheet.append([None, "ep", "B.", "open"])
    if edit == "duplicate header":
        sheet.cell(row=1, column=5, value="Status")
    if edit == "no id column":
        sheet.cell(row=1, column=1, value="Key")
    if edit == "other sheet":
        book.create_sheet("Q3 review")
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("not a workbook", ": cannot read: not an Excel workbook (.xlsx): File is not a zip file"),
        ("no tracker sheet", ": no sheet named 'Tracker', so it is not a tracker; "),
        ("duplicate id", ":Tracker!A3: ID 'P-1' is also in row 2"),
        ("missing id", ":Tracker!A3: this row has no ID, and rows are matched by ID; "),
        ("duplicate header", ":Tracker!E1: two columns are headed 'Status' (D1 too)"),
        ("no id column", ":Tracker!A1: no 'ID' column in the header row"),
        ("other sheet", ": sheet 'Q3 review' is not the tracker's and would be lost"),
    ],
)
def test_a_bad_tracker_is_one_line_and_left_as_it_was(
    library: Path, tmp_path: Path, edit: str, message: str
) -> None:
    path = _tracker_with(tmp_path, edit)
    before = path.read_bytes()
    result = track(library, "-o", path)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"{path}{message}")
    assert "Traceback" not in result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx", "library"]


def test_a_bad_episode_writes_nothing(library: Path, tmp_path: Path) -> None:
    out = _built(library, tmp_path)
    before = out.read_bytes()
    (library / "broken.json").write_text("{")
    result = track(library, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{library / 'broken.json'}: not valid JSON")
    assert out.read_bytes() == before


def test_the_output_must_be_a_workbook(library: Path, tmp_path: Path) -> None:
    result = track(library, "-o", tmp_path / "predictions.csv")
    assert result.exit_code == 2 and "the tracker is an .xlsx workbook" in result.stderr


def test_ingest_sets_the_published_date(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from briefing.cli import cli
    from tests.conftest import SEED_PAGE

    out = tmp_path / "page.json"
    args = ["ingest", str(SEED_PAGE), "--id", "summoning-ghosts", "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--published", "2025-10-17"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["published"] == "2025-10-17"
    assert {**data, "published": None} != {}
    without = json.loads(SEED_JSON.read_text())
    assert {key: value for key, value in data.items() if key != "published"} == without
    bad = CliRunner().invoke(cli, [*args, "--published", "17.10.2025"])
    assert bad.exit_code == 2 and "'17.10.2025' does not match the format '%Y-%m-%d'" in bad.stderr
