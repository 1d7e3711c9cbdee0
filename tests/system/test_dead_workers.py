"""Dead workers: a worker process killed by the OOM killer or ``kill -9``, or whose plugin
segfaults or calls ``os._exit``, costs the batch nothing but that episode. The episode it
held is tried once more in a new worker; if that one dies too, the episode fails with one
line naming it and how its worker ended. Every other episode is written and listed, and
``BrokenProcessPool`` never reaches the terminal.
"""

from __future__ import annotations

import os
import signal

import pytest

from tests.system.runs import (
    assert_manifest_tells_the_truth,
    children_of,
    communicate,
    fault_env,
    run_briefing,
    started,
    temp_files,
    wait_until,
    write_batch,
)

DEATHS = {
    # format: (suffix, how its worker ended)
    "sigkill": ("kill", "killed by SIGKILL"),
    "os-exit": ("osexit", "exit status 7"),
    "segfault": ("segv", "killed by SIGSEGV"),
}


@pytest.mark.parametrize("name", list(DEATHS))
def test_a_worker_that_dies_on_every_try_fails_its_episode_and_the_batch_goes_on(
    tmp_path, name: str
) -> None:
    inputs, out, state = tmp_path / "in", tmp_path / "out", tmp_path / "state"
    sources = write_batch(inputs, 4)
    suffix, how = DEATHS[name]

    done = run_briefing(
        *("export", "-f", name, "-f", "md", "-j", "2", "-o", str(out), str(inputs)),
        env=fault_env(state=state),
    )

    assert done.returncode == 1, done.stderr
    assert "BrokenProcessPool" not in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"{sources[1]}: {name}, md export failed: rendering was tried 2 times and its worker "
        f"process died each time ({how})",
        f"Wrote 6 files into {out}/ for 3 episodes; 1 failed.",
    ]
    assert (state / f"{name}-died").exists()  # it really did die
    written = {path.name for path in out.iterdir()} - {"manifest.json"}
    assert written == {f"episode-{n}.{s}" for n in (1, 3, 4) for s in (suffix, "md")}
    assert temp_files(out) == []
    assert_manifest_tells_the_truth(out)


def test_a_worker_that_dies_once_is_replaced_and_its_episode_written(tmp_path) -> None:
    """The plugin kills its worker the first time it renders episode-2 only: the retry in a
    new worker succeeds, so every file is written and the exit code is 0."""
    inputs, out, state = tmp_path / "in", tmp_path / "out", tmp_path / "state"
    write_batch(inputs, 4)

    done = run_briefing(
        *("export", "-f", "dies-once", "-f", "md", "-j", "2", "-o", str(out), str(inputs)),
        env=fault_env(state=state),
    )

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert (state / "dies-once-died").exists()
    written = {path.name for path in out.iterdir()} - {"manifest.json"}
    assert written == {f"episode-{n}.{s}" for n in range(1, 5) for s in ("once", "md")}
    assert (out / "episode-2.once").read_text(encoding="utf-8") == "Episode 2\n"
    assert_manifest_tells_the_truth(out)


def test_a_worker_killed_from_outside_mid_batch_costs_nothing(tmp_path) -> None:
    """``kill -9`` of a worker while the batch runs (as the OOM killer would): the episode it
    held is rendered again by a new worker, and the run ends with every file written and
    listed, exit 0."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    count = 8
    write_batch(inputs, count)

    with started("export", "-f", "slow", "-j", "2", "-o", str(out), str(inputs)) as process:
        wait_until("two workers", lambda: len(children_of(process.pid)) == 2)
        victim = children_of(process.pid)[0]
        os.kill(victim, signal.SIGKILL)
        stdout, stderr = communicate(process)

    assert process.returncode == 0, stderr
    assert stdout == f"Wrote {count} files into {out}/ for {count} episodes.\n"
    assert victim not in children_of(process.pid)
    for n in range(1, count + 1):
        assert (out / f"episode-{n}.txt").read_text(encoding="utf-8") == f"Episode {n}\n"
    assert_manifest_tells_the_truth(out)
