"""The exit codes of ``briefing`` and the error a command stops with before any work.

0 everything written, 1 some inputs failed or a location cannot be used (the rest were
written), 2 usage error, 130/143/129 interrupted (SIGINT, SIGTERM, SIGHUP).
"""

from __future__ import annotations

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """What stops a command before it has done anything: its lines (each printed as
    ``briefing: line``) and the exit code."""

    def __init__(self, lines: str | list[str], code: int) -> None:
        self.lines = [lines] if isinstance(lines, str) else lines
        super().__init__("\n".join(self.lines))
        self.code = code


def plural(count: int, noun: str) -> str:
    """``1 episode``, ``2 episodes``."""
    return f"{count} {noun}{'s' * (count != 1)}"
