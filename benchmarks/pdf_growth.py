"""How render time grows with the input, in every format: long fields, long lists, limits.

Three parts, the first two in steps of ten (linear is a ratio of about 10 per step):

- **lines of one field**: the bundled episode with one field (a takeaway; in the PDF also
  a quote and a claim) replaced by 1,000, 10,000 and 100,000 lines of one letter each
  (``a``, ``b``, ...): 100,000 of them are 199,999 characters, just under the model's
  limit of ``briefing.model.MAX_TEXT_CHARS`` per text;
- **items of every list**: a synthetic episode (``benchmarks.synthetic``, short
  paragraphs) with 20, 200 and ``briefing.model.MAX_ITEMS`` segments, predictions,
  facts, prices, claims, quotes, technologies and takeaways;
- **the limit-sized episode**: every list at ``MAX_ITEMS``, its takeaways rewritten so
  that the episode's text has the most line breaks (``MAX_EPISODE_LINE_BREAKS``, as
  one-letter lines) and characters (``MAX_EPISODE_CHARS``) an episode may hold, each
  text at most ``MAX_TEXT_CHARS``: the issue's target is under two minutes and 2 GiB
  in every format. Rendered in a process of its own per format, so that each peak is
  that format's.

Times are CPU seconds (``time.process_time``), one warm render each: the machine is
shared, and wall-clock time there measures the neighbours as much as the render. Peak
memory is the high-water mark (``ru_maxrss``) of the process that rendered.
"""

from __future__ import annotations

import gc
import itertools
import json
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from benchmarks.inprocess import LINEAR_ENOUGH
from benchmarks.measure import MIB, own_peak_bytes, progress
from benchmarks.plan import BUNDLED_EPISODE, SEED, Plan
from benchmarks.synthetic import EpisodeShape, generate_episode
from benchmarks.table import Row, Target, ratio
from briefing.formats import Registry, render_document
from briefing.labels import labels_for
from briefing.model import (
    MAX_EPISODE_CHARS,
    MAX_EPISODE_LINE_BREAKS,
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    Episode,
    text_totals,
)
from briefing.pipeline import default_context
from briefing.source import episode_from_data, parse_json
from styles import load_theme

GROUP = "Growth with the input (CPU time ratio per 10x; linear is ~10)"
FORMATS = ("md", "html", "docx", "xlsx", "pdf")
FIELDS = ("takeaway", "quote", "claim")
FULL_LINES = (1_000, 10_000, 100_000)
FULL_ITEMS = (MAX_ITEMS // 100, MAX_ITEMS // 10, MAX_ITEMS)
QUICK_LINES = (10, 100)
QUICK_ITEMS = (2, 20)
LIMIT_SECONDS = 120.0
LIMIT_MEMORY_BYTES = 2 * 1024 * MIB
_PROSE_WORDS = ("models", "learn", "from", "data", "and", "the", "agents", "reason", "über", "数据")


@dataclass(frozen=True)
class Limits:
    """The limits an episode is built up to: the model's, or small ones for the quick run."""

    items: int = MAX_ITEMS
    chars: int = MAX_EPISODE_CHARS
    line_breaks: int = MAX_EPISODE_LINE_BREAKS
    text_chars: int = MAX_TEXT_CHARS


QUICK_LIMITS = Limits(items=20, chars=40_000, line_breaks=2_000, text_chars=2_000)


def _episode(data: dict) -> Episode:
    return episode_from_data("growth", parse_json("growth", json.dumps(data).encode()))


def _lines(count: int) -> str:
    """``count`` lines of one letter each (at most ``MAX_TEXT_CHARS`` characters)."""
    text = "\n".join(chr(ord("a") + number % 26) for number in range(count))
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"{count:,} lines are more than one text of the model holds")
    return text


def _prose(chars: int) -> str:
    """Words (Latin, with a German and a Chinese one) to exactly ``chars`` characters."""
    words = itertools.cycle(_PROSE_WORDS)
    text = " ".join(itertools.islice(words, chars // 3 + 1))[:chars]
    return text.rstrip() + "x" * (chars - len(text.rstrip()))


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


def _lists_data(items: int, paragraph_words: int = 16) -> dict:
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
        paragraph_words=paragraph_words,
        language="en",
    )
    return generate_episode(SEED + items, shape)


def lists_episode(items: int) -> Episode:
    """A synthetic episode with ``items`` entries in every list that has items of its own."""
    return _episode(_lists_data(items))


def limit_episode(limits: Limits = Limits()) -> Episode:
    """Every list at ``limits.items``; then takeaways, from the first, rewritten as texts
    of one-letter lines until the episode has ``limits.line_breaks`` line breaks, then as
    prose until it has ``limits.chars`` characters (none over ``limits.text_chars``)."""
    # Paragraphs of 8 words: at 16, the lists alone would hold most of the characters.
    data = _lists_data(limits.items, paragraph_words=8)
    chars, breaks = text_totals(_episode(data))
    takeaways = data["takeaways"]
    for index, old in enumerate(takeaways):
        room = limits.chars - chars + len(old)
        if breaks < limits.line_breaks:
            lines = min(limits.line_breaks - breaks + 1, (limits.text_chars + 1) // 2)
            new = "\n".join(chr(ord("a") + number % 26) for number in range(lines))
        elif room > len(old):
            new = _prose(min(room, limits.text_chars))
        else:
            break
        if len(new) > room:
            raise ValueError("the lists alone hold more text than the limit sized episode")
        takeaways[index] = new
        chars += len(new) - len(old)
        breaks += new.count("\n") - old.count("\n")
    episode = _episode(data)
    if text_totals(episode) != (chars, breaks) or chars < limits.chars * 0.99:
        raise ValueError(f"the episode has {text_totals(episode)}, not up to {limits}")
    return episode


def _renderer(name: str) -> Callable[[Episode], bytes]:
    exporter = Registry.from_metadata().get(name)
    theme = load_theme("default")

    def render(episode: Episode) -> bytes:
        labels = labels_for(episode.language)
        return render_document(exporter, episode, theme, labels, default_context(episode))

    render(field_episode("takeaway", 1))  # fonts, templates and imports, not measured
    return render


def _cpu_seconds(render: Callable[[Episode], bytes], episode: Episode) -> tuple[float, int]:
    gc.collect()
    started = time.process_time()
    size = len(render(episode))
    return time.process_time() - started, size


def render_limit_episode(name: str, limits: Limits) -> tuple[float, int, int]:
    """CPU seconds, bytes and this process's peak memory for the limit-sized episode."""
    render = _renderer(name)
    seconds, size = _cpu_seconds(render, limit_episode(limits))
    return seconds, size, own_peak_bytes()


def _series_rows(name: str, unit: str, times: dict[int, tuple[float, int]]) -> list[Row]:
    rows = []
    for smaller, larger in itertools.pairwise(sorted(times)):
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
                extra={"bytes": size},
            )
        )
    return rows


def _limit_rows(limits: Limits, quick: bool) -> list[Row]:
    rows = []
    target = Target(
        "<=",
        1.0,
        f"under {LIMIT_SECONDS:g} s",
        memory_limit_bytes=LIMIT_MEMORY_BYTES,
        memory_text="under 2 GiB",
    )
    what = (
        f"{limits.items:,} items in every list, {limits.chars:,} characters, "
        f"{limits.line_breaks:,} line breaks"
    )
    # A fresh process per format (spawned: nothing inherited), so each peak is its own.
    context = multiprocessing.get_context("spawn")
    for name in FORMATS:
        progress(f"growth: the limit-sized episode in {name}")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            seconds, size, peak = pool.submit(render_limit_episode, name, limits).result()
        rows.append(
            Row(
                GROUP,
                f"{name}: the limit-sized episode ({what})",
                seconds,
                ratio=seconds / LIMIT_SECONDS,
                ratio_of=f"time / {LIMIT_SECONDS:g} s",
                # The quick run's episode is small: its time says nothing of the target.
                target=None if quick else target,
                peak_memory_bytes=peak,
                extra={"bytes": size},
            )
        )
    return rows


def rows(plan: Plan) -> list[Row]:
    """The lines and items series of every format, then the limit-sized episode in each."""
    quick = plan.name == "quick"
    line_counts = QUICK_LINES if quick else FULL_LINES
    item_counts = QUICK_ITEMS if quick else FULL_ITEMS
    result: list[Row] = []
    for name in FORMATS:
        render = _renderer(name)
        # Every field in the PDF (each is drawn its own way); in the others, and in the
        # quick run (a smoke test inside the suite's time limit), the takeaway.
        for field in FIELDS if name == "pdf" and not quick else FIELDS[:1]:
            times = {}
            for count in line_counts:
                progress(f"growth: {name}, a {field} of {count:,} lines")
                times[count] = _cpu_seconds(render, field_episode(field, count))
            result += _series_rows(f"{name}: one {field}", "lines", times)
        times = {}
        for count in item_counts:
            progress(f"growth: {name}, {count:,} items in every list")
            times[count] = _cpu_seconds(render, lists_episode(count))
        result += _series_rows(f"{name}: every list", "items", times)
    return result + _limit_rows(QUICK_LIMITS if quick else Limits(), quick)
