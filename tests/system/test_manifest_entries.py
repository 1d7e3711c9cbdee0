"""The manifest and the tool's own files: entries read back from an existing manifest are
checked (a plain file name in the folder, fields of their types) and the others dropped or
rebuilt with a warning; a manifest that is not one is rebuilt from the files in the folder,
not forgotten; when the output folder is also the input folder, the tool never reads its
own files as episodes; and one file named twice is one episode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.system.runs import (
    assert_manifest_tells_the_truth,
    manifest_entries,
    run_briefing,
    sha256,
    write_batch,
)

HOSTILE_NAMES = [
    "../../outside.md",
    "/etc/passwd",
    "sub/dir.md",
    "back\\slash.md",
    "forged.md\nout/other.md: a line the tool never wrote",
    "\u202edm.evil",
    "x" * 300 + ".md",
    ".manifest.journal",
    "manifest.json",
    "",
    123,
]


def earlier_run(out: Path, inputs: Path, count: int) -> list[Path]:
    """``count`` episodes exported as Markdown into ``out``: files and a manifest."""
    sources = write_batch(inputs, count)
    done = run_briefing("export", "-f", "md", "-j", "1", "-o", str(out), *map(str, sources))
    assert done.returncode == 0, done.stderr
    return sources


def test_hostile_manifest_entries_are_dropped_with_one_line_each(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    sources = earlier_run(out, inputs, 3)
    (tmp_path / "outside.md").write_text("not the tool's", encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    kept, mistyped = manifest["files"][0], dict(manifest["files"][1], bytes="5825")
    hostile = [dict(kept, file=name) for name in HOSTILE_NAMES]
    manifest["files"] = [*hostile, "not an entry", mistyped, kept]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    done = run_briefing("export", "-f", "md", "-j", "1", "-o", str(out), str(sources[2]))

    assert done.returncode == 0, done.stderr
    where = f"{out / 'manifest.json'}:files"
    assert done.stderr.splitlines() == [
        f"{where}.0: '../../outside.md' is not a plain file name in this folder; entry dropped",
        f"{where}.1: '/etc/passwd' is not a plain file name in this folder; entry dropped",
        f"{where}.2: 'sub/dir.md' is not a plain file name in this folder; entry dropped",
        f"{where}.3: 'back\\\\slash.md' is not a plain file name in this folder; entry dropped",
        f"{where}.4: 'forged.md\\nout/other.md: a line the tool never wrote' is not a plain file "
        "name in this folder; entry dropped",
        f"{where}.5: '\\u202edm.evil' is not a plain file name in this folder; entry dropped",
        f"{where}.6: '{'x' * 76}... is longer than 255 bytes; entry dropped",
        f"{where}.7: '.manifest.journal' is not a file the tool writes (it starts with a dot); "
        "entry dropped",
        f"{where}.8: 'manifest.json' is the manifest itself; entry dropped",
        f"{where}.9: '' is not a file name; entry dropped",
        f"{where}.10: 123 is not a file name; entry dropped",
        f"{where}.11: None is not a file name; entry dropped",
        f"{where}.12: bytes is not a whole number; entry rebuilt from the file",
    ]
    assert (tmp_path / "outside.md").read_text(encoding="utf-8") == "not the tool's"
    assert sorted(manifest_entries(out)) == ["episode-1.md", "episode-2.md", "episode-3.md"]
    assert manifest_entries(out)["episode-2.md"]["format"] == "md"
    assert_manifest_tells_the_truth(out)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{"tool": "briefing", "files": {"episode-1.md": {}}}', "(files is not a list)"),
        ('{"tool": "briefing", "files": "all of them"}', "(files is not a list)"),
        ("[]", "(not a JSON object)"),
        ("null", "(not a JSON object)"),
        ('{"tool": "briefing", "files": [', "(JSONDecodeError)"),
        ("\udcff", "(UnicodeDecodeError)"),
    ],
)
def test_a_manifest_that_is_not_one_is_rebuilt_from_the_folder(
    tmp_path: Path, text: str, why: str
) -> None:
    """Earlier files stay listed, with their format, episode and true hash, when the
    manifest they were in has become something else."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    sources = earlier_run(out, inputs, 2)
    before = manifest_entries(out)
    (out / "manifest.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    other = write_batch(tmp_path / "other", 3)[2]

    done = run_briefing("export", "-f", "md", "-j", "1", "-o", str(out), str(other))

    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"{out / 'manifest.json'}: not a manifest this version can read {why}; rebuilt from "
        "the files in the folder"
    ]
    entries = manifest_entries(out)
    assert sorted(entries) == ["episode-1.md", "episode-2.md", "episode-3.md"]
    for name in ("episode-1.md", "episode-2.md"):
        # Rebuilt from the file, an entry cannot know what it was made from: no digest,
        # so the next run renders it again.
        assert entries[name] == {key: v for key, v in before[name].items() if key != "digest"}
    assert len(sources) == 2
    assert_manifest_tells_the_truth(out)


def test_output_folder_that_is_the_input_folder_never_reads_its_own_files(
    tmp_path: Path,
) -> None:
    """Exporting a folder into itself, twice, with a format that writes episode JSON: the
    second run reads the two episodes and nothing the first one wrote (manifest.json,
    episode-1.json, ...), and its files are those of the first."""
    folder = tmp_path / "library"
    write_batch(folder, 2)
    command = ("export", "-f", "md", "-f", "as-json", "-j", "1", "-o", str(folder), str(folder))
    first = run_briefing(*command)
    assert first.returncode == 0, first.stderr
    files = {path.name: path.read_bytes() for path in folder.iterdir()}
    assert sorted(files) == [
        "01.json",
        "02.json",
        "episode-1.json",
        "episode-1.md",
        "episode-2.json",
        "episode-2.md",
        "manifest.json",
    ]

    second = run_briefing(*command)

    assert second.returncode == 0, second.stderr
    # Nothing changed, so nothing is written: the 4 documents of the 2 episodes are found.
    assert second.stdout == f"Wrote 0 files into {folder}/ for 0 episodes; 4 unchanged.\n"
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == files


def test_a_file_of_the_tools_named_as_input_is_refused_with_one_line(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    sources = earlier_run(out, inputs, 1)

    done = run_briefing(
        *("export", "-f", "md", "-j", "1", "-o", str(out)),
        *(str(out / "manifest.json"), str(sources[0])),
    )

    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"{out / 'manifest.json'}: is a file briefing wrote into its output folder, not an episode",
        f"Wrote 0 files into {out}/ for 0 episodes; 1 unchanged.",
    ]


def test_the_same_file_named_twice_is_one_episode(tmp_path: Path) -> None:
    """By name twice, through ``..``, through a symlink and through its folder: one episode,
    no "duplicate id" line, exit 0."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    sources = write_batch(inputs, 2)
    link = tmp_path / "link.json"
    link.symlink_to(sources[0])
    again = inputs / ".." / "in" / sources[0].name

    done = run_briefing(
        *("export", "-f", "md", "-j", "1", "-o", str(out)),
        *(str(sources[0]), str(sources[0]), str(again), str(link), str(inputs)),
    )

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == f"Wrote 2 files into {out}/ for 2 episodes.\n"
    entries = manifest_entries(out)
    assert entries["episode-1.md"]["sha256"] == sha256((out / "episode-1.md").read_bytes())
    assert_manifest_tells_the_truth(out)
