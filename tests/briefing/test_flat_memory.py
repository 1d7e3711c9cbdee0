"""A run holds the same memory for 100,000 episodes as for 1,000: episodes are found,
planned and rendered only as the workers have room, the report counts documents instead
of listing them unless asked, and what must be remembered of every episode (files read,
ids given out, manifest entries) is on disk. Measured in the benchmark (``--only
memory``); here, the mechanisms."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing import pipeline, pool
from briefing.manifest_file import HEAD, TAIL, NotLineLayout, entries_by_line, entry_store
from briefing.pipeline import ExportRequest, export
from briefing.spill import run_index
from styles import Theme
from tests.system.runs import write_batch


@pytest.mark.parametrize("jobs", [1, 2])
def test_episodes_are_found_only_as_the_workers_have_room(
    tmp_path: Path, default_theme: Theme, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    write_batch(tmp_path / "in", 40)
    found = 0
    real = pipeline.discover_inputs

    def counted(paths: Any) -> Iterator[Any]:
        nonlocal found
        for item in real(paths):
            found += 1
            yield item

    monkeypatch.setattr(pipeline, "discover_inputs", counted)
    finished = 0
    ahead: list[int] = []

    def progress(documents: int) -> None:
        nonlocal finished
        finished += 1
        ahead.append(found - finished)

    request = ExportRequest(
        inputs=(tmp_path / "in",),
        formats=("md",),
        out_dir=tmp_path / "out",
        theme=default_theme,
        jobs=jobs,
    )
    report = export(request, on_progress=progress)

    assert report.ok and report.episodes_exported == 40
    # In flight: a window per worker, one being put back together, the first few looked
    # at to choose how to split; never the whole folder.
    assert max(ahead) <= jobs * pool.PER_WORKER + jobs + 2
    assert found == 40


def test_a_report_without_listing_counts_the_documents(
    tmp_path: Path, default_theme: Theme
) -> None:
    write_batch(tmp_path / "in", 3)
    request = ExportRequest(
        inputs=(tmp_path / "in",),
        formats=("md", "html"),
        out_dir=tmp_path / "out",
        theme=default_theme,
        listing=False,
    )
    first = export(request)
    again = export(request)

    assert (first.files_written, first.written) == (6, [])
    assert (again.files_written, again.files_unchanged, again.unchanged) == (0, 6, [])
    assert again.episodes_unchanged == 3


def test_the_manifest_is_one_entry_per_line_and_one_json_document(
    tmp_path: Path, default_theme: Theme
) -> None:
    write_batch(tmp_path / "in", 3)
    request = ExportRequest(
        inputs=(tmp_path / "in",), formats=("md",), out_dir=tmp_path / "out", theme=default_theme
    )
    export(request)
    manifest = tmp_path / "out" / "manifest.json"

    lines = manifest.read_bytes().splitlines(keepends=True)
    parsed = json.loads(manifest.read_bytes())
    assert lines[0] == HEAD and lines[-1] == TAIL and len(lines) == 3 + 2
    assert [json.loads(line.rstrip(b",\n")) for line in lines[1:-1]] == parsed["files"]
    assert list(entries_by_line(manifest)) == parsed["files"]
    assert [entry["file"] for entry in parsed["files"]] == [
        "episode-1.md",
        "episode-2.md",
        "episode-3.md",
    ]


def test_a_manifest_in_the_earlier_layout_is_read_whole_and_kept(
    tmp_path: Path, default_theme: Theme
) -> None:
    sources = write_batch(tmp_path / "in", 3)
    out = tmp_path / "out"

    def request(*inputs: Path) -> ExportRequest:
        return ExportRequest(inputs=inputs, formats=("md",), out_dir=out, theme=default_theme)

    export(request(*sources[:2]))
    manifest = out / "manifest.json"
    earlier = json.loads(manifest.read_bytes())
    manifest.write_text(json.dumps(earlier, ensure_ascii=False, indent=2) + "\n", "utf-8")

    unchanged = export(request(*sources[:2]))
    assert unchanged.ok and unchanged.episodes_unchanged == 2  # its digests were read
    report = export(request(sources[2]))

    assert report.ok and report.warnings == []
    files = json.loads(manifest.read_bytes())["files"]
    assert files[:2] == earlier["files"]
    assert [entry["file"] for entry in files] == ["episode-1.md", "episode-2.md", "episode-3.md"]
    assert manifest.read_bytes().startswith(HEAD)


@pytest.mark.parametrize(
    ("cut", "why"),
    [
        (lambda text: text[: -len(TAIL)], "cut short"),
        (lambda text: text.replace(b"}\n]}", b"},\n]}"), "a comma before the closing bracket"),
        (lambda text: text + b"\n", "something after the closing line"),
        (lambda text: text.replace(b"},\n", b"}, ", 1), "two entries on one line"),
    ],
)
def test_a_line_manifest_that_is_not_whole_is_judged_as_json(
    tmp_path: Path, cut: Any, why: str
) -> None:
    manifest = tmp_path / "manifest.json"
    entries = [{"file": f"{n}.md"} for n in range(3)]
    with manifest.open("wb") as handle:
        from briefing.manifest_file import write_by_line

        write_by_line(handle, iter(entries))
    assert list(entries_by_line(manifest)) == entries
    manifest.write_bytes(cut(manifest.read_bytes()))

    with pytest.raises(NotLineLayout):
        list(entries_by_line(manifest))
    whole_json = True
    try:
        json.loads(manifest.read_bytes())
    except ValueError:
        whole_json = False
    # Whether it is a manifest at all is then the whole-file reading's to say.
    assert whole_json == (why in {"something after the closing line", "two entries on one line"})


def test_the_entry_store_sorts_as_python_sorts_names() -> None:
    names = ["b.md", "a.md", "Z.md", "é.md", "中.md", "𝔸.md", "a.md", "\u202e.md"]
    with entry_store() as store:
        for number, name in enumerate(names):
            store.put({"file": name, "n": number})
        stored = list(store.sorted_entries())
    assert [entry["file"] for entry in stored] == sorted(set(names))
    assert next(entry for entry in stored if entry["file"] == "a.md")["n"] == 6  # last wins


def test_the_run_index_remembers_files_and_owners(tmp_path: Path) -> None:
    status = tmp_path.stat()
    huge = os.stat_result((0, 2**64 - 1, 2**64 - 1, 0, 0, 0, 0, 0, 0, 0))
    with run_index() as index:
        assert index.first_sight(status) and not index.first_sight(status)
        assert index.first_sight(huge) and not index.first_sight(huge)
        first, second = tmp_path / "a.json", tmp_path / "b\udcff.json"
        assert index.claim("episode-1", first) == first
        assert index.claim("episode-1", second) == first
        assert index.claim("episode-2", second) == second
        assert index.claim("episode-2", first) == second
