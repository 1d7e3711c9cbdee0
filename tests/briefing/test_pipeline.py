"""Files whole or not at all, a manifest that tells the truth, bad inputs that stop nothing."""

from __future__ import annotations

import json
import shutil
import weakref
from pathlib import Path
from typing import Any, ClassVar

import pytest

from briefing import pool
from briefing.formats import Registry
from briefing.pipeline import ExportRequest, executor_for, export, write_atomically
from styles import Theme
from tests.conftest import SEED_JSON
from tests.fakes import use_registry_with


class ExplodingExporter:
    name: ClassVar[str] = "boom"
    suffix: ClassVar[str] = "md"
    media_type: ClassVar[str] = "text/plain"
    description: ClassVar[str] = "fails halfway"

    def render(self, episode: Any, theme: Any, labels: Any) -> bytes:
        raise RuntimeError("disk of the mind is full")


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Registry:
    """The real formats plus 'boom', for this test only."""
    return use_registry_with(monkeypatch, "boom", ExplodingExporter)


def request(
    tmp_path: Path, theme: Theme, *inputs: Path, formats: tuple[str, ...] = ("md",)
) -> ExportRequest:
    return ExportRequest(inputs=inputs, formats=formats, out_dir=tmp_path / "out", theme=theme)


def test_writes_files_and_a_manifest(tmp_path: Path, default_theme: Theme) -> None:
    report = export(request(tmp_path, default_theme, SEED_JSON))
    assert report.ok and report.episodes_exported == 1
    written = tmp_path / "out" / "summoning-ghosts.md"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["files"]
    assert entry["file"] == "summoning-ghosts.md"
    assert entry["episode"] == "summoning-ghosts"
    assert entry["bytes"] == written.stat().st_size
    import hashlib

    assert entry["sha256"] == hashlib.sha256(written.read_bytes()).hexdigest()
    assert entry["version"]


@pytest.mark.usefixtures("registry")
def test_failing_exporter_leaves_no_file_and_keeps_the_old_one(
    tmp_path: Path, default_theme: Theme
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = out / "summoning-ghosts.md"
    old.write_text("an earlier briefing", encoding="utf-8")
    report = export(request(tmp_path, default_theme, SEED_JSON, formats=("boom",)))
    assert not report.ok
    assert [str(p) for p in report.problems] == [
        f"{SEED_JSON}: boom export failed: RuntimeError: disk of the mind is full"
    ]
    assert old.read_text(encoding="utf-8") == "an earlier briefing"
    assert sorted(p.name for p in out.iterdir()) == ["summoning-ghosts.md"]


def test_failed_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.md"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


def test_bad_episode_in_a_batch_does_not_stop_the_good_ones(
    tmp_path: Path, default_theme: Theme
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED_JSON, inputs / "a-good.json")
    (inputs / "b-bad.json").write_text('{"schema_version": 1}', encoding="utf-8")
    report = export(request(tmp_path, default_theme, inputs))
    assert report.episodes_exported == 1 and report.episodes_failed == 1
    assert (tmp_path / "out" / "summoning-ghosts.md").is_file()
    assert {p.field for p in report.problems} == {"id", "title"}


def test_duplicate_ids_keep_the_first_file(tmp_path: Path, default_theme: Theme) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED_JSON, inputs / "a.json")
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    data["title"] = "An impostor"
    (inputs / "b.json").write_text(json.dumps(data), encoding="utf-8")
    report = export(request(tmp_path, default_theme, inputs))
    assert report.episodes_exported == 1 and report.episodes_failed == 1
    assert "duplicate id 'summoning-ghosts'" in str(report.problems[0])
    text = (tmp_path / "out" / "summoning-ghosts.md").read_text(encoding="utf-8")
    assert text.startswith("# Dwarkesh")


def test_manifest_keeps_entries_of_earlier_runs(tmp_path: Path, default_theme: Theme) -> None:
    export(request(tmp_path, default_theme, SEED_JSON))
    other = tmp_path / "other.json"
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    data["id"] = "another-episode"
    other.write_text(json.dumps(data), encoding="utf-8")
    export(request(tmp_path, default_theme, other))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in manifest["files"]] == [
        "another-episode.md",
        "summoning-ghosts.md",
    ]


def test_parallel_export_gives_the_same_files_and_manifest(
    tmp_path: Path, default_theme: Theme
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    for number in range(4):
        data["id"] = f"episode-{number}"
        (inputs / f"{number}.json").write_text(json.dumps(data), encoding="utf-8")
    (inputs / "9-bad.json").write_text("[]", encoding="utf-8")
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        report = export(
            ExportRequest(
                inputs=(inputs,), formats=("md",), out_dir=out, theme=default_theme, jobs=jobs
            )
        )
        assert report.episodes_exported == 4 and report.episodes_failed == 1
        outputs[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert outputs[1] == outputs[2]


class _RecordingExecutor:
    """The executor the pipeline picks, recording the format group of every task it runs."""

    groups: ClassVar[list[tuple[str, ...]]] = []

    def __init__(self, request: ExportRequest, tasks: int) -> None:
        self.run = executor_for(request, tasks)

    def __call__(self, function: Any, arguments: Any) -> Any:
        def recorded() -> Any:
            for argument in arguments:
                self.groups.append(argument[1])
                yield argument

        return self.run(function, recorded())


@pytest.mark.parametrize("source", ["good", "bad"])
def test_one_episode_with_workers_renders_each_format_apart_and_reports_the_same(
    tmp_path: Path, default_theme: Theme, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    episode = SEED_JSON
    if source == "bad":
        episode = tmp_path / "bad.json"
        episode.write_text('{"id": "x"}', encoding="utf-8")
    formats = ("md", "no-such-format", "xlsx", "docx")
    monkeypatch.setattr("briefing.pipeline.executor_for", _RecordingExecutor)
    _RecordingExecutor.groups = []
    results = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        report = export(
            ExportRequest(
                inputs=(episode,), formats=formats, out_dir=out, theme=default_theme, jobs=jobs
            )
        )
        files = {p.name: p.read_bytes() for p in out.iterdir()} if out.exists() else {}
        results[jobs] = (files, [str(problem) for problem in report.problems])
    assert results[1] == results[2]
    # jobs=1 renders the episode as one task of every format; jobs=2 each format apart.
    assert _RecordingExecutor.groups == [formats, *[(name,) for name in formats]]
    files, problems = results[1]
    if source == "good":
        assert sorted(files) == [
            "manifest.json",
            "summoning-ghosts.docx",
            "summoning-ghosts.md",
            "summoning-ghosts.xlsx",
        ]
        assert len(problems) == 1 and "no-such-format" in problems[0]
    else:
        assert files == {} and problems and all(str(episode) in text for text in problems)


def test_the_pdf_task_starts_first_and_the_parts_come_back_in_format_order(
    tmp_path: Path, default_theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    formats = ("md", "no-such-format", "pdf", "other-missing")
    monkeypatch.setattr("briefing.pipeline.executor_for", _RecordingExecutor)
    _RecordingExecutor.groups = []
    results = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        request = ExportRequest(
            inputs=(SEED_JSON,), formats=formats, out_dir=out, theme=default_theme, jobs=jobs
        )
        report = export(request)
        manifest = json.loads((out / "manifest.json").read_bytes())
        results[jobs] = (manifest["files"], [str(problem) for problem in report.problems])
    assert _RecordingExecutor.groups[1:] == [
        ("pdf",),
        ("md",),
        ("no-such-format",),
        ("other-missing",),
    ]
    assert results[1] == results[2]
    files, problems = results[2]
    assert [entry["format"] for entry in files] == ["md", "pdf"]
    assert ["no-such-format" in problems[0], "other-missing" in problems[1]] == [True, True]


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_every_finished_document(
    tmp_path: Path, default_theme: Theme, jobs: int
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    for number in range(3):
        data["id"] = f"episode-{number}"
        (inputs / f"{number}.json").write_text(json.dumps(data), encoding="utf-8")
    (inputs / "9-bad.json").write_text("{", encoding="utf-8")
    steps: list[int] = []
    formats = ("md", "xlsx")
    export(
        ExportRequest(
            inputs=(inputs,),
            formats=formats,
            out_dir=tmp_path / "out",
            theme=default_theme,
            jobs=jobs,
        ),
        steps.append,
    )
    # Four episodes, the bad one included: its documents are finished too (as failures).
    assert steps == [len(formats)] * 4


def test_missing_input_is_a_problem_not_a_crash(tmp_path: Path, default_theme: Theme) -> None:
    report = export(request(tmp_path, default_theme, tmp_path / "nowhere.json"))
    assert [str(p) for p in report.problems] == [
        f"{tmp_path / 'nowhere.json'}: no such file or folder"
    ]


class _Result:
    """A result the test can watch with a weak reference."""

    def __init__(self, value: int) -> None:
        self.value = value


def _square(value: int) -> _Result:
    return _Result(value * value)


@pytest.mark.parametrize("jobs", [1, 3])
def test_workers_pull_tasks_only_as_they_have_room_and_keep_no_result(jobs: int) -> None:
    """The pool takes arguments from a generator a few per worker ahead of what it has
    yielded, never the whole batch, yields results in input order, and keeps no reference to
    a result once it is handed over, so memory does not grow with the batch."""
    pulled = 0

    def arguments() -> Any:
        nonlocal pulled
        for value in range(200):
            pulled += 1
            yield value

    limit = jobs * pool.PER_WORKER
    seen: list[int] = []
    handed: list[weakref.ref[_Result]] = []
    for argument, result in pool.in_workers(jobs)(_square, arguments()):
        assert isinstance(result, _Result)
        assert pulled - len(seen) <= limit
        seen.append(argument)
        assert result.value == argument * argument
        handed.append(weakref.ref(result))
        del result  # results hold no cycles: without a reference elsewhere, it is gone
        assert [ref for ref in handed if ref() is not None] == []
    assert seen == list(range(200))


def test_the_in_process_executor_is_the_same_seam() -> None:
    results = list(pool.in_process(_square, iter(range(5))))
    assert [(argument, result.value) for argument, result in results] == [
        (n, n * n) for n in range(5)
    ]
