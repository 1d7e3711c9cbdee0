"""Ingest growth: source pages with one line of the worst patterns, 1k -> 100k characters.

Each pattern is a line that made a regular expression of ``briefing.ingest`` try
every run of spaces from every position (quadratic or cubic: a padded ``Duration:``
line or a quote padded around its dash took minutes at a few thousand characters).
The ratio is that of the two largest sizes (at 1k characters fixed costs
dominate): linear is 10x, quadratic 100x; the target leaves room for the noise of a
shared machine. The pages are refused or
read as the case may be; both are timed, since a refusal must be as quick.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from benchmarks.measure import time_call
from benchmarks.plan import Plan, Runs
from benchmarks.table import Row, Target, ratio
from briefing.ingest import IngestError, parse_page

GROUP = "Ingest growth (one line of the worst patterns, 1k -> 100k characters)"
FULL_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (200, 2_000)
RUNS = Runs(most=7, least=2, budget_seconds=4.0)
QUICK_RUNS = Runs(most=1, least=1, warmup=0)
TARGET = Target("<=", 20.0, "<= 20x for 10x the characters (linear: 10x, quadratic: 100x)")

_HEAD = "A padded page\n\nCategory: Tests · Duration: 5 min\n\n"


def _padding(length: int, unit: str = " ") -> str:
    return (unit * (length // len(unit) + 1))[:length]


PATTERNS: dict[str, Callable[[int], str]] = {
    "Duration: padded with spaces": lambda n: f"T\n\nDuration: 1 h{_padding(n)}x min\n",
    "quote, spaces around a dash, no time": lambda n: (
        f"{_HEAD}Notable Quotes\nx —{_padding(n)}@ y\n"
    ),
    "quote, a run of spaces inside": lambda n: f"{_HEAD}Notable Quotes\nx{_padding(n)}y\n",
    "quote, many dashes and at signs": lambda n: (
        f"{_HEAD}Notable Quotes\nx{_padding(n, ' — @')} y\n"
    ),
    "price row, spaces between item and value": lambda n: (
        f"{_HEAD}Specific Prices\n01:00 item{_padding(n)}x\n"
    ),
    "price row, digits with no end": lambda n: (
        f"{_HEAD}Specific Prices\n01:00 item {_padding(n, '1,')}x\n"
    ),
    "heading, spaces before the count": lambda n: f"{_HEAD}Segments{_padding(n)}(x\n",
    "prediction, bracket never closed": lambda n: (
        f"{_HEAD}Predictions\n  • [01:00,{_padding(n, ' ,')}\n"
    ),
    "segment, spaces before the dot": lambda n: f"{_HEAD}Segments\n  • 00:00{_padding(n)}x\n",
    "header, separators only": lambda n: f"T\n\n{_padding(n, ' · ')}x\n",
}


def _ingest(page: str) -> None:
    # A refusal is an outcome like any other; its time counts the same.
    with contextlib.suppress(IngestError):
        parse_page(page, "padded.txt", "padded")


def _seconds(page: str, runs: Runs) -> float:
    # The best of the runs: on a shared machine the others measure the neighbours.
    return time_call(lambda: _ingest(page), runs).best


def rows(plan: Plan) -> list[Row]:
    quick = plan.name == "quick"
    sizes, runs = (QUICK_SIZES, QUICK_RUNS) if quick else (FULL_SIZES, RUNS)
    found = []
    for name, make in PATTERNS.items():
        seconds = [_seconds(make(size), runs) for size in sizes]
        found.append(
            Row(
                group=GROUP,
                what=f"ingest, {name}",
                ours=seconds[-1],
                peer=seconds[-2],
                peer_name=f"at {sizes[-2]:,} characters",
                ratio=ratio(seconds[-1], seconds[-2]),
                ratio_of=f"{sizes[-1]:,} / {sizes[-2]:,} characters",
                target=TARGET if not quick else None,
                extra={
                    f"at {size:,}": f"{value * 1000:.2f} ms"
                    for size, value in zip(sizes, seconds, strict=True)
                },
            )
        )
    return found
