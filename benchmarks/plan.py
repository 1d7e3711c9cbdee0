"""How much to measure: the full run the issue asks for, and a quick smoke run."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_EPISODE = PROJECT_ROOT / "data" / "episodes" / "summoning-ghosts.json"
RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results"
SEED = 20251017


@dataclass(frozen=True)
class Plan:
    name: str
    render_repeats: int
    """Warm renders of the bundled episode per format (the issue asks for at least 20)."""
    large_items: int
    """Segments, predictions and facts of the large synthetic episode."""
    large_repeats: int
    growth_sizes: tuple[int, ...]
    """Item counts of the growth series; each step is ten times the one before."""
    biggest_repeats: int
    """Renders at the biggest growth size, which is slow and needs no warm-up."""
    weasyprint_large_repeats: int
    process_repeats: int
    library_episodes: int
    combined_episodes: int
    predictions_per_episode: int
    pandoc_batch: int
    batch_repeats: int
    """Rounds of the Word batch, ours and pandoc's; the median round counts."""

    @property
    def combined_rows(self) -> int:
        return self.combined_episodes * self.predictions_per_episode


FULL = Plan(
    name="full",
    render_repeats=20,
    large_items=300,
    large_repeats=20,
    growth_sizes=(30, 300, 3000),
    biggest_repeats=3,
    weasyprint_large_repeats=3,
    process_repeats=15,
    library_episodes=1000,
    combined_episodes=1000,
    predictions_per_episode=100,
    pandoc_batch=100,
    batch_repeats=3,
)

QUICK = Plan(
    name="quick",
    render_repeats=1,
    large_items=10,
    large_repeats=1,
    growth_sizes=(1, 10),
    biggest_repeats=1,
    weasyprint_large_repeats=1,
    process_repeats=1,
    library_episodes=3,
    combined_episodes=3,
    predictions_per_episode=20,
    pandoc_batch=2,
    batch_repeats=1,
)


def briefing_command() -> list[str]:
    """The ``briefing`` console script beside this interpreter, as users run it."""
    script = Path(sys.executable).parent / "briefing"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "briefing"]
