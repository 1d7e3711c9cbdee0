"""Usage errors of ``briefing export`` are usage errors: exit 2 before any work, one line
each, nothing created; and what ``-f all --combine`` chose is said."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from briefing.cli import cli
from tests.conftest import SEED_JSON


def export_in(folder: Path, *args: str) -> tuple[int, str, str]:
    """``briefing export`` run from ``folder/here``; exit code, stdout, stderr."""
    (folder / "here").mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder / "here")
        result = CliRunner().invoke(cli, ["export", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def everything_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (
            ("missing.json", "-f", "md"),
            ["briefing: missing.json: no such file or folder"],
        ),
        (
            (str(SEED_JSON), "gone.json", "nowhere/", "-f", "md"),
            [
                "briefing: gone.json: no such file or folder",
                "briefing: nowhere: no such file or folder",
            ],
        ),
        (
            ("-f", "md"),
            [
                "briefing: data/episodes: no such folder, and no INPUT was given; name episode "
                "files or folders, or write the bundled episode there with: "
                "briefing example -o data/episodes"
            ],
        ),
        (
            (str(SEED_JSON), "-f", "md", "--combine"),
            [
                "briefing: --combine: md cannot combine episodes into one file; formats that can: xlsx"
            ],
        ),
        (
            (str(SEED_JSON), "-f", "xlsx", "-f", "pdf", "--combine"),
            [
                "briefing: --combine: pdf cannot combine episodes into one file; "
                "formats that can: xlsx"
            ],
        ),
        ((str(SEED_JSON), "-q", "-v"), ["briefing: -q and -v cannot be given together"]),
        (
            ("-", "-", "-f", "md"),
            ["briefing: - (standard input) is given more than once"],
        ),
    ],
    ids=[
        "missing-input",
        "missing-among-good",
        "no-input-and-no-default-folder",
        "combine-with-md",
        "combine-with-one-that-cannot",
        "quiet-and-verbose",
        "stdin-twice",
    ],
)
def test_usage_error_exits_2_before_any_work(
    tmp_path: Path, args: tuple[str, ...], lines: list[str]
) -> None:
    code, stdout, stderr = export_in(tmp_path, *args)
    assert code == 2
    assert stderr.splitlines() == lines
    assert stdout == ""
    # No out/ folder, no manifest: nothing was made in the folder the command ran in.
    assert everything_under(tmp_path) == ["here"]


def test_a_folder_with_no_episodes_says_so(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "notes.txt").write_text("not an episode\n", encoding="utf-8")
    code, stdout, stderr = export_in(tmp_path, str(tmp_path / "inbox"), "-o", str(tmp_path / "o"))
    assert code == 2
    assert stderr == f"briefing: {tmp_path / 'inbox'}: no episode files (*.json) in this folder\n"
    assert stdout == ""
    assert not (tmp_path / "o").exists()


def test_an_empty_folder_beside_episodes_is_reported_and_the_rest_written(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "o"
    code, _, stderr = export_in(
        tmp_path, str(SEED_JSON), str(tmp_path / "empty"), "-f", "md", "-o", str(out)
    )
    assert code == 1
    assert (
        stderr.splitlines()[0] == f"{tmp_path / 'empty'}: no episode files (*.json) in this folder"
    )
    assert (out / "summoning-ghosts.md").is_file()


def test_combine_with_all_says_which_formats_it_used(tmp_path: Path) -> None:
    out = tmp_path / "o"
    code, stdout, stderr = export_in(
        tmp_path, str(SEED_JSON), "-f", "all", "--combine", "-o", str(out)
    )
    assert (code, stderr) == (0, "")
    assert stdout == (
        f"Wrote 1 file into {out}/ for 1 episode; --combine with -f all used xlsx "
        "(docx, html, md, pdf cannot combine).\n"
    )
    assert load_workbook(out / "episodes.xlsx", read_only=True).sheetnames[0] == "Overview"
    assert everything_under(out) == ["episodes.xlsx", "manifest.json"]


def test_a_run_whose_only_format_cannot_load_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.pipeline import default_registry

    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "plugins_broken"))
    default_registry.cache_clear()
    try:
        out = tmp_path / "o"
        code, stdout, stderr = export_in(tmp_path, str(SEED_JSON), "-f", "broken", "-o", str(out))
    finally:
        default_registry.cache_clear()
    assert (code, stdout) == (1, "")
    assert stderr == (
        "briefing: format 'broken' from briefing-broken 0.1 cannot be loaded: "
        "ModuleNotFoundError: No module named 'module_that_does_not_exist'\n"
    )
    assert not out.exists()
