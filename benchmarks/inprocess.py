"""Renders in a running process: the bundled episode, the large synthetic one, and
how render time grows with the item count (the PDF's peers: ``benchmarks.pdf_peers``)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from benchmarks.measure import progress, spread_text, time_call
from benchmarks.plan import BUNDLED_EPISODE, SEED, Plan, Runs
from benchmarks.synthetic import episode_bytes, generate_episode, scaled_shape
from benchmarks.table import Row, Target, ratio
from briefing.formats import Exporter, FormatError, Registry
from briefing.labels import labels_for
from briefing.model import Episode
from briefing.pipeline import default_context
from briefing.source import episode_from_data, load_episode, parse_json
from styles import Theme, load_theme

GROUP_BUNDLED = "Render in a running process: bundled episode (median of warm renders)"
GROUP_LARGE = "Render in a running process: large synthetic episode"
GROUP_GROWTH = "Growth with the item count (time ratio per 10x items; linear is ~10)"
LOAD = "load"
"""Pseudo-format of the growth series: JSON parse and model validation of the episode."""
LINEAR_ENOUGH = 15.0
"""A 10x step slower than this is treated as super-linear (quadratic would be ~100)."""


@dataclass
class Formats:
    """Every registered format, loaded if it can be; the rest with the reason they cannot."""

    available: dict[str, Exporter] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    @classmethod
    def discover(cls) -> Formats:
        registry = Registry.from_metadata()
        formats = cls()
        for name in registry.names():
            try:
                formats.available[name] = registry.get(name)
            except FormatError as error:
                formats.missing[name] = str(error)
        return formats

    @property
    def names(self) -> list[str]:
        return sorted([*self.available, *self.missing])


@dataclass
class RenderFigures:
    """Medians by (format, item count), shared between suites so nothing is timed twice;
    the bundled episode is item count 0."""

    medians: dict[tuple[str, int], float] = field(default_factory=dict)


BUNDLED = 0


def _action(
    name: str, formats: Formats, data: bytes, episode: Episode, theme: Theme
) -> Callable[[], object]:
    if name == LOAD:
        return lambda: episode_from_data("episode", parse_json("episode", data))
    exporter = formats.available[name]
    labels = labels_for(episode.language)
    context = default_context(episode)
    return lambda: exporter.render(episode, theme, labels, context)


def short_reason(reason: str) -> str:
    """The cause of a load failure without the preamble; the JSON keeps the whole message."""
    return reason.split(" cannot be loaded: ", 1)[-1][:100]


def _missing_row(group: str, what: str, reason: str) -> Row:
    return Row(group, what, None, unavailable=True, note=f"not available: {short_reason(reason)}")


def _render_rows(
    group: str,
    items: int,
    source: tuple[bytes, Episode],
    formats: Formats,
    theme: Theme,
    runs: Runs,
    figures: RenderFigures,
) -> list[Row]:
    rows = []
    for name in [LOAD, *formats.names]:
        what = "load: parse and validate the JSON" if name == LOAD else f"{name}: render"
        if name in formats.missing:
            rows.append(_missing_row(group, what, formats.missing[name]))
            continue
        progress(f"{group.split(':')[-1].strip()}: {what}")
        action = _action(name, formats, *source, theme)
        # The first call keeps the output (its size) and counts as a warm-up run.
        output = action()
        timing = time_call(action, replace(runs, warmup=max(runs.warmup - 1, 0)))
        figures.medians[name, items] = timing.median
        extra: dict[str, float | int | str | None] = {}
        if isinstance(output, bytes):
            extra["size_bytes"] = len(output)
        extra["range"] = spread_text(timing.samples)
        rows.append(
            Row(group, what, timing.median, extra=extra, samples={"ours": list(timing.samples)})
        )
    return rows


def bundled_rows(plan: Plan, formats: Formats, theme: Theme, figures: RenderFigures) -> list[Row]:
    data = BUNDLED_EPISODE.read_bytes()
    source = (data, load_episode(BUNDLED_EPISODE))
    rows = _render_rows(GROUP_BUNDLED, BUNDLED, source, formats, theme, plan.bundled, figures)
    return rows


GROWTH_PARAGRAPH_WORDS = 30
"""Paragraph length of the growth series: at the large episode's 60 words, 3,000 items
pass the 4,000,000 characters an episode may hold (``briefing.model``), so every size
of the series has shorter paragraphs, the same at each size."""


def _synthetic(items: int, paragraph_words: int = 60) -> tuple[bytes, Episode]:
    shape = scaled_shape(items, paragraph_words)
    data = episode_bytes(generate_episode(SEED + items, shape))
    return data, episode_from_data("synthetic", parse_json("synthetic", data))


def large_rows(plan: Plan, formats: Formats, theme: Theme, figures: RenderFigures) -> list[Row]:
    items = plan.large_items
    source = _synthetic(items)
    rows = _render_rows(GROUP_LARGE, items, source, formats, theme, plan.large, figures)
    for row in rows:
        row.what = f"{row.what} ({items} segments, predictions, facts)"
    return rows


def growth_rows(plan: Plan, formats: Formats, theme: Theme, figures: RenderFigures) -> list[Row]:
    """Median time per size for loading and for each format; one row per 10x step."""
    sources = {items: _synthetic(items, GROWTH_PARAGRAPH_WORDS) for items in plan.growth_sizes}
    biggest = max(plan.growth_sizes)
    rows = []
    for name in [LOAD, *formats.names]:
        if name in formats.missing:
            rows.append(_missing_row(GROUP_GROWTH, f"{name}: growth", formats.missing[name]))
            continue
        times: dict[int, float] = {}
        for items, source in sources.items():
            key = (f"growth {name}", items)  # not the large episode's paragraphs
            if key not in figures.medians:
                progress(f"growth: {name} at {items:,} items")
                action = _action(name, formats, *source, theme)
                runs = plan.biggest if items == biggest else plan.large
                figures.medians[key] = time_call(action, runs).median
            times[items] = figures.medians[key]
        sizes = sorted(times)
        for smaller, larger in itertools.pairwise(sizes):
            step = larger / smaller
            rows.append(
                Row(
                    GROUP_GROWTH,
                    f"{name}: {smaller:,} -> {larger:,} items",
                    times[larger],
                    peer=times[smaller],
                    peer_name=f"at {smaller:,}:",
                    ratio=ratio(times[larger], times[smaller]),
                    ratio_of=f"time at {larger:,} / at {smaller:,}",
                    target=_linear_target(step),
                )
            )
    return rows


def _linear_target(step: float) -> Target:
    bound = LINEAR_ENOUGH * step / 10
    return Target("<=", bound, f"<= {bound:g} (near linear)")


def run(plan: Plan, formats: Formats, figures: RenderFigures) -> list[Row]:
    theme = load_theme("default")
    rows = bundled_rows(plan, formats, theme, figures)
    rows += large_rows(plan, formats, theme, figures)
    rows += growth_rows(plan, formats, theme, figures)
    return rows
