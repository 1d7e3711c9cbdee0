"""The command line: every command through CliRunner, and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import __version__
from briefing.cli import cli
from briefing.schema import schema_json
from tests.conftest import ROOT, SEED_JSON

HEAVY = ("reportlab", "docx", "openpyxl")


def run_briefing(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def modules_loaded_by(*args: str, pythonpath: Path | None = None) -> set[str]:
    probe = (
        "import sys\n"
        f"sys.argv = ['briefing', *{list(args)!r}]\n"
        "from briefing.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES', *sorted(sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(pythonpath)} if pythonpath else None
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True, env=env
    )
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("MODULES ")]
    return set(line.split()[1:])


@pytest.mark.parametrize("args", [("--help",), ("formats",), ("export", "--help")])
def test_help_and_formats_import_no_format_library(args: tuple[str, ...]) -> None:
    loaded = modules_loaded_by(*args)
    assert "click" in loaded
    assert not {name for name in loaded if name.split(".")[0] in HEAVY}


def test_export_imports_no_unused_optional_package(tmp_path: Path) -> None:
    """With numpy and pyphen installed (empty stand-ins), exporting every
    format imports neither: reportlab and openpyxl would load them for nothing.
    (In one process: workers would import the exporters where this cannot see.)"""
    stubs = Path(__file__).parents[1] / "optional_stubs"
    arguments = ("export", "-f", "all", "-j", "1", "-o", str(tmp_path))
    loaded = modules_loaded_by(*arguments, pythonpath=stubs)
    assert {"reportlab", "openpyxl", "docx"} <= loaded
    assert not {"numpy", "pyphen"} & loaded
    assert not {"dask", "distributed"} & loaded  # only --scheduler needs them
    assert (tmp_path / "summoning-ghosts.xlsx").stat().st_size > 10_000


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == f"briefing, version {__version__}\n"


def test_schema_prints_the_committed_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert result.output == schema_json()
    assert json.loads(result.output)["title"] == "Episode"


def test_validate_defaults_to_the_bundled_episodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0
    assert result.stderr == "" and result.stdout == "1 of 1 valid.\n"


def test_export_markdown_into_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(SEED_JSON), "-f", "md", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout == f"Wrote 1 file into {tmp_path}/ for 1 episode.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json", "summoning-ghosts.md"]


def test_unknown_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["export", "-f", "docs"])
    assert result.exit_code == 2
    assert 'unknown format "docs" (did you mean "docx"?)' in result.output


def test_bad_style_names_the_key(tmp_path: Path) -> None:
    theme = tmp_path / "mine.toml"
    theme.write_text('extends = "default"\n[colours]\naccent = "orange"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(SEED_JSON), "-f", "md", "--style", str(theme)])
    assert result.exit_code == 2
    assert f"{theme}: colours.accent: String should match pattern" in result.output


def test_combine_refuses_a_format_that_cannot_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["export", str(SEED_JSON), "-f", "md", "--combine", "-o", str(out)]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "briefing: --combine: md cannot combine episodes into one file; formats that can: xlsx\n"
    )
    assert not out.exists()


def test_real_process_exit_codes(tmp_path: Path) -> None:
    assert run_briefing("validate", str(SEED_JSON)).returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    done = run_briefing("validate", str(bad))
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        f"{bad}:schema_version: required field is missing; this version reads 1"
    )
    assert "Traceback" not in done.stderr
    assert run_briefing("export", "-f", "nope").returncode == 2
    exported = run_briefing(
        "export", str(SEED_JSON), str(bad), "-f", "md", "-o", str(tmp_path / "o")
    )
    assert exported.returncode == 1
    assert (tmp_path / "o" / "summoning-ghosts.md").is_file()
    assert (
        exported.stderr.splitlines()[-1]
        == f"Wrote 1 file into {tmp_path / 'o'}/ for 1 episode; 1 failed."
    )


def test_example_writes_the_bundled_episode_that_then_exports(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["example", "-o", str(tmp_path / "try")])
    assert result.exit_code == 0, result.output
    written = tmp_path / "try" / "summoning-ghosts.json"
    assert written.read_bytes() == SEED_JSON.read_bytes()
    exported = runner.invoke(cli, ["export", str(written), "-f", "md", "-o", str(tmp_path / "o")])
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "o" / "summoning-ghosts.md").is_file()
