"""SIGTERM and SIGHUP are Ctrl-C by another name; workers never outlive their parent; and
after ``kill -9`` of the main process at any moment, the next run into the folder ends with
no temporary file of the dead run and a manifest that lists every document with its true
sha256.

Signals go to the main process alone, as ``kill PID``, systemd or a CI runner's timeout send
them; its workers are its to stop.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.system.runs import (
    PROCESS_TIMEOUT,
    alive,
    assert_manifest_tells_the_truth,
    assert_whole_prefix,
    children_of,
    communicate,
    fault_env,
    run_briefing,
    started,
    temp_files,
    wait_for_files,
    wait_until,
    write_batch,
)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("sent", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["TERM", "HUP"]
)
def test_sigterm_and_sighup_end_the_run_like_ctrl_c(
    tmp_path: Path, sent: signal.Signals, code: int, jobs: str
) -> None:
    """The signal once the first file of a slow batch exists: exit 128 + N, a short message
    naming the signal, the finished files whole and listed, no temporary file, and every
    worker gone."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    count = 10
    write_batch(inputs, count)

    with started("export", "-f", "slow", "-j", jobs, "-o", str(out), str(inputs)) as process:
        wait_for_files(process, out)
        workers = children_of(process.pid)
        os.kill(process.pid, sent)
        stdout, stderr = communicate(process)

    assert process.returncode == code, stderr
    assert stderr == (
        f"briefing: stopped by {sent.name}; files already written are whole and listed in the "
        "manifest\n"
    )
    k = assert_whole_prefix(out, count)
    assert (
        stdout == f"Wrote {k} file{'s' * (k != 1)} into {out}/ for {k} episode{'s' * (k != 1)}.\n"
    )
    assert len(workers) == int(jobs) - (jobs == "1")
    assert [pid for pid in workers if alive(pid)] == []


def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    """``kill -9`` of the main process while both workers are stuck in a plugin that ignores
    SIGTERM: the workers notice their parent is gone and end (within the test's deadline)."""
    inputs, out, state = tmp_path / "in", tmp_path / "out", tmp_path / "state"
    write_batch(inputs, 4)
    env = fault_env(state=state)

    with started(
        "export", "-f", "hangs-all", "-j", "2", "-o", str(out), str(inputs), env=env
    ) as process:
        wait_until("both workers hanging", lambda: len(list(state.glob("hanging-*"))) == 2)
        workers = sorted(int(path.name.split("-")[1]) for path in state.glob("hanging-*"))
        assert workers == children_of(process.pid)
        process.kill()
        process.wait(timeout=PROCESS_TIMEOUT)
        wait_until("workers gone", lambda: not any(alive(pid) for pid in workers), timeout=20)


DEAD_RUN = """
import os, signal, sys
from pathlib import Path
from briefing.files import _locked_temporary
handle, path = _locked_temporary(Path(sys.argv[1]))
os.write(handle, b"half a document")
print(path.name, flush=True)
if sys.argv[2] == "die":
    os.kill(os.getpid(), signal.SIGKILL)
sys.stdin.read()  # alive, holding its temporary file, until the test closes stdin
"""


def writer_process(target: Path, fate: str) -> tuple[subprocess.Popen[str], str]:
    """A process that starts writing ``target`` the way briefing does and then dies with
    ``kill -9`` (``die``) or stays alive (``live``); with the name of its temporary file."""
    process = subprocess.Popen(
        [sys.executable, "-c", DEAD_RUN, str(target), fate],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def test_the_next_run_removes_temporary_files_of_dead_runs_only(tmp_path: Path) -> None:
    """A temporary file left by a writer killed with ``kill -9`` is removed by the next run
    into the folder; one that a live writer (another run) is still filling is left alone."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    sources = write_batch(inputs, 2)
    out.mkdir()
    dead, dead_name = writer_process(out / "episode-1.md", "die")
    dead.communicate(timeout=PROCESS_TIMEOUT)
    live, live_name = writer_process(out / "episode-2.md", "live")
    try:
        assert temp_files(out) == sorted([dead_name, live_name])

        done = run_briefing("export", "-f", "md", "-j", "1", "-o", str(out), str(sources[0]))

        assert done.returncode == 0, done.stderr
        assert temp_files(out) == [live_name]
    finally:
        live.communicate(timeout=PROCESS_TIMEOUT)
    assert (out / "episode-1.md").is_file()


@pytest.mark.parametrize(("jobs", "after"), [("1", 1), ("1", 40), ("2", 15), ("2", 80)])
def test_after_kill_9_of_the_main_process_the_next_run_lists_every_document(
    tmp_path: Path, jobs: str, after: int
) -> None:
    """``kill -9`` of a run once ``after`` of its 200 files exist (a different moment each
    time, wherever the run is), then a run of one other episode into the same folder: every
    document the dead run finished is listed with its true sha256, and nothing else is left
    (no temporary file, no journal)."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    sources = write_batch(inputs, 200)
    other = write_batch(tmp_path / "other", 201)[-1]
    sources[-1].unlink()

    with started("export", "-f", "md", "-j", jobs, "-o", str(out), str(inputs)) as process:
        wait_for_files(process, out, "*.md", after)
        process.kill()
        process.wait(timeout=PROCESS_TIMEOUT)
    left = sorted(path.name for path in out.glob("*.md"))

    done = run_briefing("export", "-f", "md", "-j", "1", "-o", str(out), str(other))

    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in out.glob("*.md")) == sorted([*left, "episode-201.md"])
    assert_manifest_tells_the_truth(out)
