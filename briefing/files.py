"""Files written whole or not at all: for documents, manifests and caches alike.

Every file goes to a temporary file in its own folder (``.NAME.XXXXXXXX.part``) and is
renamed into place. Two things make that safe when several runs share a folder or a run
is killed with ``kill -9``:

- **The folder lock**: an advisory ``flock`` on the folder itself (no lock file to list
  or forget), held while a temporary file is created and while a file is renamed into
  place and recorded, never while data is written. Runs into one folder take turns
  only for those moments.
- **Locked temporary files**: each temporary file is ``flock``-ed by the process that
  writes it from the moment it is created (both under the folder lock). The kernel
  drops the lock when that process ends, however it ends, so a temporary file nobody
  holds is a dead run's and ``remove_stale_temporaries`` may delete it; a live run's
  never is.

``fcntl`` by hand rather than the ``filelock`` library: that one locks a separate lock
file, which would be one more file in every output folder, and it has no way to ask
whether another process still holds a file.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

TEMP_SUFFIX = ".part"

_held: dict[str, tuple[int, int]] = {}
"""Folder locks this process holds: folder -> (descriptor, depth). flock locks belong to
an open file, so a second ``open`` of the same folder in this process would wait for the
first forever; nested holders share one descriptor instead."""


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock (re-entrant within this process). A folder that cannot be
    opened (no read permission) is used without one: its writes fail or succeed alone."""
    key = str(Path(folder).absolute())
    if key in _held:
        descriptor, depth = _held[key]
        _held[key] = (descriptor, depth + 1)
        try:
            yield
        finally:
            _held[key] = (descriptor, _held[key][1] - 1)
        return
    try:
        descriptor = os.open(key, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        _held[key] = (descriptor, 1)
        yield
    finally:
        _held.pop(key, None)
        os.close(descriptor)  # closing the last descriptor releases the lock


def _locked_temporary(path: Path) -> tuple[int, Path]:
    """A new temporary file beside ``path``, created and locked under the folder lock so
    that no cleaner sees it unlocked."""
    with folder_lock(path.parent):
        handle, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX
        )
        # On a file system without flock the file is still private by its name.
        with suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle, Path(name)


def write_atomically(
    path: Path,
    data: bytes | Callable[[IO[bytes]], None],
    placed: Callable[[Callable[[], None]], None] | None = None,
) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.
    ``data`` is the bytes, or a function that writes them to the file it is given (for a
    file too big to hold in memory whole, such as a large manifest).

    ``placed``, when given, is called under the folder lock with the rename to do: it
    records the file before and after calling it (the manifest's journal), so that the
    rename and its record are one step for every other run into the folder."""
    handle, temp_path = _locked_temporary(path)
    try:
        with os.fdopen(handle, "wb") as temp_file:
            if isinstance(data, bytes):
                temp_file.write(data)
            else:
                data(temp_file)
            temp_file.flush()
            os.fsync(temp_file.fileno())
            temp_path.chmod(0o666 & ~_umask())
            # Renamed while still open, so the lock holds until the name is gone.
            with folder_lock(path.parent):
                if placed is None:
                    temp_path.replace(path)
                else:
                    placed(lambda: temp_path.replace(path))
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files of runs that ended without cleaning up (``kill -9``, a
    power cut): those no live process holds a lock on. Returns what was removed."""
    removed = []
    with folder_lock(folder):
        for path in sorted(folder.glob(f".*{TEMP_SUFFIX}")):
            try:
                descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            except OSError:
                continue  # gone already, or not a file of ours (a symlink)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live run is writing it
            finally:
                os.close(descriptor)
            with suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


class SpooledScratch:
    """Scratch streams for formats (``RenderContext.scratch``): in memory while small,
    then an anonymous temporary file, gone when closed whatever happens to the process.
    openpyxl would give every sheet a named temporary file; making and removing nine
    took as long as rendering the rest of a one-episode workbook (30 ms)."""

    def __init__(self, in_memory: int = 1 << 20) -> None:
        self.in_memory = in_memory

    def __call__(self) -> IO[bytes]:
        return tempfile.SpooledTemporaryFile(max_size=self.in_memory)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
