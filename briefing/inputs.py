"""What ``briefing export`` reads, checked before any work.

Every path given must be there (a missing one is a usage error, exit 2, with nothing
created), and the inputs together must hold at least one episode (a folder with no
``*.json`` says so, exit 2). ``-`` is one episode read from standard input: it is read
once, with the same bound as a file, into a private scratch file that every worker can
open, and messages name it ``-``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from briefing.exits import EXIT_FAILED, EXIT_USAGE, CommandError
from briefing.source import MAX_INPUT_BYTES, Problem, count_inputs

STDIN = "-"


@dataclass(frozen=True)
class Inputs:
    paths: tuple[Path, ...]
    """What the pipeline reads; standard input as its scratch file."""
    episodes: int
    """Episode files among them (a folder counts its ``*.json``)."""
    stdin_file: Path | None = None

    def shown(self, problem: Problem) -> Problem:
        """``problem`` as the user should read it: the scratch file of ``-`` is ``-``."""
        if self.stdin_file is not None and problem.source == str(self.stdin_file):
            return replace(problem, source=STDIN)
        return problem


@contextmanager
def resolved(
    given: tuple[str, ...], default: Path, stdin: BinaryIO | None = None
) -> Iterator[Inputs]:
    """The inputs of a run (``default`` when none are given), or CommandError."""
    paths = [Path(name) for name in given] if given else [default]
    if given.count(STDIN) > 1:
        raise CommandError("- (standard input) is given more than once", EXIT_USAGE)
    missing = [_missing(path, default if not given else None) for path in paths]
    missing_lines = [line for line in missing if line]
    if missing_lines:
        raise CommandError(missing_lines, EXIT_USAGE)
    files = [path for path in paths if str(path) != STDIN]
    found, problems = count_inputs(files)
    episodes = found + (STDIN in given)
    if episodes == 0:
        raise CommandError([str(problem) for problem in problems], EXIT_USAGE)
    with with_stdin(tuple(paths), stdin) as (readable, stdin_file):
        yield Inputs(readable, episodes, stdin_file)


@contextmanager
def with_stdin(
    paths: tuple[Path, ...], stdin: BinaryIO | None = None
) -> Iterator[tuple[tuple[Path, ...], Path | None]]:
    """``paths`` with ``-`` replaced by a scratch file holding standard input, and that
    file (None without ``-``); the file is removed afterwards whatever happens."""
    if not any(str(path) == STDIN for path in paths):
        yield paths, None
        return
    data = _read_stdin(stdin if stdin is not None else _stdin())
    scratch = Path(tempfile.mkdtemp(prefix="briefing-stdin-"))
    try:
        stdin_file = scratch / "stdin.json"
        stdin_file.write_bytes(data)
        yield tuple(stdin_file if str(path) == STDIN else path for path in paths), stdin_file
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _missing(path: Path, default: Path | None) -> str:
    """The line for an input that is not there; empty when it is."""
    if str(path) == STDIN or path.exists():
        return ""
    if default is not None:
        return (
            f"{path}: no such folder, and no INPUT was given; name episode files or "
            f"folders, or write the bundled episode there with: briefing example -o {path}"
        )
    if path.is_symlink():
        return f"{path}: a symbolic link to {path.readlink()}, which does not exist"
    return f"{path}: no such file or folder"


def _stdin() -> BinaryIO:
    if sys.stdin is None:  # started with standard input closed
        raise CommandError("-: there is no standard input to read", EXIT_USAGE)
    return sys.stdin.buffer


def _read_stdin(stream: BinaryIO) -> bytes:
    if stream.isatty():
        raise CommandError(
            "-: standard input is a terminal; pipe an episode in: briefing export - < episode.json",
            EXIT_USAGE,
        )
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        limit = MAX_INPUT_BYTES // (1024 * 1024)
        raise CommandError(f"-: more than {limit} MiB on standard input", EXIT_FAILED)
    return data
