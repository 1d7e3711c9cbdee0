"""Standard output as pipes and disks treat it: a closed pipe ends the command quietly
with exit 0, a write error is one line with exit 1, never a traceback (real processes)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED_JSON

COMMANDS = [
    ("formats",),
    ("schema",),
    ("--help",),
    ("export", "--help"),
    ("validate", str(SEED_JSON)),
    ("export", str(SEED_JSON), "-f", "md", "-o", "-"),
    ("export", str(SEED_JSON), "-f", "pdf", "-o", "-"),
]
IDS = ["formats", "schema", "help", "export-help", "validate", "export-md", "export-pdf"]


@pytest.mark.parametrize("args", COMMANDS, ids=IDS)
def test_a_closed_pipe_exits_0_silently(args: tuple[str, ...]) -> None:
    """The reader is gone before the command writes (as ``| head -1`` once it has its line)."""
    with subprocess.Popen(
        [sys.executable, "-m", "briefing", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        stderr = process.stderr.read()
        code = process.wait(timeout=120)
    assert (code, stderr) == (0, b"")


@pytest.mark.parametrize("args", COMMANDS, ids=IDS)
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(args: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:  # noqa: PTH123 (a device, not a path to build on)
        done = subprocess.run(
            [sys.executable, "-m", "briefing", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr == b"briefing: cannot write to standard output: No space left on device\n"


def test_formats_into_head_in_a_shell_pipeline() -> None:
    """What a user types: bash with pipefail sees the exit code of briefing itself."""
    done = subprocess.run(
        [
            "bash",
            "-c",
            f"set -o pipefail; {sys.executable} -m briefing formats | head -1; "
            f"{sys.executable} -m briefing schema | head -c 100 > /dev/null",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("docx ")
    assert done.stdout.count("\n") == 1


def test_o_dash_with_stdout_closed_is_a_usage_error() -> None:
    done = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m briefing export {SEED_JSON} -f md -o - >&-"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (2, "briefing: -o -: standard output is closed\n")
