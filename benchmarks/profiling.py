"""Where the time goes: cProfile of loading and rendering large synthetic episodes.

``python -m benchmarks --profile 3000`` writes one report per format under
``benchmarks/results/`` (top functions by own time and by cumulative time).
``--profile 300 --profile 3000`` also compares the two sizes function by
function and lists those whose own time grew more than the item count did:
that is where anything super-linear hides.
"""

from __future__ import annotations

import cProfile
import io
import pstats
from collections.abc import Callable
from pathlib import Path

from benchmarks.inprocess import LOAD, Formats
from benchmarks.plan import SEED
from benchmarks.synthetic import episode_bytes, generate_episode, scaled_shape
from briefing.labels import labels_for
from briefing.pipeline import default_context
from briefing.source import episode_from_data, parse_json
from styles import load_theme

TOP_FUNCTIONS = 25
TOP_GROWING = 12
FunctionKey = tuple[str, int, str]


def _actions(items: int, formats: Formats, names: list[str]) -> dict[str, Callable[[], object]]:
    data = episode_bytes(generate_episode(SEED + items, scaled_shape(items)))
    episode = episode_from_data("synthetic", parse_json("synthetic", data))
    theme = load_theme("default")
    labels = labels_for(episode.language)
    context = default_context(episode)
    actions: dict[str, Callable[[], object]] = {}
    for name in names:
        if name == LOAD:
            actions[name] = lambda: episode_from_data("synthetic", parse_json("synthetic", data))
        elif name in formats.available:
            exporter = formats.available[name]
            actions[name] = lambda exporter=exporter: exporter.render(
                episode, theme, labels, context
            )
    return actions


def _profiled(action: Callable[[], object]) -> pstats.Stats:
    # One untimed call first, so imports and font loading are not in the profile.
    action()
    profile = cProfile.Profile()
    profile.runcall(action)
    return pstats.Stats(profile)


def _report(stats: pstats.Stats, title: str) -> str:
    stream = io.StringIO()
    stream.write(f"{title}\n\n")
    stats.stream = stream  # type: ignore[attr-defined]
    for order in ("tottime", "cumulative"):
        stream.write(f"--- by {order} ---\n")
        stats.sort_stats(order).print_stats(TOP_FUNCTIONS)
    return stream.getvalue()


def _own_times(stats: pstats.Stats) -> dict[FunctionKey, float]:
    table = stats.stats  # type: ignore[attr-defined]
    return {key: value[2] for key, value in table.items()}


def growth_report(name: str, small: int, large: int, by_size: dict[int, pstats.Stats]) -> str:
    """Functions whose own time grew faster than the items, most excess time first."""
    step = large / small
    before, after = _own_times(by_size[small]), _own_times(by_size[large])
    excess = {key: seconds - before.get(key, 0.0) * step for key, seconds in after.items()}
    lines = [
        f"{name}: own time at {small:,} and {large:,} items (x{step:g} items); "
        "functions that grew more than that, by time beyond linear",
        f"{f'at {small:,}':>12} {f'at {large:,}':>12} {'growth':>8}  function",
    ]
    for key in sorted(excess, key=excess.__getitem__, reverse=True)[:TOP_GROWING]:
        if excess[key] <= 0:
            break
        was = before.get(key, 0.0)
        growth = f"{after[key] / was:.0f}x" if was else "new"
        file_name, line, function = key
        where = f"{Path(file_name).name}:{line}({function})"
        lines.append(f"{was:12.3f} {after[key]:12.3f} {growth:>8}  {where}")
    return "\n".join(lines)


def profile_formats(sizes: list[int], names: list[str] | None, folder: Path) -> list[str]:
    """Profile loading and each available format at each size; returns what to print.

    Full reports go to ``folder``; with two or more sizes, growth between the two largest.
    """
    folder.mkdir(parents=True, exist_ok=True)
    formats = Formats.discover()
    wanted = names or [LOAD, *formats.available]
    for name in wanted:
        if name != LOAD and name not in formats.available:
            print(f"{name}: not available: {formats.missing.get(name, 'unknown format')}")
    printed = []
    stats: dict[str, dict[int, pstats.Stats]] = {}
    for items in sorted(set(sizes)):
        for name, action in _actions(items, formats, wanted).items():
            stats.setdefault(name, {})[items] = _profiled(action)
            report = _report(stats[name][items], f"{name} at {items:,} items")
            path = folder / f"profile-{name}-{items}.txt"
            path.write_text(report, encoding="utf-8")
            printed.append("\n".join(report.splitlines()[:24]) + f"\n(full report: {path})")
    if len(set(sizes)) > 1:
        small, large = sorted(set(sizes))[-2:]
        printed.extend(growth_report(name, small, large, by) for name, by in stats.items())
    return printed
