"""How PDF render time grows with the input: long fields and long lists, up to the limits.

Two series, each in steps of ten (linear is a ratio of about 10 per step):

- **lines of one field**: the bundled episode with one field (a takeaway, a quote, a
  claim) replaced by 1,000, 10,000 and 100,000 lines of one letter each (``a``, ``b``,
  ...): 100,000 of them are 199,999 characters, just under the model's limit of
  ``briefing.model.MAX_TEXT_CHARS`` per text;
- **items of every list**: a synthetic episode (``benchmarks.synthetic``, short
  paragraphs) with 200, 2,000 and 20,000 segments, predictions, facts, prices, claims,
  quotes, technologies and takeaways: the last is an episode at the documented limit of
  ``briefing.model.MAX_ITEMS`` items per list, whose PDF the issue wants in under two
  minutes and 2 GiB.

Times are CPU seconds of this process (``time.process_time``), one warm render each:
the machine is shared, and wall-clock time there measures the neighbours as much as the
render. Peak memory is this process's high-water mark (``ru_maxrss``) after the
largest render, so an upper bound on what that render needed.
"""

from __future__ import annotations

import gc
import itertools
import json
import resource
import time
from collections.abc import Callable

from benchmarks.inprocess import LINEAR_ENOUGH
from benchmarks.measure import MIB, progress
from benchmarks.plan import BUNDLED_EPISODE, SEED, Plan
from benchmarks.synthetic import EpisodeShape, generate_episode
from benchmarks.table import Row, Target, ratio
from briefing.labels import labels_for
from briefing.model import MAX_ITEMS, MAX_TEXT_CHARS, Episode
from briefing.pipeline import default_context
from briefing.source import episode_from_data, parse_json
from styles import load_theme

GROUP = "PDF growth with the input (CPU time ratio per 10x; linear is ~10)"
FIELDS = ("takeaway", "quote", "claim")
FULL_LINES = (1_000, 10_000, 100_000)
FULL_ITEMS = (200, 2_000, MAX_ITEMS)
QUICK_LINES = (10, 100)
QUICK_ITEMS = (2, 20)
LIMIT_SECONDS = 120.0
LIMIT_MEMORY_BYTES = 2 * 1024 * MIB


def _episode(data: dict) -> Episode:
    return episode_from_data("pdf-growth", parse_json("pdf-growth", json.dumps(data).encode()))


def _lines(count: int) -> str:
    """``count`` lines of one letter each (at most ``MAX_TEXT_CHARS`` characters)."""
    text = "\n".join(chr(ord("a") + number % 26) for number in range(count))
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"{count:,} lines are more than one text of the model holds")
    return text


def field_episode(field: str, lines: int) -> Episode:
    """The bundled episode with one of its fields ``lines`` short lines long."""
    data = json.loads(BUNDLED_EPISODE.read_text(encoding="utf-8"))
    text = _lines(lines)
    if field == "takeaway":
        data["takeaways"][0] = text
    elif field == "quote":
        data["quotes"][0]["text"] = text
    else:
        data["claims"][0]["claim"] = text
    return _episode(data)


def lists_episode(items: int) -> Episode:
    """A synthetic episode with ``items`` entries in every list that has items of its own."""
    shape = EpisodeShape(
        segments=items,
        predictions=items,
        facts=items,
        claims=items,
        quotes=items,
        prices=items,
        technologies=items,
        takeaways=items,
        companies=8,
        topics=15,
        paragraph_words=16,
        language="en",
    )
    return _episode(generate_episode(SEED + items, shape))


def _cpu_seconds(render: Callable[[Episode], bytes], episode: Episode) -> tuple[float, int]:
    gc.collect()
    started = time.process_time()
    size = len(render(episode))
    return time.process_time() - started, size


def _peak_bytes() -> int:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _series_rows(
    name: str, unit: str, times: dict[int, tuple[float, int]], target_last: Target | None
) -> list[Row]:
    rows = []
    sizes = sorted(times)
    for smaller, larger in itertools.pairwise(sizes):
        step = larger / smaller
        bound = LINEAR_ENOUGH * step / 10
        seconds, size = times[larger]
        rows.append(
            Row(
                GROUP,
                f"{name}: {smaller:,} -> {larger:,} {unit}",
                seconds,
                peer=times[smaller][0],
                peer_name=f"at {smaller:,}:",
                ratio=ratio(seconds, times[smaller][0]),
                ratio_of=f"time at {larger:,} / at {smaller:,}",
                target=Target("<=", bound, f"<= {bound:g} (near linear)"),
                extra={"pdf_bytes": size},
            )
        )
    if target_last is not None and sizes:
        largest = sizes[-1]
        seconds, size = times[largest]
        rows.append(
            Row(
                GROUP,
                f"{name}: {largest:,} {unit} (the documented limit)",
                seconds,
                ratio=seconds / LIMIT_SECONDS,
                ratio_of=f"time / {LIMIT_SECONDS:g} s",
                target=target_last,
                peak_memory_bytes=_peak_bytes(),
                extra={"pdf_bytes": size},
            )
        )
    return rows


def rows(plan: Plan) -> list[Row]:
    """Both series; the list series ends with the limit-sized episode (full run only)."""
    from exporters.pdf import PdfExporter

    quick = plan.name == "quick"
    line_counts = QUICK_LINES if quick else FULL_LINES
    item_counts = QUICK_ITEMS if quick else FULL_ITEMS
    theme = load_theme("default")
    exporter = PdfExporter()

    def render(episode: Episode) -> bytes:
        return exporter.render(
            episode, theme, labels_for(episode.language), default_context(episode)
        )

    render(field_episode("takeaway", 1))  # fonts and imports, not measured
    result: list[Row] = []
    # The quick run is a smoke test inside the suite's time limit: one field is enough.
    for field in FIELDS[:1] if quick else FIELDS:
        times = {}
        for count in line_counts:
            progress(f"pdf growth: a {field} of {count:,} lines")
            times[count] = _cpu_seconds(render, field_episode(field, count))
        result += _series_rows(f"pdf: one {field}", "lines", times, None)
    times = {}
    for count in item_counts:
        progress(f"pdf growth: {count:,} items in every list")
        times[count] = _cpu_seconds(render, lists_episode(count))
    limit = None
    if not quick:
        limit = Target(
            "<=",
            1.0,
            f"under {LIMIT_SECONDS:g} s",
            memory_limit_bytes=LIMIT_MEMORY_BYTES,
            memory_text="under 2 GiB",
        )
    result += _series_rows("pdf: every list", "items", times, limit)
    return result
