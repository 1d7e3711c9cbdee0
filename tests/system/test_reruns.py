"""Same inputs, same bytes: two real processes that differ in everything that must not matter.

Each run is ``python -m briefing export -f all`` of the same inputs (the bundled episode and
a Chinese one full of awkward text) in a process of its own, one with ``PYTHONHASHSEED=1``,
``TZ=UTC``, the C.UTF-8 locale and the repository as working folder, the other with
``PYTHONHASHSEED=987``, the Chatham Islands' time zone (UTC+12:45/+13:45), the C locale and
another working folder. Every file, PDF, Word, Excel and Markdown, must come out byte for
byte the same, and so must the manifests, whose hashes must be the files' real ones; with and
without ``SOURCE_DATE_EPOCH``. The only date a document carries is that variable's, else the
episode's ``published`` date, else 1980-01-01.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.formats import Registry
from briefing.pipeline import MANIFEST_NAME
from tests.conftest import ROOT, SEED_JSON

PROCESS_TIMEOUT = 120
EPOCH = "1700000000"
EPOCH_DATE = "2023-11-14T22:13:20Z"
"""``EPOCH`` as the W3C date Word and Excel keep in docProps/core.xml."""
PUBLISHED = "2025-10-17"
CHATHAM = "CHAST-12:45CHADT,M9.5.0/2:45,M4.1.0/3:45"
"""Pacific/Chatham written out as a POSIX rule, so it applies even without a tz database."""
SUFFIXES = ("docx", "html", "md", "pdf", "xlsx")
EPISODES = ("summoning-ghosts", "shen-du-xue-xi")


@dataclass(frozen=True)
class Run:
    out: Path
    files: dict[str, bytes]
    """Every file the run left in its output folder, manifest.json included, by name."""


@dataclass(frozen=True)
class TwinRuns:
    first: Run
    second: Run


def write_inputs(folder: Path) -> Path:
    """The bundled episode and a Chinese one (published, so its date is used when no
    SOURCE_DATE_EPOCH is set) with emoji, a CJK extension B character, right-to-left text,
    combining marks and formula-like takeaways."""
    folder.mkdir()
    seed = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    (folder / "summoning-ghosts.json").write_bytes(SEED_JSON.read_bytes())
    chinese = {
        **seed,
        "id": "shen-du-xue-xi",
        "title": "深度学习的十年：召唤幽灵 👻 𠀀",
        "language": "zh",
        "published": PUBLISHED,
        "speakers": ["安德烈·卡帕西", "Dwarkesh Patel"],
        "takeaways": [
            *seed["takeaways"],
            '=HYPERLINK("http://example.com","点我")',
            "@SUM(1+1)",
            "שלום and عربى in one line",
            "e\u0301 and \u1100\u1161 combine",
        ],
    }
    (folder / "shen-du-xue-xi.json").write_text(
        json.dumps(chinese, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return folder


def export_in_a_process(
    inputs: Path, out: Path, cwd: Path, source_date_epoch: str | None, **env: str
) -> Run:
    """``briefing export -f all`` in a fresh interpreter with ``env`` on top of ours."""
    environment = {**os.environ, **env}
    environment.pop("SOURCE_DATE_EPOCH", None)
    if source_date_epoch is not None:
        environment["SOURCE_DATE_EPOCH"] = source_date_epoch
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "export", "-f", "all", "-o", str(out), str(inputs)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=PROCESS_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    files = 2 * len(Registry.from_metadata().names())
    assert done.stdout == f"Wrote {files} files into {out}/ for 2 episodes.\n"
    return Run(out, {path.name: path.read_bytes() for path in sorted(out.iterdir())})


@pytest.fixture(scope="module")
def export_twice(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str | None], TwinRuns]:
    """Exports the inputs in two differently set-up processes, once per SOURCE_DATE_EPOCH
    setting asked for (the runs take seconds, so each test of this module shares them)."""
    inputs = write_inputs(tmp_path_factory.mktemp("inputs") / "in")
    done: dict[str | None, TwinRuns] = {}

    def twice(source_date_epoch: str | None) -> TwinRuns:
        if source_date_epoch not in done:
            base = tmp_path_factory.mktemp("epoch-unset" if source_date_epoch is None else "epoch")
            elsewhere = base / "elsewhere"
            elsewhere.mkdir()
            first = export_in_a_process(
                inputs,
                base / "first",
                ROOT,
                source_date_epoch,
                PYTHONHASHSEED="1",
                TZ="UTC",
                LC_ALL="C.UTF-8",
            )
            second = export_in_a_process(
                inputs,
                base / "second",
                elsewhere,
                source_date_epoch,
                PYTHONHASHSEED="987",
                TZ=CHATHAM,
                LC_ALL="C",
            )
            done[source_date_epoch] = TwinRuns(first, second)
        return done[source_date_epoch]

    return twice


def core_properties(document: bytes) -> str:
    """docProps/core.xml of a Word or Excel file."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return archive.read("docProps/core.xml").decode("utf-8")


def zip_entry_times(document: bytes) -> set[tuple[int, ...]]:
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return {tuple(info.date_time) for info in archive.infolist()}


def pdf_dates(document: bytes) -> tuple[str, str]:
    metadata = PdfReader(io.BytesIO(document)).metadata
    assert metadata is not None
    return str(metadata["/CreationDate"]), str(metadata["/ModDate"])


EPOCH_SETTINGS = pytest.mark.parametrize(
    "source_date_epoch", [None, EPOCH], ids=["no-source-date-epoch", "source-date-epoch"]
)


@EPOCH_SETTINGS
def test_two_processes_write_the_same_bytes(
    export_twice: Callable[[str | None], TwinRuns], source_date_epoch: str | None
) -> None:
    """Different hash seeds, time zones, locales and working folders change not one byte of
    any file, the manifest included."""
    runs = export_twice(source_date_epoch)
    expected = sorted(
        [MANIFEST_NAME, *(f"{episode}.{suffix}" for episode in EPISODES for suffix in SUFFIXES)]
    )
    assert sorted(runs.first.files) == sorted(runs.second.files) == expected
    differing = [name for name, data in runs.first.files.items() if runs.second.files[name] != data]
    assert differing == []


@EPOCH_SETTINGS
def test_manifests_agree_and_hash_the_real_files(
    export_twice: Callable[[str | None], TwinRuns], source_date_epoch: str | None
) -> None:
    """Each run's manifest lists every file it wrote with that file's real size and sha256, and
    the two runs' manifests give the same hashes."""
    runs = export_twice(source_date_epoch)
    hashes = []
    for run in (runs.first, runs.second):
        manifest = json.loads(run.files[MANIFEST_NAME].decode("utf-8"))
        entries = {entry["file"]: entry for entry in manifest["files"]}
        assert sorted(entries) == sorted(name for name in run.files if name != MANIFEST_NAME)
        for name, entry in entries.items():
            data = (run.out / name).read_bytes()
            assert entry["sha256"] == hashlib.sha256(data).hexdigest(), name
            assert entry["bytes"] == len(data), name
        hashes.append({name: entry["sha256"] for name, entry in entries.items()})
    assert hashes[0] == hashes[1]


@EPOCH_SETTINGS
def test_documents_carry_the_one_documented_date(
    export_twice: Callable[[str | None], TwinRuns], source_date_epoch: str | None
) -> None:
    """Word and Excel metadata, their zip entries and the PDF's dates are SOURCE_DATE_EPOCH when
    it is set, otherwise the episode's published date, otherwise 1980-01-01."""
    files = export_twice(source_date_epoch).first.files
    for episode, fallback in (("summoning-ghosts", "1980-01-01"), ("shen-du-xue-xi", PUBLISHED)):
        date = EPOCH_DATE if source_date_epoch else f"{fallback}T00:00:00Z"
        day, clock = date[:10].split("-"), date[11:19].split(":")
        zip_time = tuple(int(part) for part in [*day, *clock])
        pdf_date = f"D:{''.join(day)}{''.join(clock)}+00'00'"
        for suffix in ("docx", "xlsx"):
            properties = core_properties(files[f"{episode}.{suffix}"])
            assert f">{date}</dcterms:created>" in properties, (episode, suffix)
            assert f">{date}</dcterms:modified>" in properties, (episode, suffix)
            assert zip_entry_times(files[f"{episode}.{suffix}"]) == {zip_time}, (episode, suffix)
        assert pdf_dates(files[f"{episode}.pdf"]) == (pdf_date, pdf_date), episode


def test_source_date_epoch_changes_exactly_the_dated_formats(
    export_twice: Callable[[str | None], TwinRuns],
) -> None:
    """SOURCE_DATE_EPOCH really reaches the documents: the PDF, Word and Excel files differ from
    those made without it, while the Markdown, which carries no date, stays the same."""
    unset, epoch = export_twice(None).first.files, export_twice(EPOCH).first.files
    for episode in EPISODES:
        for suffix in ("docx", "pdf", "xlsx"):
            name = f"{episode}.{suffix}"
            assert epoch[name] != unset[name], f"{name} ignores SOURCE_DATE_EPOCH"
        assert epoch[f"{episode}.md"] == unset[f"{episode}.md"]
