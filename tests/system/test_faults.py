"""Faults: nothing is ever lost.

An exporter that crashes, a folder that refuses writes, a disk that fills up, an
interrupt (raised by an exporter or sent as a real SIGINT) and bad inputs in a batch:
after each, every file in the output folder is whole, earlier files are byte for
byte what they were, no temporary file is left, ``manifest.json`` lists exactly the
files that are there with their real hashes, and the user gets one line per problem
and the documented exit code, never a traceback.

The interrupt tests run a real ``briefing export`` with ``tests/system/fault_plugins`` on
``PYTHONPATH``, whose distribution registers two misbehaving formats by entry point.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import pytest
from click.testing import CliRunner

from briefing.cli import cli, main
from briefing.labels import ENGLISH
from briefing.pipeline import MANIFEST_NAME, default_context
from briefing.source import load_episode
from exporters.markdown import MarkdownExporter
from styles import Theme
from tests.conftest import ROOT, SEED_JSON
from tests.fakes import use_registry_with
from tests.system.runs import (
    PROCESS_TIMEOUT,
    assert_manifest_tells_the_truth,
    assert_whole_prefix,
    fault_env,
    manifest_entries,
    run_briefing,
    sha256,
    temp_files,
    write_batch,
)

INTERRUPTED = "briefing: interrupted; files already written are whole and listed in the manifest\n"
WITHOUT_FILE_PERMISSION_OVERRIDE = (
    "setpriv",
    "--bounding-set",
    "-dac_override,-dac_read_search",
    "--",
)
"""Runs a command without the capabilities that let root ignore file modes."""


# --- inputs and outputs ----------------------------------------------------------------


def markdown_of(source: Path, theme: Theme) -> bytes:
    """The Markdown the real exporter makes of ``source``: what a whole file must hold."""
    episode = load_episode(source)
    return MarkdownExporter().render(episode, theme, ENGLISH, default_context(episode))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (hidden ones too) by name, with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def export_markdown(out: Path, *inputs: Path) -> None:
    """A normal earlier run, in process, that leaves files and a manifest in ``out``."""
    result = CliRunner().invoke(
        cli, ["export", "-f", "md", "-j", "1", "-o", str(out), *map(str, inputs)]
    )
    assert result.exit_code == 0, result.output


# --- 1. an exporter that crashes halfway -----------------------------------------------


class FailsOnSecondEpisodeExporter:
    """Markdown, except that rendering ``episode-2`` crashes once the document is made and
    before it is returned: the pipeline has nothing whole to write for it."""

    name: ClassVar[str] = "flaky"
    suffix: ClassVar[str] = "md"
    media_type: ClassVar[str] = "text/markdown; charset=utf-8"
    description: ClassVar[str] = "Markdown that fails on episode-2"

    def render(self, episode: Any, theme: Any, labels: Any, context: Any) -> bytes:
        document = MarkdownExporter().render(episode, theme, labels, context)
        if episode.id == "episode-2":
            raise RuntimeError("renderer crashed halfway")
        return document


@pytest.fixture
def with_flaky_format(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real formats plus 'flaky', for this test only."""
    use_registry_with(monkeypatch, "flaky", FailsOnSecondEpisodeExporter)


@pytest.mark.usefixtures("with_flaky_format")
def test_exporter_crashing_on_one_episode_keeps_its_old_file_and_writes_the_others(
    tmp_path: Path, default_theme: Theme
) -> None:
    """A render that raises for one episode of a batch leaves that episode's earlier file
    byte-identical (and its manifest entry as it was), no partial or temporary file, and the
    other episodes written in full; the error line names the input, and the exit code is 1."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    export_markdown(out, *write_batch(inputs, 3))
    before, manifest_before = snapshot(out), manifest_entries(out)
    revised = write_batch(inputs, 3, title="Episode {n}, revised")

    result = CliRunner().invoke(
        cli, ["export", "-f", "flaky", "-j", "1", "-o", str(out), str(inputs)]
    )

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{revised[1]}: flaky export failed: RuntimeError: renderer crashed halfway",
        f"Wrote 2 files into {out}/ for 2 episodes; 1 failed.",
    ]
    after = snapshot(out)
    assert sorted(after) == ["episode-1.md", "episode-2.md", "episode-3.md", MANIFEST_NAME]
    assert after["episode-2.md"] == before["episode-2.md"]
    for name, source in (("episode-1.md", revised[0]), ("episode-3.md", revised[2])):
        assert after[name] == markdown_of(source, default_theme) != before[name]
    entries = manifest_entries(out)
    assert entries["episode-2.md"] == manifest_before["episode-2.md"]
    assert entries["episode-1.md"]["format"] == entries["episode-3.md"]["format"] == "flaky"
    assert_manifest_tells_the_truth(out)


# --- 2. a read-only output folder ------------------------------------------------------


@pytest.fixture
def read_only_out(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path/out`` holding an earlier run's files for episodes 1 and 2 of the batch in
    ``tmp_path/in`` (three episodes), then made read-only (0o555); writable again afterwards."""
    inputs, out = write_batch(tmp_path / "in", 3), tmp_path / "out"
    export_markdown(out, *inputs[:2])
    out.chmod(0o555)
    yield out
    out.chmod(0o755)


def refuses_writes(folder: Path, prefix: tuple[str, ...]) -> bool:
    """Whether a process started through ``prefix`` gets "permission denied" creating a file in
    ``folder`` (a probe that could write removes what it made)."""
    probe = (
        "import os, sys, tempfile\n"
        "handle, name = tempfile.mkstemp(dir=sys.argv[1])\n"
        "os.close(handle)\n"
        "os.unlink(name)\n"
    )
    done = subprocess.run(
        [*prefix, sys.executable, "-c", probe, str(folder)],
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT,
        check=False,
    )
    return done.returncode != 0 and "PermissionError" in done.stderr


def prefix_honouring_modes(folder: Path) -> tuple[str, ...]:
    """A command prefix under which the kernel really refuses writes into the read-only
    ``folder``: nothing for an ordinary user; for root, whose CAP_DAC_OVERRIDE ignores file
    modes, ``setpriv`` without that capability. Skips the test where neither works."""
    if refuses_writes(folder, ()):
        return ()
    if shutil.which("setpriv") and refuses_writes(folder, WITHOUT_FILE_PERMISSION_OVERRIDE):
        return WITHOUT_FILE_PERMISSION_OVERRIDE
    pytest.skip("chmod does not stop writes here (root) and setpriv cannot drop that power")


def test_read_only_output_folder_really_refused_leaves_everything_as_it_was(
    read_only_out: Path, tmp_path: Path
) -> None:
    """A real process whose writes the kernel refuses (mode 0o555) says so in one line per
    file naming its path, exits 1 without a traceback, and leaves the earlier files and
    manifest.json byte for byte as they were, with no temporary file."""
    out = read_only_out
    before = snapshot(out)
    prefix = prefix_honouring_modes(out)

    # --force: episodes 1 and 2 are unchanged and would be skipped, not written.
    command = [sys.executable, "-m", "briefing", "export", "-f", "md", "-j", "1", "--force"]
    command += ["-o", str(out)]
    done = subprocess.run(
        [*prefix, *command, str(tmp_path / "in")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=PROCESS_TIMEOUT,
        check=False,
    )

    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"{out / 'episode-1.md'}: cannot write: Permission denied",
        f"{out / 'episode-2.md'}: cannot write: Permission denied",
        f"{out / 'episode-3.md'}: cannot write: Permission denied",
        f"Wrote 0 files into {out}/ for 0 episodes; 3 failed.",
    ]
    assert snapshot(out) == before


def test_permission_denied_on_every_write_is_one_line_per_file(
    read_only_out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusal simulated in process, where it runs everywhere (root included): the
    temporary file cannot be created, as in a read-only folder, and the pipeline turns that
    into one line per file, exit 1, no exception, nothing changed."""
    out = read_only_out
    before = snapshot(out)

    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        name = Path(kwargs["dir"]) / f"{kwargs['prefix']}denied{kwargs['suffix']}"
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(name))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = CliRunner().invoke(
        cli, ["export", "-f", "md", "-j", "1", "--force", "-o", str(out), str(tmp_path / "in")]
    )

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"{out / 'episode-1.md'}: cannot write: Permission denied",
        f"{out / 'episode-2.md'}: cannot write: Permission denied",
        f"{out / 'episode-3.md'}: cannot write: Permission denied",
        f"Wrote 0 files into {out}/ for 0 episodes; 3 failed.",
    ]
    assert snapshot(out) == before


# --- 3. a disk that fills up -----------------------------------------------------------


class DiskWithRoomFor:
    """Stands in for ``os.fsync``: a write fails with ENOSPC, as on a full disk, once the
    bytes written so far and this file's would exceed ``room``."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.used = 0

    def __call__(self, fd: int) -> None:
        size = os.fstat(fd).st_size
        if self.used + size > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.used += size


def test_disk_full_partway_keeps_whole_files_and_a_true_manifest(
    tmp_path: Path, default_theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up on the 2nd file of a batch (room for the 1st and a little more): the
    1st is written whole, the 2nd and 3rd fail with "No space left on device" and leave no
    temporary file, the 3rd's earlier file stays byte-identical, and manifest.json lists
    exactly the files that are there, with their real sha256."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    export_markdown(out, write_batch(inputs, 3)[2])
    before, manifest_before = snapshot(out), manifest_entries(out)
    revised = write_batch(inputs, 3, title="Episode {n}, revised")
    first = markdown_of(revised[0], default_theme)
    monkeypatch.setattr(os, "fsync", DiskWithRoomFor(len(first) + 2048))

    result = CliRunner().invoke(cli, ["export", "-f", "md", "-j", "1", "-o", str(out), str(inputs)])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{out / 'episode-2.md'}: cannot write: No space left on device",
        f"{out / 'episode-3.md'}: cannot write: No space left on device",
        f"Wrote 1 file into {out}/ for 1 episode; 2 failed.",
    ]
    after = snapshot(out)
    assert sorted(after) == ["episode-1.md", "episode-3.md", MANIFEST_NAME]
    assert after["episode-1.md"] == first
    assert after["episode-3.md"] == before["episode-3.md"]
    entries = manifest_entries(out)
    assert entries["episode-1.md"]["sha256"] == sha256(first)
    assert entries["episode-3.md"] == manifest_before["episode-3.md"]
    assert_manifest_tells_the_truth(out)


def test_disk_too_full_for_the_manifest_keeps_the_old_one_and_says_so(
    tmp_path: Path, default_theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When not even manifest.json fits any more, the earlier manifest stays byte-identical
    (never half a manifest), no temporary file is left, and its failure is a line of its own."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    export_markdown(out, write_batch(inputs, 3)[2])
    manifest_before = (out / MANIFEST_NAME).read_bytes()
    revised = write_batch(inputs, 3, title="Episode {n}, revised")
    first = markdown_of(revised[0], default_theme)
    monkeypatch.setattr(os, "fsync", DiskWithRoomFor(len(first)))

    result = CliRunner().invoke(cli, ["export", "-f", "md", "-j", "1", "-o", str(out), str(inputs)])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{out / 'episode-2.md'}: cannot write: No space left on device",
        f"{out / 'episode-3.md'}: cannot write: No space left on device",
        f"{out / MANIFEST_NAME}: cannot write: No space left on device",
        f"Wrote 1 file into {out}/ for 1 episode; 2 failed.",
    ]
    assert (out / MANIFEST_NAME).read_bytes() == manifest_before
    assert (out / "episode-1.md").read_bytes() == first
    assert temp_files(out) == []


# --- 4. interrupts ---------------------------------------------------------------------


def test_interrupt_raised_by_an_exporter_keeps_the_files_before_it(tmp_path: Path) -> None:
    """Ctrl-C while rendering the 3rd of 5 episodes (raised by the exporter, in a real process):
    exit 130, the first two files whole and in the manifest, none for the 3rd on, and a short
    message with no traceback."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_batch(inputs, 5)

    done = run_briefing("export", "-f", "interrupt-third", "-j", "1", "-o", str(out), str(inputs))

    assert done.returncode == 130
    assert done.stderr == INTERRUPTED
    assert done.stdout == f"Wrote 2 files into {out}/ for 2 episodes.\n"
    assert sorted(path.name for path in out.iterdir()) == [
        "episode-1.txt",
        "episode-2.txt",
        MANIFEST_NAME,
    ]
    assert assert_whole_prefix(out, 5) == 2
    assert manifest_entries(out)["episode-2.txt"]["format"] == "interrupt-third"


def test_interrupt_raised_in_a_worker_process_keeps_a_whole_prefix(tmp_path: Path) -> None:
    """The same with two worker processes, where the interrupt is raised in a worker (each
    counts its own episodes, so which one is hit depends on scheduling): exit 130, the files
    are those of the episodes before the one interrupted, whole and in the manifest. The
    interrupt waits for the first file, so that the prefix is never empty (on a loaded
    machine one worker can render three episodes before the other finishes the first)."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_batch(inputs, 5)
    env = {**fault_env(), "FAULT_INTERRUPT_AFTER": str(out / "episode-1.txt")}

    done = run_briefing(
        "export", "-f", "interrupt-third", "-j", "2", "-o", str(out), str(inputs), env=env
    )

    assert done.returncode == 130
    assert done.stderr == INTERRUPTED
    k = assert_whole_prefix(out, 5)
    files, episodes = ("file", "episode") if k == 1 else ("files", "episodes")
    assert done.stdout == f"Wrote {k} {files} into {out}/ for {k} {episodes}.\n"


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """``briefing.cli.main`` (what ``briefing`` and ``python -m briefing`` run) in process with
    ``args``; its exit code."""
    monkeypatch.setattr(sys, "argv", ["briefing", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    return 0 if exited.value.code is None else int(exited.value.code)


def test_interrupt_before_the_batch_starts_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while the inputs are still being found (as while the command loads its theme or
    modules, before any file is written) is an interrupt too: exit 130 and the short message,
    not click's "Aborted!" with exit 1, which means "some inputs failed"."""
    inputs = tmp_path / "in"
    write_batch(inputs, 2)

    def interrupted(paths: Any) -> NoReturn:
        raise KeyboardInterrupt

    monkeypatch.setattr("briefing.pipeline.discover_inputs", interrupted)
    code = run_main(monkeypatch, "export", "-f", "md", "-o", str(tmp_path / "out"), str(inputs))

    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1].startswith("briefing: interrupted"), stderr
    assert code == 130


def test_interrupt_while_the_manifest_is_written_still_leaves_a_true_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while manifest.json itself is being written (its fsync, the 3rd write of a batch
    of two): no temporary file, the manifest lists the two files just written as well as the
    earlier one, and the exit code is 130."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    export_markdown(out, write_batch(inputs, 3)[2])
    real_fsync, calls = os.fsync, []

    def fsync_interrupted_on_the_manifest(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_interrupted_on_the_manifest)
    batch = [str(inputs / "01.json"), str(inputs / "02.json")]
    code = run_main(monkeypatch, "export", "-f", "md", "-j", "1", "-o", str(out), *batch)

    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    assert temp_files(out) == []
    assert sorted(path.name for path in out.glob("*.md")) == [
        "episode-1.md",
        "episode-2.md",
        "episode-3.md",
    ]
    assert_manifest_tells_the_truth(out)
    assert code == 130


def wait_for_first_file(process: subprocess.Popen[str], out: Path, timeout: float) -> None:
    """Until a finished output file appears in ``out``; fails if the process ends first or the
    deadline passes."""
    deadline = time.monotonic() + timeout
    while not any(out.glob("*.txt")):
        assert process.poll() is None, f"ended before writing anything: {process.returncode}"
        assert time.monotonic() < deadline, f"no output file after {timeout} s"
        time.sleep(0.02)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_real_sigint_mid_batch_leaves_whole_files_in_the_manifest(
    tmp_path: Path, jobs: str
) -> None:
    """A real SIGINT to the process group (what Ctrl-C in a terminal does, so worker processes
    get it too) once the first file of a slow batch exists: exit 130, the short message and no
    traceback, no temporary file, and every file there whole and in the manifest."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    count = 10
    write_batch(inputs, count)
    command = [sys.executable, "-m", "briefing", "export", "-f", "slow", "-j", jobs]
    with subprocess.Popen(
        [*command, "-o", str(out), str(inputs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=fault_env(),
        start_new_session=True,
    ) as process:
        try:
            wait_for_first_file(process, out, timeout=PROCESS_TIMEOUT)
            os.killpg(process.pid, signal.SIGINT)
            stdout, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()

    assert process.returncode == 130, stderr
    assert stderr == INTERRUPTED
    k = assert_whole_prefix(out, count)
    assert (
        stdout == f"Wrote {k} file{'s' * (k != 1)} into {out}/ for {k} episode{'s' * (k != 1)}.\n"
    )


# --- 5. good and bad inputs in one batch -----------------------------------------------


def test_batch_with_bad_episodes_writes_the_good_ones_and_names_each_bad_one(
    tmp_path: Path, default_theme: Theme
) -> None:
    """Two good episodes, one with an impossible time and one that is not JSON: the good ones
    are written in full, each bad file gets its line (file:field: message), the summary counts
    both, and the exit code is 1."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    good = write_batch(inputs, 2)
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    data["id"] = "bad-time"
    data["segments"][1]["at"] = "1:75"
    bad_time = inputs / "03-bad-time.json"
    bad_time.write_text(json.dumps(data), encoding="utf-8")
    not_json = inputs / "04-not-json.json"
    not_json.write_text("this is not JSON\n", encoding="utf-8")

    result = CliRunner().invoke(cli, ["export", "-f", "md", "-o", str(out), str(inputs)])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad_time}:segments.1.at: minutes and seconds must be below 60 in '1:75'",
        f"{not_json}: not valid JSON: Expecting value at line 1 column 1",
        f"Wrote 2 files into {out}/ for 2 episodes; 2 failed.",
    ]
    assert sorted(path.name for path in out.iterdir()) == [
        "episode-1.md",
        "episode-2.md",
        MANIFEST_NAME,
    ]
    for n, source in enumerate(good, start=1):
        assert (out / f"episode-{n}.md").read_bytes() == markdown_of(source, default_theme)
    assert_manifest_tells_the_truth(out)
