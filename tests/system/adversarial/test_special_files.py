"""Inputs that are not regular files: refused at once with one line, in every command.

A symlink to ``/dev/zero`` reads forever (an unbounded read fills the memory), a FIFO
with no writer blocks forever, a socket cannot be opened. Each runs in its own
process with a timeout and a cap on its memory, so a regression fails instead of
taking the machine down.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

MEMORY_CAP = 3 * 2**30
TIMEOUT_SECONDS = 60


def _symlink_to_dev_zero(path: Path) -> Iterator[str]:
    path.symlink_to("/dev/zero")
    yield "is a character device, not a regular file"


def _fifo(path: Path) -> Iterator[str]:
    os.mkfifo(path)
    yield "is a FIFO (named pipe), not a regular file"


def _socket(path: Path) -> Iterator[str]:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)
    try:
        yield "is a socket, not a regular file"
    finally:
        listener.close()


def _block_device_link(path: Path) -> Iterator[str]:
    devices = sorted(Path("/dev").glob("loop[0-9]*")) + sorted(Path("/dev").glob("[sv]da"))
    target = next((d for d in devices if d.is_block_device()), None)
    if target is None:
        pytest.skip("no block device on this machine")
    path.symlink_to(target)
    yield "is a block device, not a regular file"


SPECIAL: dict[str, Callable[[Path], Iterator[str]]] = {
    "symlink-to-dev-zero": _symlink_to_dev_zero,
    "fifo": _fifo,
    "socket": _socket,
    "block-device": _block_device_link,
}


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def briefing(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        stdin=subprocess.DEVNULL,
        preexec_fn=_capped,
        env={**os.environ, "BRIEFING_CACHE_DIR": ""},
    )


@pytest.fixture(params=sorted(SPECIAL))
def special(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    # A short folder name: a socket's path must fit in 108 bytes.
    folder = Path(os.environ.get("TMPDIR", "/tmp"))
    made = folder / f"b-{os.getpid()}-{request.param}"
    made.mkdir()
    maker = SPECIAL[request.param]
    paths = []
    try:
        for suffix in ("json", "txt"):
            path = made / f"{request.param}.{suffix}"
            generator = maker(path)
            reason = next(generator)
            paths.append((path, generator))
        yield made, reason
    finally:
        for path, generator in paths:
            generator.close()
            path.unlink(missing_ok=True)
        made.rmdir()


def test_validate_refuses_at_once(special: tuple[Path, str], tmp_path: Path) -> None:
    folder, reason = special
    source = next(folder.glob("*.json"))
    result = briefing("validate", str(source), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{source}: {reason}", "0 of 1 valid."]


def test_export_refuses_at_once_and_writes_nothing(
    special: tuple[Path, str], tmp_path: Path
) -> None:
    folder, reason = special
    source = next(folder.glob("*.json"))
    out = tmp_path / "out"
    result = briefing("export", str(source), "-f", "md", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{source}: {reason}",
        f"Wrote 0 files into {out}/ for 0 episodes; 1 failed.",
    ]
    assert not out.exists() or list(out.iterdir()) == []


def test_ingest_refuses_at_once(special: tuple[Path, str], tmp_path: Path) -> None:
    folder, reason = special
    page = next(folder.glob("*.txt"))
    target = tmp_path / "episode.json"
    result = briefing("ingest", str(page), "-o", str(target), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{page}: {reason}"]
    assert not target.exists()
