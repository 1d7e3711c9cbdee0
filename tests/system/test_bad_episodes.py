"""Golden pairs: every ``tests/system/bad_episodes/NAME.json`` gives the one error line in NAME.expected,
through ``validate`` and through ``export``, never a traceback and never a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli

CASES = sorted((Path(__file__).parent / "bad_episodes").glob("*.json"))


def expected_line(case: Path) -> str:
    """NAME.expected holds the line as printed after ``<file>:``."""
    return f"{case}:" + case.with_suffix(".expected").read_text(encoding="utf-8").rstrip("\n")


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_validate_reports_the_one_line(case: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(case)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == [expected_line(case), "0 of 1 valid."]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_export_reports_it_and_writes_nothing(case: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(case), "-f", "md", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert expected_line(case) in result.stderr.splitlines()
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
