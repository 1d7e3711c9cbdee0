"""``briefing export --scheduler``: the rendering on a real Dask cluster on loopback (a
scheduler and two worker processes, ``distributed.LocalCluster``), the files written by
the client. The folder, the manifest and the messages are those of ``--jobs 1``, byte for
byte; a worker killed mid-run costs nothing; a scheduler nobody answers at is one line.

Skipped without the ``dask`` extra (``pip install -e '.[test,dask]'``, what CI installs).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.system.runs import (
    FAULT_PLUGINS,
    assert_manifest_tells_the_truth,
    assert_whole_prefix,
    briefing_command,
    communicate,
    fault_env,
    run_briefing,
    started,
    wait_for_files,
    write_batch,
)

distributed = pytest.importorskip("distributed")

WITHOUT_DASK = Path(__file__).parent / "without_dask"


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.Client]:
    """One scheduler and two single-threaded worker processes for the module; the workers
    find the fault formats as the client does (through PYTHONPATH, read as they start)."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = fault_env()["PYTHONPATH"]
    # Workers start from this process's sys.path (multiprocessing's spawn), not PYTHONPATH;
    # it stays for the module, as the nanny restarts a killed worker the same way.
    sys.path.insert(0, str(FAULT_PLUGINS))
    try:
        with (
            distributed.LocalCluster(
                n_workers=2,
                processes=True,
                threads_per_worker=1,
                host="127.0.0.1",
                dashboard_address=None,
            ) as local,
            distributed.Client(local) as client,
        ):
            yield client
    finally:
        sys.path.remove(str(FAULT_PLUGINS))
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


def _folder(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def _with_bad_episode(inputs: Path, count: int) -> None:
    write_batch(inputs, count)
    (inputs / f"{count + 1:02d}.json").write_text('{"id": "broken", "title": 3}', encoding="utf-8")


@pytest.mark.slow
def test_the_cluster_writes_the_folder_and_messages_of_jobs_1(tmp_path, cluster) -> None:
    inputs = tmp_path / "in"
    _with_bad_episode(inputs, 2)
    address = cluster.scheduler.address
    plain = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    runs = {}
    for name, how in {"here": ("--jobs", "1"), "cluster": ("--scheduler", address)}.items():
        out = tmp_path / name
        result = run_briefing(
            "export", str(inputs), "-f", "all", "-v", *how, "-o", str(out), env=plain
        )
        shown = (result.stdout + result.stderr).replace(str(out), "OUT")
        runs[name] = (
            result.returncode,
            result.stdout.replace(str(out), "OUT"),
            shown,
            _folder(out),
        )
    assert runs["cluster"] == runs["here"]
    code, _, shown, files = runs["cluster"]
    assert code == 1
    assert "05.json" not in shown and "03.json:title: " in shown
    assert {name.rpartition(".")[2] for name in files} == {
        "pdf",
        "docx",
        "xlsx",
        "md",
        "html",
        "json",
    }
    assert_manifest_tells_the_truth(tmp_path / "cluster")


def test_a_failing_format_on_a_worker_is_reported_as_with_jobs_1(tmp_path, cluster) -> None:
    inputs = tmp_path / "in"
    write_batch(inputs, 2)
    address = cluster.scheduler.address
    lines = {}
    for name, how in {"here": ("--jobs", "1"), "cluster": ("--scheduler", address)}.items():
        out = tmp_path / name
        result = run_briefing(
            "export", str(inputs), "-f", "raises-exit", "-f", "md", *how, "-o", str(out)
        )
        lines[name] = (result.returncode, result.stderr.replace(str(out), "OUT"), _folder(out))
    assert lines["cluster"] == lines["here"]
    assert lines["cluster"][0] == 1
    assert lines["cluster"][1].count("raises-exit export failed: SystemExit") == 1


@pytest.mark.slow
def test_a_worker_killed_mid_run_costs_no_file(tmp_path, cluster) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    count = 12
    write_batch(inputs, count)
    pids = cluster.run(os.getpid)
    with started(
        "export",
        str(inputs),
        "-f",
        "slow",
        "--scheduler",
        cluster.scheduler.address,
        "-o",
        str(out),
    ) as process:
        wait_for_files(process, out, count=1)
        os.kill(next(iter(pids.values())), signal.SIGKILL)
        stdout, stderr = communicate(process)
    assert (process.returncode, stderr) == (0, ""), stderr
    assert stdout == f"Wrote {count} files into {out}/ for {count} episodes.\n"
    assert sorted(path.name for path in out.glob("*.txt")) == sorted(
        f"episode-{n}.txt" for n in range(1, count + 1)
    )
    assert_manifest_tells_the_truth(out)
    cluster.wait_for_workers(2, timeout=60)  # the nanny brings the killed one back


def test_an_unreachable_scheduler_is_one_line_and_nothing_written(tmp_path) -> None:
    out = tmp_path / "out"
    env = {**fault_env(), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    result = run_briefing(
        "export", "-f", "md", "--scheduler", "tcp://127.0.0.1:9", "-o", str(out), env=env
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "briefing: cannot reach the Dask scheduler at tcp://127.0.0.1:9: "
    )
    assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_the_scheduler_from_the_environment_without_the_extra_says_what_to_install(
    tmp_path,
) -> None:
    out = tmp_path / "out"
    env = {**fault_env(WITHOUT_DASK), "BRIEFING_SCHEDULER": "tcp://127.0.0.1:9"}
    result = run_briefing("export", "-f", "md", "-o", str(out), env=env)
    assert (result.returncode, result.stdout) == (1, "")
    assert (
        result.stderr == "briefing: --scheduler needs Dask: pip install 'episode-briefing[dask]'\n"
    )
    assert not out.exists()


def test_scheduler_with_timeout_is_a_usage_error(tmp_path) -> None:
    out = tmp_path / "out"
    result = run_briefing(
        "export", "-f", "md", "--timeout", "5", "--scheduler", "tcp://127.0.0.1:9", "-o", str(out)
    )
    assert result.returncode == 2
    assert (
        result.stderr
        == "briefing: --scheduler cannot be used with --timeout: a Dask worker cannot stop a task it is running\n"
    )
    assert not out.exists()


def test_ctrl_c_keeps_what_was_written_and_listed(tmp_path, cluster) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_batch(inputs, 20)
    address = cluster.scheduler.address
    with started(
        "export", str(inputs), "-f", "slow", "--scheduler", address, "-o", str(out)
    ) as process:
        wait_for_files(process, out, count=2)
        process.send_signal(signal.SIGINT)
        _, stderr = communicate(process)
    assert process.returncode == 130
    assert stderr.endswith(
        "briefing: interrupted; files already written are whole and listed in the manifest\n"
    )
    assert "Traceback" not in stderr
    assert_whole_prefix(out, 20)


def test_workers_need_not_see_the_clients_files(tmp_path, cluster) -> None:
    """Inputs named relative to the client's folder, which the workers' is not: the
    client reads them and their bytes go with the tasks."""
    write_batch(tmp_path / "in", 2)
    (tmp_path / "in" / "03.json").write_bytes(b"\xff")
    assert not (Path.cwd() / "in").exists()
    result = subprocess.run(
        briefing_command(
            "export", "in", "-f", "md", "--scheduler", cluster.scheduler.address, "-o", "out"
        ),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=fault_env(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "in/03.json: not UTF-8 text (byte 0: invalid start byte)\n"
        "Wrote 2 files into out/ for 2 episodes; 1 failed.\n"
    )
    assert sorted(path.name for path in (tmp_path / "out").glob("*.md")) == [
        "episode-1.md",
        "episode-2.md",
    ]
