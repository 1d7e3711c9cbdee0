"""Standard output that cannot take what is written, as users of pipes expect.

A closed pipe (``briefing formats | head -1``) is the reader saying it has enough: exit
0, nothing printed. Any other write error on standard output (``> /dev/full``, an I/O
error) is one line, exit 1. Never a traceback; and standard output is then pointed at
``/dev/null``, so the interpreter's last flush at exit has nothing to complain about.

To tell a failed write on standard output from any other ``OSError`` (a file, a socket),
``guard_stdout`` puts a thin layer under ``sys.stdout`` whose failures are ``StdoutError``.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys

from briefing.exits import EXIT_FAILED


class StdoutError(OSError):
    """A write to standard output failed."""


class _GuardedOutput(io.RawIOBase):
    def __init__(self, descriptor: int) -> None:
        super().__init__()
        self._descriptor = descriptor

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._descriptor

    def isatty(self) -> bool:
        return os.isatty(self._descriptor)

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            return os.write(self._descriptor, data)
        except OSError as error:
            raise StdoutError(error.errno, error.strerror) from None


def guard_stdout() -> None:
    """``sys.stdout`` as before (encoding, errors, line buffering), its failures marked."""
    out = sys.stdout
    if not isinstance(out, io.TextIOWrapper):
        return  # not the process's own standard output (a test's capture)
    try:
        descriptor = out.fileno()
        out.flush()
    except (OSError, ValueError):
        return
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_GuardedOutput(descriptor)),
        encoding=out.encoding,
        errors=out.errors,
        line_buffering=out.line_buffering,
        write_through=out.write_through,
    )


def stdout_error_exit(error: StdoutError) -> int:
    """The exit code for a failed write on standard output, after saying so."""
    _point_stdout_at_null()
    if error.errno == errno.EPIPE:
        return 0
    with contextlib.suppress(OSError):  # stderr gone too: the exit code is all that is left
        print(f"briefing: cannot write to standard output: {error.strerror}", file=sys.stderr)
    return EXIT_FAILED


def _point_stdout_at_null() -> None:
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)
