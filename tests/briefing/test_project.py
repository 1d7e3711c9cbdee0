"""``briefing.toml`` defaults for export, overridden by the command line; shell completion
of option values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from tests.conftest import SEED_JSON


def _export(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args])
    return result.exit_code, result.output


def _files(folder: Path) -> list[str]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return sorted(entry["file"] for entry in manifest["files"])


def test_the_project_file_sets_the_defaults_of_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "briefing.toml").write_text(
        '[export]\nformats = ["md", "docx"]\noutput = "reports"\njobs = 1\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, output = _export(tmp_path, "export", str(SEED_JSON))
    assert code == 0, output
    assert _files(tmp_path / "reports") == ["summoning-ghosts.docx", "summoning-ghosts.md"]


def test_the_command_line_wins_over_the_project_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "briefing.toml").write_text(
        '[export]\nformats = ["docx"]\noutput = "reports"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, output = _export(tmp_path, "export", str(SEED_JSON), "-f", "md", "-o", "elsewhere")
    assert code == 0, output
    assert _files(tmp_path / "elsewhere") == ["summoning-ghosts.md"]
    assert not (tmp_path / "reports").exists()


def test_config_names_a_file_whose_paths_are_relative_to_it(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "mine.toml").write_text('extends = "default"\n', encoding="utf-8")
    config = project / "settings.toml"
    config.write_text(
        '[export]\nformats = ["md"]\nstyle = "mine.toml"\noutput = "out"\n', encoding="utf-8"
    )
    code, output = _export(tmp_path, "--config", str(config), "export", str(SEED_JSON))
    assert code == 0, output
    assert _files(project / "out") == ["summoning-ghosts.md"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[export]\nformatz = ['md']\n", "briefing.toml: export.formatz: unknown key"),
        ("[exports]\n", "briefing.toml: exports: unknown key"),
        ("[export]\njobs = '2'\n", "briefing.toml: export.jobs: "),
        ("[export\n", "briefing.toml: not valid TOML"),
    ],
    ids=["unknown-key", "unknown-table", "wrong-type", "not-toml"],
)
def test_a_bad_project_file_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, expected: str
) -> None:
    (tmp_path / "briefing.toml").write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", str(SEED_JSON)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    assert not (tmp_path / "out").exists()


def _complete(words: str) -> list[str]:
    environment = {
        **os.environ,
        "_BRIEFING_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    result = subprocess.run(
        [sys.executable, "-m", "briefing"], env=environment, capture_output=True, text=True
    )
    return result.stdout.split()


def test_completion_offers_formats_themes_and_languages() -> None:
    assert _complete("briefing export -f p") == ["plain,pdf"]
    assert {"plain,default", "plain,print"} <= set(_complete("briefing export --style "))
    assert {"plain,en", "plain,zh"} <= set(_complete("briefing export --lang "))
