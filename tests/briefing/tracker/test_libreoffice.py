"""The tracker with a real office suite in the loop: a colleague edits it, LibreOffice saves
it (``soffice --headless --convert-to xlsx``, what opening and saving in Calc writes), the
library changes, and ``briefing track`` keeps every edit and team column; LibreOffice
opens the tracker with its dropdown and chart in place."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.briefing.tracker.library import CHIPS, LATER, UNDATED, write_episode, write_library
from tests.briefing.tracker.readback import by_id, by_statement, open_book, part, parts, track

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice"),
]
STATUSES = "open,came true,partly,did not,withdrawn,unclear"


def saved_by_libreoffice(path: Path, tmp_path: Path) -> None:
    """``path`` opened and saved again by LibreOffice Calc, in place."""
    out = tmp_path / "lo-out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    shutil.move(out / path.name, path)


def test_edits_saved_by_libreoffice_survive_an_update_and_it_opens_with_dropdown_and_chart(
    tmp_path: Path,
) -> None:
    library = write_library(tmp_path / "library", CHIPS, UNDATED)
    out = tmp_path / "predictions.xlsx"
    assert track(library, "-o", out).exit_code == 0

    # A colleague's edits: marks, a date, a note, two columns of the team's own.
    book = open_book(out)
    sheet = book["Tracker"]
    ids = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    sheet.cell(row=1, column=16, value="Owner")
    sheet.cell(row=1, column=17, value="Priority")
    for number, row_id in enumerate(ids, 2):
        sheet.cell(row=number, column=16, value=f"owner of {row_id}")
        sheet.cell(row=number, column=17, value=number * 10)
    sheet.cell(row=2, column=13, value="came true")
    sheet.cell(row=2, column=14, value=datetime(2025, 1, 31))
    sheet.cell(row=2, column=15, value="Confirmed by the\nQ4 report")
    sheet.cell(row=3, column=13, value="partly")
    book.save(out)
    saved_by_libreoffice(out, tmp_path)
    assert "LibreOffice" in part(out, "docProps/app.xml")  # its own writing, not openpyxl's
    assert by_id(out)[ids[0]]["Status"] == "came true"

    # The library changes: one episode gone, one new.
    (library / "no-date.json").unlink()
    write_episode(library, **LATER)
    result = track(library, "-o", out)
    assert result.exit_code == 0, result.output
    after = by_id(out)
    assert after[ids[0]]["Status"] == "came true"
    assert after[ids[0]]["Resolved on"] == datetime(2025, 1, 31)
    assert after[ids[0]]["Notes"] == "Confirmed by the\nQ4 report"
    assert after[ids[1]]["Status"] == "partly"
    for number, row_id in enumerate(ids, 2):
        assert after[row_id]["Owner"] == f"owner of {row_id}"
        assert after[row_id]["Priority"] == number * 10
    assert by_statement(out)["Robots in homes."]["In library"] == "no"
    new = [row for row in after.values() if row["ID"] not in ids]
    assert {(row["Status"], row["In library"]) for row in new} == {("open", "yes")}
    assert len(new) == 2

    # Reruns with the same inputs and edits are the same bytes.
    once = out.read_bytes()
    assert track(library, "-o", out).exit_code == 0
    assert out.read_bytes() == once

    # LibreOffice opens what the tool wrote, and its own save keeps the dropdown and chart.
    copy = tmp_path / "opened" / "predictions.xlsx"
    copy.parent.mkdir()
    copy.write_bytes(once)
    saved_by_libreoffice(copy, tmp_path)
    tracker = part(copy, "xl/worksheets/sheet1.xml")
    validation = re.search(r"<dataValidation [^>]*>.*?</dataValidation>", tracker, re.S)
    assert validation is not None and 'type="list"' in validation.group()
    assert STATUSES in validation.group().replace("&quot;", "")
    assert any(name.startswith("xl/charts/chart") for name in parts(copy))
    assert "<c:barChart>" in part(copy, "xl/charts/chart1.xml").replace(" ", "")
    assert by_id(copy)[ids[0]]["Status"] == "came true"
