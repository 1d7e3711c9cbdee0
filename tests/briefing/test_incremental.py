"""Incremental re-runs through the real CLI: an unchanged library rewrites nothing, a change
rebuilds exactly the documents made from it, a file edited or deleted by hand is rebuilt,
``--force`` rebuilds all, and the manifest stays true throughout."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli
from tests.conftest import ROOT
from tests.system.runs import (
    assert_manifest_tells_the_truth,
    fault_env,
    run_briefing,
    write_batch,
)


def export(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["export", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and mtime: what a rewrite (a rename into place) changes."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(out.iterdir())}


def rewritten(before: dict[str, tuple[int, int]], out: Path) -> list[str]:
    after = stamps(out)
    return sorted(name for name in after if before.get(name) != after[name])


def library(tmp_path: Path, count: int = 3) -> tuple[list[Path], Path]:
    return write_batch(tmp_path / "in", count), tmp_path / "out"


def test_an_unchanged_rerun_rewrites_nothing(tmp_path: Path) -> None:
    sources, out = library(tmp_path)
    args = (str(sources[0].parent), "-f", "md", "-f", "html", "-j", "1", "-o", str(out))
    assert export(*args)[0] == 0
    before = stamps(out)
    manifest = (out / "manifest.json").read_bytes()

    code, stdout, _ = export(*args, "-v")

    assert code == 0
    assert rewritten(before, out) == []
    assert (out / "manifest.json").read_bytes() == manifest
    lines = stdout.splitlines()
    assert lines[-1] == f"Wrote 0 files into {out}/ for 0 episodes; 6 unchanged."
    assert f"unchanged {out / 'episode-2.html'} (html)" in lines
    assert export(*args, "-q") == (0, "", "")


def test_changing_one_episode_rebuilds_only_its_documents(tmp_path: Path) -> None:
    sources, out = library(tmp_path)
    args = (str(sources[0].parent), "-f", "md", "-f", "html", "-j", "1", "-o", str(out))
    export(*args)
    before = stamps(out)
    data = json.loads(sources[1].read_text(encoding="utf-8"))
    sources[1].write_text(json.dumps({**data, "title": "Retitled"}), encoding="utf-8")

    code, stdout, _ = export(*args)

    assert code == 0
    assert rewritten(before, out) == ["episode-2.html", "episode-2.md", "manifest.json"]
    assert "Retitled" in (out / "episode-2.md").read_text(encoding="utf-8")
    assert stdout == f"Wrote 2 files into {out}/ for 1 episode; 4 unchanged.\n"
    assert_manifest_tells_the_truth(out)


def test_theme_language_and_date_changes_rebuild_everything(tmp_path: Path) -> None:
    sources, out = library(tmp_path, 2)
    args = (str(sources[0].parent), "-f", "md", "-j", "1", "-o", str(out))
    export(*args)
    for change in (("--style", "print"), ("--style", "print", "--lang", "de")):
        before = stamps(out)
        code, stdout, _ = export(*args, *change)
        assert code == 0
        assert rewritten(before, out) == ["episode-1.md", "episode-2.md", "manifest.json"]
        assert stdout == f"Wrote 2 files into {out}/ for 2 episodes.\n"
    assert "Kategorie" in (out / "episode-1.md").read_text(encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    done = run_briefing("export", *args, "--style", "print", "--lang", "de", env=env)
    assert done.stdout == f"Wrote 2 files into {out}/ for 2 episodes.\n", done.stderr


def test_a_reference_doc_change_rebuilds_the_report(tmp_path: Path) -> None:
    from docx import Document

    sources, out = library(tmp_path, 1)
    reference = tmp_path / "reference.docx"
    Document().save(str(reference))
    args = (str(sources[0]), "-f", "docx", "-o", f"{out}/", "--reference-doc", str(reference))
    export(*args)
    before = stamps(out)
    assert export(*args)[1].endswith("; 1 unchanged.\n")
    changed = Document()
    changed.styles["Normal"].font.name = "Courier New"
    changed.save(str(reference))

    assert export(*args)[1] == f"Wrote 1 file into {out}/ for 1 episode.\n"
    assert rewritten(before, out) == ["episode-1.docx", "manifest.json"]


def test_a_file_edited_or_deleted_by_hand_is_rebuilt_and_force_rebuilds_all(
    tmp_path: Path,
) -> None:
    sources, out = library(tmp_path)
    args = (str(sources[0].parent), "-f", "md", "-j", "1", "-o", str(out))
    export(*args)
    original = (out / "episode-1.md").read_bytes()
    (out / "episode-1.md").write_bytes(original.replace(b"Episode 1", b"Episode X"))
    (out / "episode-3.md").unlink()
    before = stamps(out)

    assert export(*args)[1] == f"Wrote 2 files into {out}/ for 2 episodes; 1 unchanged.\n"
    assert rewritten(before, out) == ["episode-1.md", "episode-3.md", "manifest.json"]
    assert (out / "episode-1.md").read_bytes() == original
    assert_manifest_tells_the_truth(out)

    before = stamps(out)
    assert export(*args, "--force")[1] == f"Wrote 3 files into {out}/ for 3 episodes.\n"
    assert rewritten(before, out) == [
        "episode-1.md",
        "episode-2.md",
        "episode-3.md",
        "manifest.json",
    ]


def test_an_old_manifest_without_digests_rebuilds_and_the_manifest_is_deterministic(
    tmp_path: Path,
) -> None:
    sources, out = library(tmp_path, 2)
    args = (str(sources[0].parent), "-f", "md", "-j", "1", "-o", str(out))
    export(*args)
    manifest = (out / "manifest.json").read_bytes()
    old = json.loads(manifest)
    for entry in old["files"]:
        del entry["digest"]
    (out / "manifest.json").write_text(json.dumps(old), encoding="utf-8")

    assert export(*args)[1] == f"Wrote 2 files into {out}/ for 2 episodes.\n"
    assert (out / "manifest.json").read_bytes() == manifest
    other = tmp_path / "other"
    export(str(sources[0].parent), "-f", "md", "-j", "2", "-o", str(other))
    assert (other / "manifest.json").read_bytes() == manifest


def test_a_failed_document_is_retried_and_a_new_format_version_rebuilds(tmp_path: Path) -> None:
    """Through real processes with the fault plugins: an episode that failed is rendered
    again next run; a plugin's new version rebuilds its documents and no other."""
    sources, out = library(tmp_path, 2)
    broken = json.loads(sources[1].read_text(encoding="utf-8"))
    sources[1].write_text(json.dumps({**broken, "segments": "oops"}), encoding="utf-8")
    plugins = tmp_path / "plugins"
    shutil.copytree(ROOT / "tests" / "plugins", plugins)
    env = fault_env(plugins)
    args = ("export", str(sources[0].parent), "-f", "md", "-f", "txt", "-j", "1", "-o", str(out))
    assert run_briefing(*args, env=env).returncode == 1
    sources[1].write_text(json.dumps(broken), encoding="utf-8")

    done = run_briefing(*args, env=env)
    assert done.stdout == f"Wrote 2 files into {out}/ for 1 episode; 2 unchanged.\n", done.stderr

    metadata = plugins / "briefing_eptest-0.1.dist-info" / "METADATA"
    metadata.write_text(metadata.read_text().replace("Version: 0.1", "Version: 0.2"))
    before = stamps(out)
    done = run_briefing(*args, env=env)
    assert done.stdout == f"Wrote 2 files into {out}/ for 2 episodes; 2 unchanged.\n", done.stderr
    assert rewritten(before, out) == ["episode-1.txt", "episode-2.txt", "manifest.json"]
    assert_manifest_tells_the_truth(out)
