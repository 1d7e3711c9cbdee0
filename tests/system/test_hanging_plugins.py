"""A plugin that never returns cannot hold the terminal: the first Ctrl-C ends the run with
exit 130 (its workers are killed, since the plugin ignores SIGTERM and SIGINT), and
``--timeout SECONDS`` ends a document that runs longer as a failure of that document alone.

The plugin (``hangs``, ``hangs-all`` in ``tests/system/fault_plugins``) leaves a note in
``FAULT_STATE`` once it is stuck, so the signal is sent when it is, not after a guess.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.system.runs import (
    alive,
    assert_manifest_tells_the_truth,
    communicate,
    fault_env,
    run_briefing,
    started,
    temp_files,
    wait_until,
    write_batch,
)

INTERRUPTED = "briefing: interrupted; files already written are whole and listed in the manifest\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_first_ctrl_c_ends_a_run_stuck_in_a_plugin(tmp_path: Path, jobs: str) -> None:
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) once the plugin is stuck
    on episode-2, after episode-1's file is written: one signal is enough, exit 130, the
    file of episode-1 whole and listed, no temporary file, no worker left."""
    inputs, out, state = tmp_path / "in", tmp_path / "out", tmp_path / "state"
    write_batch(inputs, 3)
    env = fault_env(state=state)

    with started("export", "-f", "hangs", "-j", jobs, "-o", str(out), str(inputs), env=env) as run:
        wait_until("the plugin stuck", lambda: any(state.glob("hanging-*")))
        stuck = [int(path.name.split("-")[1]) for path in state.glob("hanging-*")]
        wait_until("episode-1 written", (out / "episode-1.hang").exists)
        os.killpg(run.pid, signal.SIGINT)
        _, stderr = communicate(run)

    assert run.returncode == 130, stderr
    assert stderr.endswith(INTERRUPTED), stderr
    assert "Traceback" not in stderr
    assert (out / "episode-1.hang").read_text(encoding="utf-8") == "Episode 1\n"
    assert temp_files(out) == []
    assert_manifest_tells_the_truth(out)
    assert [pid for pid in stuck if pid != run.pid and alive(pid)] == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_timeout_fails_the_document_that_runs_too_long_and_only_it(
    tmp_path: Path, jobs: str
) -> None:
    """``--timeout 2``: episode-2's document in the hanging format fails with one line saying
    it was stopped, its Markdown and every other episode's documents are written and listed,
    the stuck worker is gone, exit 1."""
    inputs, out, state = tmp_path / "in", tmp_path / "out", tmp_path / "state"
    sources = write_batch(inputs, 3)

    done = run_briefing(
        *("export", "-f", "hangs", "-f", "md", "-j", jobs, "--timeout", "2"),
        *("-o", str(out), str(inputs)),
        env=fault_env(state=state),
    )

    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"{sources[1]}: hangs export failed: rendering was stopped after 2 s",
        f"Wrote 5 files into {out}/ for 2 episodes; 1 failed.",
    ]
    written = {path.name for path in out.iterdir()} - {"manifest.json"}
    assert written == {"episode-1.hang", "episode-3.hang"} | {f"episode-{n}.md" for n in (1, 2, 3)}
    assert_manifest_tells_the_truth(out)
    stuck = [int(path.name.split("-")[1]) for path in state.glob("hanging-*")]
    assert len(stuck) == 1 and not alive(stuck[0])


def test_timeout_must_be_a_positive_number(tmp_path: Path) -> None:
    done = run_briefing("export", "--timeout", "0", "-o", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--timeout': 0.0 is not in the range x>0."
    )
