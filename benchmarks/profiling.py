"""Where the time goes: cProfile of loading and rendering one large synthetic episode.

``python -m benchmarks --profile 3000`` writes one report per format under
``benchmarks/results/`` (top functions by own time and by cumulative time) and
prints the first lines of each, to find hot spots and anything super-linear.
"""

from __future__ import annotations

import cProfile
import io
import pstats
from pathlib import Path

from benchmarks.inprocess import LOAD, Formats
from benchmarks.plan import SEED
from benchmarks.synthetic import episode_bytes, generate_episode, scaled_shape
from briefing.labels import labels_for
from briefing.source import episode_from_data, parse_json
from styles import load_theme

TOP_FUNCTIONS = 25


def _report(profile: cProfile.Profile, title: str) -> str:
    stream = io.StringIO()
    stream.write(f"{title}\n\n")
    for order in ("tottime", "cumulative"):
        stream.write(f"--- by {order} ---\n")
        stats = pstats.Stats(profile, stream=stream)
        stats.strip_dirs().sort_stats(order).print_stats(TOP_FUNCTIONS)
    return stream.getvalue()


def profile_formats(items: int, names: list[str] | None, folder: Path) -> list[Path]:
    """Profile loading and each available format at ``items``; returns the report files."""
    folder.mkdir(parents=True, exist_ok=True)
    data = episode_bytes(generate_episode(SEED + items, scaled_shape(items)))
    episode = episode_from_data("synthetic", parse_json("synthetic", data))
    theme = load_theme("default")
    labels = labels_for(episode.language)
    formats = Formats.discover()
    reports = []
    for name in names or [LOAD, *formats.available]:
        if name != LOAD and name not in formats.available:
            print(f"{name}: not available: {formats.missing.get(name, 'unknown format')}")
            continue
        exporter = formats.available.get(name)
        if exporter is not None:
            # One untimed render first, so imports and caches are not profiled.
            exporter.render(episode, theme, labels)
        profile = cProfile.Profile()
        profile.enable()
        if exporter is None:
            episode_from_data("synthetic", parse_json("synthetic", data))
        else:
            exporter.render(episode, theme, labels)
        profile.disable()
        path = folder / f"profile-{name}-{items}.txt"
        path.write_text(_report(profile, f"{name} at {items} items"), encoding="utf-8")
        reports.append(path)
    return reports
