"""The benchmark's generator and harness: deterministic, valid, and complete in shape.

Nothing here times anything (CI never does); the quick run is only checked for
the table it prints and the keys of the JSON it writes.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synthetic import (
    BUNDLED_LIKE,
    LARGE,
    EpisodeShape,
    episode_bytes,
    generate_episode,
    predictions_shape,
    scaled_shape,
    write_library,
)
from briefing.model import Episode
from briefing.source import load_episode
from tests.conftest import ROOT

SHAPES = [BUNDLED_LIKE, LARGE, scaled_shape(3, paragraph_words=5), predictions_shape(40)]
ROW_KEYS = {"group", "what", "ours", "unit", "peer", "peer_name", "ratio", "ratio_of", "target"}
STATUSES = {"met", "not met", "not available", ""}


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not() -> None:
    first = episode_bytes(generate_episode(11, LARGE))
    assert episode_bytes(generate_episode(11, LARGE)) == first
    assert episode_bytes(generate_episode(12, LARGE)) != first


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: f"{shape.segments}-segments")
def test_generated_episodes_are_valid_with_the_counts_asked_for(shape: EpisodeShape) -> None:
    episode = Episode.model_validate(generate_episode(5, shape))
    counts = {
        "segments": shape.segments,
        "predictions": shape.predictions,
        "facts": shape.facts,
        "claims": shape.claims,
        "quotes": shape.quotes,
        "prices": shape.prices,
        "technologies": shape.technologies,
        "takeaways": shape.takeaways,
    }
    assert {name: len(getattr(episode, name)) for name in counts} == counts


def test_generated_text_is_varied_and_not_only_ascii() -> None:
    text = episode_bytes(generate_episode(3, LARGE)).decode("utf-8")
    assert not text.isascii()
    statements = [item["statement"] for item in generate_episode(3, LARGE)["predictions"]]
    assert len(set(statements)) == len(statements)


def test_a_library_is_files_in_seed_order_that_load(tmp_path: Path) -> None:
    paths = write_library(tmp_path, 12, BUNDLED_LIKE, seed=40)
    assert paths == sorted(tmp_path.glob("*.json"))
    episodes = [load_episode(path) for path in paths]
    assert [episode.id for episode in episodes] == [f"synthetic-{n:02d}" for n in range(12)]
    assert paths[3].read_bytes() == episode_bytes(
        generate_episode(43, BUNDLED_LIKE, "synthetic-03")
    )


def test_quick_run_prints_the_table_and_writes_the_json(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(output.read_text(encoding="utf-8"))
    assert set(results) == {"meta", "formats", "rows", "table"}
    assert results["meta"]["plan"]["name"] == "quick"
    assert results["table"] in done.stdout
    assert "what" in done.stdout and "status" in done.stdout
    groups = {row["group"] for row in results["rows"]}
    for expected in (
        "running process",
        "Typst",
        "Growth",
        "Whole processes",
        "pandoc",
        "Library",
        "Combined",
        "Incremental",
        "Dask",  # measured with the dask extra, a row saying so without it
        "Main process peak memory",
    ):
        assert any(expected in group for group in groups), expected
    for row in results["rows"]:
        assert set(row) >= ROW_KEYS
        assert row["status"] in STATUSES
    whats = " ".join(row["what"] for row in results["rows"])
    for name in ("md", "pdf", "docx", "xlsx", "briefing --help", "--jobs 2", "--combine"):
        assert name in whats, name
    # The run is judged by its headline targets, printed once more at the end.
    targets = done.stdout.split("\nTargets\n", 1)[1].splitlines()
    if importlib.util.find_spec("typst") is not None:
        # The Typst row is measured only where the bench extra put typst in.
        assert any(line.strip().startswith("PDF / Typst") for line in targets)
    assert any("combined workbook / xlsxwriter" in line for line in targets)
    assert any("export --jobs 1 / import floor, bytecode uncached" in line for line in targets)
    assert all(line.rstrip().endswith(tuple(STATUSES - {""})) for line in targets)


HOSTILE = [
    'quote " and backslash \\ and #strong[x] and $x^2$ and *star* and ]',
    "line one\nline two",
    "中文 → café 🙂",
]


def test_typst_document_holds_every_text_as_written(tmp_path: Path) -> None:
    pytest.importorskip("typst")
    from pypdf import PdfReader

    from benchmarks.typst_peer import TypstPeer, typst_source
    from briefing.labels import labels_for
    from styles import load_theme

    episode = Episode.model_validate(
        {
            **generate_episode(7, BUNDLED_LIKE),
            "title": HOSTILE[0],
            "takeaways": HOSTILE,
        }
    )
    theme, labels = load_theme("default"), labels_for("en")
    prepare, compile_ = TypstPeer().rounds(episode, theme, labels)
    first = compile_()
    prepare()
    second = compile_()
    # Each round is a distinct document (so Typst's memoisation cannot skip the work).
    assert typst_source(episode, theme, labels, 1) != typst_source(episode, theme, labels, 2)
    assert first != second
    path = tmp_path / "typst.pdf"
    path.write_bytes(second)
    reader = PdfReader(path)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert reader.metadata.title == HOSTILE[0]
    for expected in [*HOSTILE, *(p.statement for p in episode.predictions)]:
        for line in expected.split("\n"):
            assert " ".join(line.split()) in text, line
    assert len(reader.pages) >= 2


def test_growth_part_has_every_format_its_ratios_and_the_limit_sized_episode() -> None:
    """The growth part at its quick sizes: a ratio row per step of every series in every
    format, and the limit-sized episode (small limits here) rendered in each."""
    from benchmarks import pdf_growth
    from benchmarks.plan import QUICK

    rows = pdf_growth.rows(QUICK)
    whats = {row.what: row for row in rows}
    for name in pdf_growth.FORMATS:
        for what in (
            f"{name}: one takeaway: 10 -> 100 lines",
            f"{name}: every list: 2 -> 20 items",
        ):
            row = whats[what]
            assert row.ratio is not None and row.ratio > 0
            assert row.extra["bytes"] > 0
        (limit,) = [row for row in rows if row.what.startswith(f"{name}: the limit-sized episode")]
        assert limit.ours is not None and limit.peak_memory_bytes
        assert limit.extra["bytes"] > 0
