"""Where an export's documents go, decided and checked before any work.

- ``-o DIR/``, an existing folder, or a name without a suffix (``-o out``): a folder with
  ``<id>.<suffix>`` per document and ``manifest.json``.
- ``-o NAME.SUFFIX``, pandoc's convention, when the run makes exactly one document (one
  episode in one format, or ``--combine`` in one format): that file. The suffix must be
  the format's (``.pdf`` for pdf; a usage error otherwise), and the file's folder lists
  it in its ``manifest.json``, as any output folder does. A name with a suffix for a run
  of several documents is a usage error: a folder whose name has a dot is written with a
  trailing slash (``-o reports.v2/``).
- ``-o -``: the one document on standard output and nothing on disk (it is rendered in a
  private scratch folder, removed afterwards); a binary document is refused when standard
  output is a terminal.

A location that cannot be used (a file where the folder should be, a path under a file,
a dangling symbolic link, a folder the file system will not create, one that cannot be
written into) is one line naming the path and the reason, exit 1. Folders made on the way
to one that then fails are removed again, so nothing is left behind.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefing.exits import EXIT_FAILED, EXIT_USAGE, CommandError

STDOUT = "-"
MANIFEST_NAME = "manifest.json"  # the pipeline's name for it; a document may not take it


@dataclass(frozen=True)
class Document:
    """The format of the one document a run makes."""

    format: str
    suffix: str
    media_type: str

    @property
    def is_text(self) -> bool:
        return self.media_type.startswith("text/") or "charset=" in self.media_type


@dataclass(frozen=True)
class Destination:
    folder: Path | None
    """Where the files and the manifest go; None for standard output (a scratch folder)."""
    file: Path | None = None
    """The one document's path, for ``-o FILE``."""

    @property
    def to_stdout(self) -> bool:
        return self.folder is None


def plan(
    output: str, documents: int, one: Document | None, what: str, stdout_is_terminal: bool
) -> Destination:
    """The destination ``-o output`` names for a run of ``documents`` documents (``what``
    says it in words: "2 episodes in 4 formats"); ``one`` is the run's format when it has a
    single one. Raises CommandError, exit 2 for a usage error, 1 for an unusable location."""
    if output == STDOUT:
        return _stdout(documents, one, what, stdout_is_terminal)
    path = Path(output)
    if output.endswith(("/", os.sep)) or path.is_dir():
        return Destination(folder=path)
    if os.path.lexists(path):
        return _existing_file(path, documents, one, what)
    if not path.suffix:
        return Destination(folder=path)
    _check_one_file(path, documents, one, what)
    return Destination(folder=path.parent, file=path)


def _stdout(documents: int, one: Document | None, what: str, terminal: bool) -> Destination:
    if documents != 1 or one is None:
        raise CommandError(
            f"-o - writes one document to standard output; this run makes {documents} "
            f"({what}): choose one format and one input, or --combine",
            EXIT_USAGE,
        )
    if terminal and not one.is_text:
        raise CommandError(
            f"-o -: a {one.format} document is binary and standard output is a terminal; "
            f"redirect it (> file.{one.suffix}) or pipe it into a program",
            EXIT_USAGE,
        )
    return Destination(folder=None)


def _check_one_file(path: Path, documents: int, one: Document | None, what: str) -> None:
    if documents != 1 or one is None:
        raise CommandError(
            f"-o {_shown(path)} names one file, but this run makes {documents} documents "
            f"({what}); name a folder ({_shown(path)}/) to write them all",
            EXIT_USAGE,
        )
    if path.name == MANIFEST_NAME:
        raise CommandError(
            f"-o {_shown(path)}: that name is the folder's manifest; choose another", EXIT_USAGE
        )
    if path.suffix.lower() != f".{one.suffix}".lower():
        raise CommandError(
            f"-o {_shown(path)}: the {one.format} format writes .{one.suffix} files; "
            f"name the file {_shown(path.with_suffix('.' + one.suffix))}",
            EXIT_USAGE,
        )


def _existing_file(path: Path, documents: int, one: Document | None, what: str) -> Destination:
    """``-o`` names something that exists and is not a folder."""
    if path.is_symlink() and not path.exists():
        raise CommandError(
            f"{_shown(path)}: cannot write there: a symbolic link to "
            f"{_shown(path.readlink())}, which does not exist",
            EXIT_FAILED,
        )
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        # Made by a run started beside this one since ``plan`` looked for a folder.
        return Destination(folder=path)
    if not stat.S_ISREG(mode):
        raise CommandError(
            f"{_shown(path)}: cannot write there: not a regular file or a folder "
            "(for standard output, -o -)",
            EXIT_FAILED,
        )
    if documents != 1 or one is None:
        raise CommandError(
            f"{_shown(path)}: is a file, not a folder, and this run makes {documents} "
            f"documents ({what})",
            EXIT_FAILED,
        )
    _check_one_file(path, documents, one, what)
    # A link to a file is written through, so the link stays and points at the new file.
    target = Path(os.path.realpath(path))
    return Destination(folder=target.parent, file=target)


@contextmanager
def prepared(destination: Destination, staged: bool) -> Iterator[Path]:
    """The folder to export into. The destination's folder is made when it is missing
    (CommandError, exit 1, when it cannot be, with whatever was made on the way removed;
    removed again when the run left it empty). ``staged`` (standard output, and ``-o
    FILE`` for one episode, whose file the pipeline would name ``<id>.<suffix>``): the
    run goes into a scratch folder instead, removed afterwards whatever happens, and the
    caller places the one document."""
    folder = destination.folder
    made = [] if folder is None else make_folder(folder)
    try:
        if folder is not None and not staged:
            yield folder
            return
        scratch = Path(tempfile.mkdtemp(prefix="briefing-"))
        try:
            yield scratch
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    finally:
        # A run that wrote nothing (every input failed, or interrupted first) leaves no
        # empty folder of its own making; a folder with anything in it stays.
        remove_empty(made)


def make_folder(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents one by one; returns those made. Checks what
    ``mkdir -p`` would only report as a bare errno (and ``exist_ok`` hides: a dangling link)."""
    missing: list[Path] = []
    existing = folder
    while not os.path.lexists(existing):
        missing.append(existing)
        existing = existing.parent
    _check_existing_folder(folder, existing)
    made: list[Path] = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            if not path.is_dir():
                remove_empty(made)
                raise CommandError(
                    f"{_shown(folder)}: cannot create: {_shown(path)} is a file", EXIT_FAILED
                ) from None
        except OSError as error:
            remove_empty(made)
            raise CommandError(
                f"{_shown(folder)}: cannot create the folder: {_refusal(folder, path, error)}",
                EXIT_FAILED,
            ) from None
        else:
            made.append(path)
    return made


def _check_existing_folder(folder: Path, existing: Path) -> None:
    """``existing`` is ``folder`` or its nearest parent that is there."""
    name = _shown(folder)
    if existing.is_symlink() and not existing.exists():
        target = _shown(existing.readlink())
        where = "" if existing == folder else f" {_shown(existing)} is"
        raise CommandError(
            f"{name}: cannot create the folder:{where} a symbolic link to {target}, "
            "which does not exist",
            EXIT_FAILED,
        )
    if not existing.is_dir():
        if existing == folder:
            raise CommandError(f"{name}: is a file, not a folder", EXIT_FAILED)
        raise CommandError(
            f"{name}: cannot create the folder: {_shown(existing)} is a file", EXIT_FAILED
        )
    # An existing folder that refuses writes is left to the pipeline, which names each
    # file it could not write; a folder still to be made needs a parent that takes it.
    if existing != folder and not os.access(existing, os.W_OK | os.X_OK):
        read_only = os.statvfs(existing).f_flag & os.ST_RDONLY
        reason = "a read-only file system" if read_only else "permission denied"
        raise CommandError(
            f"{name}: cannot create a folder in {_shown(existing)}: {reason}", EXIT_FAILED
        )


def _refusal(folder: Path, path: Path, error: OSError) -> str:
    """Why ``path``, on the way to ``folder``, could not be made."""
    reason = error.strerror or str(error)
    if error.errno == errno.ENOENT and path.parent.is_dir():
        # /proc and the like: the parent is there, its file system makes no folders.
        return f"the file system of {_shown(path.parent)} makes no folders ({reason})"
    return reason if path == folder else f"{_shown(path)}: {reason}"


def remove_empty(made: list[Path]) -> None:
    """The folders ``make_folder`` made, innermost first, while they are empty."""
    for path in reversed(made):
        try:
            path.rmdir()
        except OSError:
            return  # something is in it now: it is no longer ours to remove


def _shown(path: Path) -> str:
    """The path for a one-line message: a newline or a bidi override in a name is shown
    escaped, so it cannot start another line or reorder this one."""
    text = str(path)
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
