"""Runs that overlap in one folder (two cron jobs, two styles at once) never lose a
manifest entry and never list a hash that is not the file's: four real ``briefing export``
processes at once, each writing the same 120 file names with its own content, in an order
of its own, plus 10 names of its own, and every entry checked against the bytes on disk
afterwards."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SEED_JSON
from tests.system.runs import (
    PROCESS_TIMEOUT,
    assert_manifest_tells_the_truth,
    briefing_command,
    fault_env,
    temp_files,
)

RUNS = 4
SHARED = 120
OWN = 10


def inputs_of_run(folder: Path, run: int) -> Path:
    """Episodes ``episode-1`` ... ``episode-120`` with titles of this run (so each run's bytes
    for a shared name differ), rotated so that each run starts at another one (the run to
    write a name last differs from name to name), and ``run-R-1`` ... ``run-R-10`` that only
    this run writes."""
    folder.mkdir(parents=True)
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    shared = [f"episode-{n}" for n in range(1, SHARED + 1)]
    start = run * SHARED // RUNS
    ids = shared[start:] + shared[:start] + [f"run-{run}-{n}" for n in range(1, OWN + 1)]
    for number, episode_id in enumerate(ids):
        data["id"], data["title"] = episode_id, f"{episode_id} as run {run} has it"
        (folder / f"{number:03d}.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(3))
def test_four_runs_into_one_folder_lose_no_entry_and_list_true_hashes(
    tmp_path: Path, round_: int
) -> None:
    out = tmp_path / "out"
    folders = [inputs_of_run(tmp_path / f"in{run}", run) for run in range(RUNS)]
    runs = [
        subprocess.Popen(
            briefing_command("export", "-f", "md", "-j", "1", "-o", str(out), str(folder)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=fault_env(),
        )
        for folder in folders
    ]
    results = [run.communicate(timeout=PROCESS_TIMEOUT) for run in runs]

    for run, (_, stderr) in zip(runs, results, strict=True):
        assert run.returncode == 0, stderr
    names = {path.name for path in out.glob("*.md")}
    assert len(names) == SHARED + RUNS * OWN
    assert temp_files(out) == []
    assert_manifest_tells_the_truth(out)
