"""Reading a named input with a bound, whatever the name turns out to be.

``stat()`` is not trusted for the size: ``/proc`` files say 0 and have content, a
symlink to ``/dev/zero`` says 0 and never ends, a file can grow after it was
looked at. So a file is opened without blocking (a FIFO with no writer would wait
forever, a terminal would become ours), the descriptor that was opened is checked
(not the name, which can change in between), anything but a regular file is
refused at once, and at most ``limit + 1`` bytes are read, so a file past the limit
is known to be past it without reading more.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


class UnreadableInput(Exception):
    """The one-line reason, without the file's name (the caller puts it in front)."""


def describe_limit(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit % 2**20 == 0 else f"{limit:,} bytes"


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _not_regular(mode: int) -> UnreadableInput:
    return UnreadableInput(f"is {_kind(mode)}, not a regular file")


def read_bounded(path: Path, limit: int) -> bytes:
    """The whole content of the regular file at ``path``, at most ``limit`` bytes."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if error.errno == errno.ENXIO:
            # open() of a socket (or of a device with no driver) fails with ENXIO;
            # say what the name is rather than "No such device or address".
            try:
                raise _not_regular(path.stat().st_mode) from None
            except OSError:
                pass
        raise UnreadableInput(f"cannot read: {error.strerror or error}") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise _not_regular(status.st_mode)
        if status.st_size > limit:
            message = f"file is {status.st_size:,} bytes; the limit is {describe_limit(limit)}"
            raise UnreadableInput(message)
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise UnreadableInput(f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise UnreadableInput(f"file is over the limit of {describe_limit(limit)}")
    return data
