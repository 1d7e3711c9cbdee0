"""What ``briefing export`` prints: nothing with ``-q`` on success, a line per file with
``-v``, a progress line whose estimate comes from finished documents, and no summary on
the line where the terminal echoed ``^C`` (a real terminal: a pseudo-terminal whose line
discipline turns ``^C`` into SIGINT, as a user's does)."""

from __future__ import annotations

import io
import json
import os
import re
import select
import shutil
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.progress import Progress, clock_text, estimate
from tests.conftest import ROOT, SEED_JSON

FAULT_PLUGINS = ROOT / "tests" / "system" / "fault_plugins"
ETA = re.compile(r"Exporting (\d+)/(\d+) documents +\d+%  [\d:]+(?:, about ([\d:]+) left)?")


def episodes(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    for n in range(1, count + 1):
        data["id"] = f"episode-{n}"
        (folder / f"{n:02}.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_quiet_prints_nothing_on_success(tmp_path: Path) -> None:
    args = [
        "export",
        str(episodes(tmp_path / "in", 2)),
        "-f",
        "md",
        "-q",
        "-o",
        str(tmp_path / "o"),
    ]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert sorted(path.name for path in (tmp_path / "o").iterdir()) == [
        "episode-1.md",
        "episode-2.md",
        "manifest.json",
    ]


def test_quiet_still_prints_the_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["export", str(SEED_JSON), str(bad), "-f", "md", "-q", "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        result.stderr.splitlines()[0]
        == f"{bad}:schema_version: required field is missing; this version reads 1"
    )
    assert not any(line.startswith("Wrote") for line in result.stderr.splitlines())


def test_verbose_prints_one_line_per_file_written(tmp_path: Path) -> None:
    out = tmp_path / "o"
    args = ["export", str(SEED_JSON), "-f", "md", "-f", "html", "-v", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.stderr) == (0, "")
    md, html = out / "summoning-ghosts.md", out / "summoning-ghosts.html"
    assert result.stdout.splitlines() == [
        f"wrote {md} (md, {md.stat().st_size:,} bytes)",
        f"wrote {html} (html, {html.stat().st_size:,} bytes)",
        f"Wrote 2 files into {out}/ for 1 episode.",
    ]


# --- the progress line -----------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_estimate_is_time_per_finished_document_times_those_left() -> None:
    assert estimate(elapsed=3.0, done=0, total=10) is None
    assert estimate(elapsed=4.0, done=2, total=10) == 16.0
    assert estimate(elapsed=9.0, done=10, total=10) == 0.0
    assert [clock_text(s) for s in (0.4, 7, 750, 3723)] == ["0:00", "0:07", "12:30", "1:02:03"]


def test_the_progress_line_has_no_estimate_before_the_first_document() -> None:
    clock, stream = Clock(), io.StringIO()
    progress = Progress(10, stream, clock=clock)
    clock.now += 3
    assert progress.line() == "Exporting 0/10 documents   0%  0:03"
    clock.now += 1
    progress.update(2)
    assert progress.line() == "Exporting 2/10 documents  20%  0:04, about 0:16 left"
    clock.now += 4
    progress.update(8)
    assert progress.line() == "Exporting 10/10 documents 100%  0:08"
    progress.close()
    drawn = stream.getvalue()
    assert drawn.endswith("\n") and drawn.count("\n") == 1
    assert drawn.split("\r")[1:] == [
        "Exporting 0/10 documents   0%  0:00",
        "Exporting 2/10 documents  20%  0:04, about 0:16 left",
        # The shorter line covers what is left of the longer one with spaces.
        "Exporting 10/10 documents 100%  0:08".ljust(52) + "\n",
    ]


needs_setsid = pytest.mark.skipif(shutil.which("setsid") is None, reason="no setsid")


def _in_a_terminal(
    args: list[str], on_output: object, timeout: float = 60, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """``python -m briefing ARGS`` with a pseudo-terminal as its controlling terminal and
    its stdin, stdout and stderr; ``on_output(text_so_far, controller)`` is called as
    output arrives. Returns the exit code and everything the terminal showed."""
    controller, terminal = os.openpty()
    attributes = termios.tcgetattr(terminal)
    attributes[3] |= termios.ECHO | termios.ECHOCTL | termios.ISIG | termios.ICANON
    termios.tcsetattr(terminal, termios.TCSANOW, attributes)
    env = {**os.environ, "PYTHONPATH": str(FAULT_PLUGINS), "COLUMNS": "120", **(env or {})}
    process = subprocess.Popen(
        ["setsid", "--ctty", sys.executable, "-m", "briefing", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=ROOT,
        env=env,
    )
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # EIO: every end of the terminal is closed
                    break
                if not chunk:
                    break
                shown += chunk
            on_output(shown.decode("utf-8", "replace"), controller)  # type: ignore[operator]
            if process.poll() is not None and not ready:
                break
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)
    return code, shown.decode("utf-8", "replace")


@needs_setsid
def test_progress_in_a_terminal_estimates_from_finished_documents(tmp_path: Path) -> None:
    """Six episodes that take 0.4 s each: the first line has no estimate, and the one after
    the first document estimates the other five from it (about 2 s, never 0:00)."""
    inputs = episodes(tmp_path / "in", 6)
    args = ["export", str(inputs), "-f", "slow", "-j", "1", "-o", str(tmp_path / "o")]
    code, shown = _in_a_terminal(args, lambda text, controller: None)
    assert code == 0, shown
    lines = [ETA.search(part) for part in shown.split("\r")]
    seen = [(int(m[1]), m[3]) for m in lines if m]
    assert seen[0] == (0, None)
    first = next(left for done, left in seen if done == 1)
    minutes, seconds = map(int, first.split(":"))
    assert 1 <= minutes * 60 + seconds <= 30, shown
    assert all(left is not None for done, left in seen if 0 < done < 6)
    assert shown.endswith(f"Wrote 6 files into {tmp_path / 'o'}/ for 6 episodes.\r\n")


@needs_setsid
@pytest.mark.parametrize("count", [1, 6], ids=["no-progress-line", "with-progress-line"])
def test_after_ctrl_c_the_summary_starts_a_line_of_its_own(tmp_path: Path, count: int) -> None:
    """Ctrl-C typed at the terminal once the first document is on disk (or, for a single
    slow episode, once its render has begun): the terminal echoes ^C where the cursor is,
    and whatever briefing prints next begins on a new line."""
    inputs = episodes(tmp_path / "in", count)
    out = tmp_path / "o"
    state = tmp_path / "state"
    state.mkdir()
    # One episode has no finished document to wait for: the slow render says when it has
    # begun, and lasts long enough that the Ctrl-C surely lands inside it.
    env = {"FAULT_STATE": str(state), "FAULT_SLOW_SECONDS": "0.4" if count > 1 else "20"}
    sent: list[float] = []

    def press_ctrl_c(text: str, controller: int) -> None:
        ready = any(out.glob("*.txt")) if count > 1 else (state / "slow-started").exists()
        if ready and not sent:
            os.write(controller, b"\x03")
            sent.append(time.monotonic())

    args = ["export", str(inputs), "-f", "slow", "-f", "md", "-j", "1", "-o", str(out)]
    code, shown = _in_a_terminal(args, press_ctrl_c, env=env)
    assert sent, shown
    assert code == 130, shown
    assert "^C" in shown and "Traceback" not in shown
    after = shown[shown.index("^C") + 2 :]
    assert after.startswith("\r\n"), repr(shown)
    last = after.split("\r\n")
    assert last[-2].startswith("briefing: interrupted"), repr(shown)
