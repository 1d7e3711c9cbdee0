"""Every corpus case through ``validate``, ``ingest`` and ``export`` in every registered format.

A case is exported correctly (each of its texts read back exactly, in every
format, and nothing in it acting as markup, a link, an image or a formula) or
refused with its one error line; never a traceback, never a stray file.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from briefing.cli import cli
from briefing.formats import CombiningExporter, Exporter, Registry
from briefing.labels import Labels, labels_for
from briefing.model import Episode
from briefing.pipeline import default_context
from briefing.source import load_episode
from styles import load_theme
from tests import readback
from tests.conftest import SEED_JSON
from tests.episodes import expected_texts, make_episode
from tests.system.adversarial.checks import Baseline, acting_problems, learn_baseline
from tests.system.adversarial.corpus import (
    EXCEL_CELL_LIMIT,
    GENERATED,
    LARGEST_EPISODE_BYTES,
    Case,
    committed_cases,
    field_value,
    largest_episode,
    shows_cut_in_cell,
    utf16_length,
)

COMMITTED = committed_cases()
CASES = [*COMMITTED, *GENERATED]
REGISTRY = Registry.from_metadata()
FORMATS = REGISTRY.names()
"""Every registered format, so a newly installed one is covered without a change here."""


def by_name(cases: list[Case]) -> dict[str, Case]:
    return {case.name: case for case in cases}


def ids(case: Case) -> str:
    return case.name


@dataclass(frozen=True)
class Exported:
    episode: Episode
    input_path: Path
    out_dir: Path
    result: Result

    @property
    def labels(self) -> Labels:
        return labels_for(self.episode.language)


@pytest.fixture(scope="session")
def case_inputs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Case], Path]:
    """A case's input file (generated ones written once per session)."""
    made: dict[str, Path] = {}

    def materialise(case: Case) -> Path:
        if case.name not in made:
            made[case.name] = case.materialise(tmp_path_factory.mktemp(f"in-{case.name}"))
        return made[case.name]

    return materialise


@pytest.fixture(scope="session")
def exported_case(
    tmp_path_factory: pytest.TempPathFactory, case_inputs: Callable[[Case], Path]
) -> Callable[[Case], Exported]:
    """A case exported once in every format (a page ingested first), shared by its tests."""
    done: dict[str, Exported] = {}

    def export(case: Case) -> Exported:
        if case.name in done:
            return done[case.name]
        source = case_inputs(case)
        if case.kind == "page":
            ingested = tmp_path_factory.mktemp(f"ingested-{case.name}") / f"{case.name}.json"
            result = CliRunner().invoke(cli, ["ingest", str(source), "-o", str(ingested)])
            assert result.exit_code == 0, result.output
            source = ingested
        out_dir = tmp_path_factory.mktemp(f"out-{case.name}")
        result = CliRunner().invoke(cli, ["export", str(source), "-f", "all", "-o", str(out_dir)])
        done[case.name] = Exported(load_episode(source), source, out_dir, result)
        return done[case.name]

    return export


@pytest.fixture(scope="session")
def baselines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Baseline]:
    """What each exporter puts into a plain document of its own accord."""
    plain = [
        load_episode(SEED_JSON),
        make_episode(watch_url="https://example.org/watch?v=plain", takeaways=["Plain."]),
    ]
    theme = load_theme()
    return {
        name: learn_baseline(
            name,
            [
                REGISTRY.get(name).render(
                    episode, theme, labels_for(episode.language), default_context(episode)
                )
                for episode in plain
            ],
        )
        for name in FORMATS
    }


def test_the_corpus_is_complete() -> None:
    """At least 30 committed cases, each input with its expectation, both outcomes present."""
    assert len(COMMITTED) >= 30
    inputs = {
        path.stem for path in COMMITTED[0].committed.parent.iterdir() if path.suffix != ".expected"
    }  # type: ignore[union-attr]
    assert inputs == {case.name for case in COMMITTED}
    assert len(by_name(CASES)) == len(CASES), "case names are unique"
    for outcome in ("exported", "refused"):
        for kind in ("episode", "page"):
            assert any(c.expectation.outcome == outcome and c.kind == kind for c in CASES)


# -- validate and ingest ---------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.kind == "episode"], ids=ids)
def test_validate(case: Case, case_inputs: Callable[[Case], Path]) -> None:
    source = case_inputs(case)
    result = CliRunner().invoke(cli, ["validate", str(source)])
    assert "Traceback" not in result.output
    if case.exported:
        assert (result.exit_code, result.stderr) == (0, ""), result.stderr
        episode = load_episode(source)
        for path, text in case.expectation.texts:
            assert field_value(episode, path) == text, path
    else:
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [case.expectation.error_line(source), "0 of 1 valid."]


@pytest.mark.parametrize("case", [c for c in CASES if c.kind == "page"], ids=ids)
def test_ingest(case: Case, case_inputs: Callable[[Case], Path], tmp_path: Path) -> None:
    source = case_inputs(case)
    target = tmp_path / "episode.json"
    result = CliRunner().invoke(cli, ["ingest", str(source), "-o", str(target)])
    assert "Traceback" not in result.output
    if case.exported:
        assert result.exit_code == 0, result.output
        episode = load_episode(target)
        for path, text in case.expectation.texts:
            assert field_value(episode, path) == text, path
    else:
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [case.expectation.error_line(source)]
        assert not target.exists()


# -- export ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", [c for c in CASES if not c.exported and c.kind == "episode"], ids=ids
)
def test_export_refuses_and_writes_nothing(
    case: Case, case_inputs: Callable[[Case], Path], tmp_path: Path
) -> None:
    source = case_inputs(case)
    result = CliRunner().invoke(cli, ["export", str(source), "-f", "all", "-o", str(tmp_path)])
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        case.expectation.error_line(source),
        f"Wrote 0 files into {tmp_path}/ for 0 episodes; 1 failed.",
    ]
    assert list(tmp_path.iterdir()) == []


EXPORTED = [case for case in CASES if case.exported]
SLOW_CASES = {"many-segments"}
"""Cases that take many seconds in some format (the PDF of many segments: about 25 s)."""
EXPORTED_MARKED = [
    pytest.param(case, marks=pytest.mark.slow, id=case.name)
    if case.name in SLOW_CASES
    else pytest.param(case, id=case.name)
    for case in EXPORTED
]


@pytest.mark.parametrize("case", EXPORTED, ids=ids)
def test_export_writes_exactly_its_files_inside_the_folder(
    case: Case, exported_case: Callable[[Case], Exported]
) -> None:
    exported = exported_case(case)
    assert exported.result.exit_code == 0, exported.result.output
    suffixes = {REGISTRY.get(name).suffix for name in FORMATS}
    expected = {f"{exported.episode.id}.{suffix}" for suffix in suffixes} | {"manifest.json"}
    found = list(exported.out_dir.rglob("*"))
    assert {path.name for path in found} == expected
    for path in found:
        assert path.resolve().parent == exported.out_dir.resolve()
    manifest = json.loads((exported.out_dir / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        data = (exported.out_dir / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert len(manifest["files"]) == len(FORMATS)


def too_long_for_a_cell(text: str) -> bool:
    return utf16_length(text) > EXCEL_CELL_LIMIT


def missing_texts(
    format_name: str,
    document_text: str,
    episode: Episode,
    listed: tuple[tuple[str, str], ...],
    labels: Labels,
) -> list[str]:
    """The episode's texts (every one, and the case's listed ones) the document does not show."""
    texts = [*listed, *expected_texts(episode)]
    missing = []
    for where, text in texts:
        if format_name == "xlsx" and too_long_for_a_cell(text):
            marker = labels.truncated.format(chars=len(text))
            found = shows_cut_in_cell(document_text, readback.CELL_SEPARATOR, text, marker)
        else:
            found = readback.shows(format_name, document_text, text)
        if not found:
            missing.append(f"{where}: {text[:60]!r}")
    return missing


@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize("case", EXPORTED_MARKED)
def test_export_reads_back_exactly_and_nothing_acts(
    case: Case,
    format_name: str,
    exported_case: Callable[[Case], Exported],
    baselines: dict[str, Baseline],
) -> None:
    exported = exported_case(case)
    assert exported.result.exit_code == 0, exported.result.output
    exporter: Exporter = REGISTRY.get(format_name)
    data = (exported.out_dir / f"{exported.episode.id}.{exporter.suffix}").read_bytes()
    document_text = readback.reader_for(format_name, exporter.media_type)(data)
    assert (
        missing_texts(
            format_name, document_text, exported.episode, case.expectation.texts, exported.labels
        )
        == []
    )
    assert acting_problems(format_name, data, exported.episode, baselines[format_name]) == []


COMBINING = [name for name in FORMATS if isinstance(REGISTRY.get(name), CombiningExporter)]


@pytest.mark.parametrize("format_name", COMBINING)
def test_one_combined_file_holds_every_exported_case(
    format_name: str,
    exported_case: Callable[[Case], Exported],
    baselines: dict[str, Baseline],
    tmp_path: Path,
) -> None:
    small = [case for case in EXPORTED if case.committed is not None]
    episodes = [exported_case(case) for case in small]
    result = CliRunner().invoke(
        cli,
        [
            "export",
            *(str(e.input_path) for e in episodes),
            "-f",
            format_name,
            "--combine",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    exporter = REGISTRY.get(format_name)
    (written,) = [path for path in tmp_path.iterdir() if path.name != "manifest.json"]
    assert written.name == f"episodes.{exporter.suffix}"
    data = written.read_bytes()
    document_text = readback.reader_for(format_name, exporter.media_type)(data)
    labels = labels_for("en")
    for exported, case in zip(episodes, small, strict=True):
        missing = missing_texts(
            format_name, document_text, exported.episode, case.expectation.texts, labels
        )
        assert missing == [], case.name
    # None of these cases has a watch link, so no link to any address may be there.
    assert acting_problems(format_name, data, make_episode(), baselines[format_name]) == []


@pytest.mark.slow
def test_largest_episode_is_exported_whole_in_every_format(tmp_path: Path) -> None:
    """An episode near the text limit (2,000 segments of 1,950 characters, nearly 4 MB)
    through ``export -f all``: every document is written and opens in its reader with every
    segment in it, first to last. (Reading every text back from a 1,000-page PDF would
    take minutes: its first and last pages are read instead, and the page count.)"""
    data = largest_episode()
    source = tmp_path / "largest-episode.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert source.stat().st_size > LARGEST_EPISODE_BYTES
    summaries = [segment["summary"] for segment in data["segments"]]

    result = CliRunner().invoke(
        cli, ["export", str(source), "-f", "all", "-o", str(tmp_path / "out")]
    )

    assert result.exit_code == 0, result.output
    documents = {path.suffix: path.read_bytes() for path in (tmp_path / "out").iterdir()}
    assert documents.keys() >= {".pdf", ".docx", ".xlsx", ".md"}

    pdf = PdfReader(io.BytesIO(documents[".pdf"]))
    assert len(pdf.pages) > 500
    first_pages = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages[:3])
    assert summaries[0][:40] in first_pages
    last_pages = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages[-3:])
    assert summaries[-1][-40:] in last_pages

    paragraphs = {
        paragraph.text for paragraph in Document(io.BytesIO(documents[".docx"])).paragraphs
    }
    assert [summary for summary in summaries if summary not in paragraphs] == []

    workbook = load_workbook(io.BytesIO(documents[".xlsx"]), read_only=True)
    cells = {cell for row in workbook["Segments"].iter_rows(values_only=True) for cell in row}
    workbook.close()
    assert [summary for summary in summaries if summary not in cells] == []

    lines = {line.strip() for line in documents[".md"].decode("utf-8").split("\n")}
    assert [summary for summary in summaries if summary not in lines] == []
