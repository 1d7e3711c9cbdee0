"""Real ``briefing`` processes for the fault, signal and concurrency tests: batches of
episodes, the misbehaving formats of ``tests/system/fault_plugins`` on ``PYTHONPATH``,
processes started in a session of their own (so a signal can go to the whole group), and
what a folder must look like after anything.

Every wait has a deadline that fails the test instead of hanging it; none is a claim
about speed.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, SEED_JSON

FAULT_PLUGINS = Path(__file__).parent / "fault_plugins"
SHADOWING_PLUGIN = FAULT_PLUGINS / "shadowing"
SAME_NAME_PLUGIN = FAULT_PLUGINS / "same_name"
PROCESS_TIMEOUT = 60
"""Seconds any process of these tests may take before the test fails instead of hanging."""
MANIFEST_NAME = "manifest.json"


def write_batch(folder: Path, count: int, title: str = "Episode {n}") -> list[Path]:
    """``count`` copies of the bundled episode as ``01.json``, ``02.json``, ... (name order is
    input order), with ids ``episode-1``, ``episode-2``, ... and titles from ``title``."""
    folder.mkdir(parents=True, exist_ok=True)
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    paths = []
    for n in range(1, count + 1):
        data["id"] = f"episode-{n}"
        data["title"] = title.format(n=n)
        path = folder / f"{n:02d}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def temp_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob(".*.part"))


def manifest_entries(out: Path) -> dict[str, dict[str, Any]]:
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in manifest["files"]}


def assert_manifest_tells_the_truth(out: Path) -> None:
    """``manifest.json`` lists exactly the other files in ``out`` (hidden ones included: a
    journal or temporary file left behind fails this), each with its real size and sha256,
    sorted by name."""
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    listed = [entry["file"] for entry in manifest["files"]]
    present = sorted(path.name for path in out.iterdir() if path.name != MANIFEST_NAME)
    assert listed == present
    for entry in manifest["files"]:
        data = (out / entry["file"]).read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (len(data), sha256(data)), entry["file"]


def assert_whole_prefix(out: Path, count: int) -> int:
    """The files of an interrupted batch of ``count`` episodes are those of its first k
    (0 < k < count), each whole, listed with its true hash, no temporary file; returns k."""
    assert temp_files(out) == []
    written = sorted(path.name for path in out.glob("*.txt"))
    k = len(written)
    assert 0 < k < count, written
    assert written == sorted(f"episode-{n}.txt" for n in range(1, k + 1))
    for n in range(1, k + 1):
        assert (out / f"episode-{n}.txt").read_text(encoding="utf-8") == f"Episode {n}\n"
    assert_manifest_tells_the_truth(out)
    return k


def fault_env(*plugin_folders: Path, state: Path | None = None) -> dict[str, str]:
    """The environment of a real ``briefing`` that also finds the fault formats (and those
    of ``plugin_folders``); ``state`` is where they leave notes (``FAULT_STATE``)."""
    folders = [str(folder) for folder in (FAULT_PLUGINS, *plugin_folders)]
    path = os.pathsep.join(filter(None, [*folders, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    if state is not None:
        state.mkdir(parents=True, exist_ok=True)
        env["FAULT_STATE"] = str(state)
    return env


def briefing_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "briefing", *args]


def run_briefing(
    *args: str, env: dict[str, str] | None = None, timeout: float = PROCESS_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        briefing_command(*args),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env or fault_env(),
        timeout=timeout,
        check=False,
    )


@contextmanager
def started(*args: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    """A ``briefing`` running in a session of its own; whatever the test does, it and its
    process group are gone when the block ends."""
    process = subprocess.Popen(
        briefing_command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env or fault_env(),
        start_new_session=True,
        # Under nohup the suite ignores SIGHUP and so would its children (and briefing
        # keeps ignoring it then, as nohup asks); these runs are started from a terminal.
        preexec_fn=_hangups_not_ignored,
    )
    try:
        yield process
    finally:
        # The whole group, even when the main process has ended: a worker it left behind
        # would hold the output pipes open and make the wait below endless.
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=PROCESS_TIMEOUT)


def _hangups_not_ignored() -> None:
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def wait_until(what: str, condition: Callable[[], bool], timeout: float = PROCESS_TIMEOUT) -> None:
    """Until ``condition()`` holds; fails naming ``what`` if the deadline passes first."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.02)


def wait_for_files(
    process: subprocess.Popen[str], out: Path, pattern: str = "*.txt", count: int = 1
) -> None:
    """Until ``count`` finished files matching ``pattern`` are in ``out``; fails if the
    process ends first."""

    def there() -> bool:
        assert process.poll() is None, f"ended before writing {count}: {process.communicate()}"
        return len(list(out.glob(pattern))) >= count

    wait_until(f"{count} files {pattern} in {out}", there)


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux's /proc), e.g. the workers of a run."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text(encoding="utf-8")
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return sorted(found)


def alive(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def communicate(process: subprocess.Popen[str]) -> tuple[str, str]:
    """The process's output once it ends; fails (and kills it) if it does not end."""
    try:
        return process.communicate(timeout=PROCESS_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise AssertionError(f"still running after {PROCESS_TIMEOUT} s") from None
