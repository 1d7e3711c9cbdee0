"""Rows of the results table, their targets, and the table as text and as JSON.

A row's ``ratio`` is defined by the row (its ``ratio_of`` says which figure is
divided by which) so that every target reads the same way: the ratio compared
with a bound. Values are stored raw (seconds, bytes) in the JSON and formatted
only for the printed table.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

Unit = Literal["s", "bytes", "x"]
Status = Literal["met", "not met", "not available", ""]

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
}


@dataclass(frozen=True)
class Target:
    """``ratio <op> bound``; optionally also a limit on our peak memory, in bytes."""

    op: Literal[">=", "<="]
    bound: float
    text: str
    memory_limit_bytes: int | None = None
    """Our peak memory must stay below this, when set."""
    memory_text: str = ""

    def check(self, ratio: float | None, peak_memory_bytes: int | None) -> bool | None:
        """True or False when everything it needs was measured, otherwise None."""
        if ratio is None:
            return None
        met = _COMPARE[self.op](ratio, self.bound)
        if self.memory_limit_bytes is not None:
            if peak_memory_bytes is None:
                return None
            met = met and peak_memory_bytes < self.memory_limit_bytes
        return met


@dataclass
class Row:
    group: str
    what: str
    ours: float | None
    unit: Unit = "s"
    peer: float | None = None
    peer_name: str = ""
    ratio: float | None = None
    ratio_of: str = ""
    """How ``ratio`` was computed, e.g. ``weasyprint / ours``."""
    target: Target | None = None
    peak_memory_bytes: int | None = None
    """Our peak resident memory, where it was measured (whole processes)."""
    extra: dict[str, float | int | str | None] = field(default_factory=dict)
    """Further measured figures (peak memory, sizes, exit codes) shown in the note."""
    samples: dict[str, list[float]] = field(default_factory=dict)
    """Every timed run, ours and the peer's, in seconds: in the JSON, not in the table."""
    note: str = ""
    unavailable: bool = False
    """Set when ours or the peer could not be measured (format or peer missing)."""
    headline: str = ""
    """Set on the rows of the targets the run is judged by (printed again at the end)."""

    @property
    def status(self) -> Status:
        if self.target is None:
            return "not available" if self.unavailable else ""
        if self.unavailable:
            return "not available"
        met = self.target.check(self.ratio, self.peak_memory_bytes)
        if met is None:
            return "not available"
        return "met" if met else "not met"

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["target"] = asdict(self.target) if self.target else None
        data["status"] = self.status
        return data


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def format_value(value: float | None, unit: Unit) -> str:
    if value is None:
        return "—"
    if unit == "bytes":
        if value >= 1024 * 1024:
            return f"{value / (1024 * 1024):.1f} MiB"
        return f"{value / 1024:.1f} KiB"
    if unit == "x":
        return f"{value:.2f}x"
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def _note(row: Row) -> str:
    parts = []
    if row.peak_memory_bytes is not None:
        parts.append(f"peak memory {format_value(row.peak_memory_bytes, 'bytes')}")
    for key, value in row.extra.items():
        if value is None:
            continue
        if isinstance(value, float | int) and key.endswith("_bytes"):
            shown = format_value(float(value), "bytes")
            parts.append(f"{key.removesuffix('_bytes').replace('_', ' ')} {shown}")
        else:
            parts.append(f"{key.replace('_', ' ')} {value}")
    if row.note:
        parts.append(row.note)
    return "; ".join(parts)


def render_table(rows: Iterable[Row]) -> str:
    """A plain-text table with one section per group, readable in a terminal or a README."""
    header = ("what", "ours", "peer / baseline", "ratio", "target", "status", "notes")
    lines: list[tuple[str, ...]] = []
    group = None
    for row in rows:
        if row.group != group:
            group = row.group
            lines.append((f"## {group}", "", "", "", "", "", ""))
        peer = format_value(row.peer, row.unit) if row.peer is not None else ""
        if row.peer_name:
            peer = f"{row.peer_name} {peer}".strip()
        ratio_text = f"{row.ratio:.2f}" if row.ratio is not None else "—"
        if row.ratio_of and row.ratio is not None:
            ratio_text += f" ({row.ratio_of})"
        target = row.target.text if row.target else ""
        if row.target and row.target.memory_text:
            target += f"; {row.target.memory_text}"
        lines.append(
            (
                row.what,
                format_value(row.ours, row.unit),
                peer,
                ratio_text,
                target,
                row.status,
                _note(row),
            )
        )
    cells = [line for line in lines if not line[0].startswith("## ")]
    widths = [max(len(header[i]), *(len(line[i]) for line in cells)) for i in range(len(header))]

    def joined(line: tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(line, widths, strict=True)
        ).rstrip()

    out = [joined(header), "  ".join("-" * width for width in widths)]
    for line in lines:
        if line[0].startswith("## "):
            out.extend(["", line[0][3:]])
        else:
            out.append(joined(line))
    return "\n".join(out)


def render_targets(rows: Iterable[Row]) -> str:
    """The headline targets, one line each: the ratio, the bound and met or not."""
    chosen = [row for row in rows if row.headline]
    if not chosen:
        return ""
    width = max(len(row.headline) for row in chosen)
    lines = ["Targets"]
    for row in chosen:
        shown = f"{row.ratio:.2f}" if row.ratio is not None else "—"
        bound = row.target.text if row.target else ""
        if row.target and row.target.memory_text:
            bound += f"; {row.target.memory_text}"
        lines.append(f"  {row.headline.ljust(width)}  {shown:>6}  {bound}: {row.status}")
    return "\n".join(lines)
