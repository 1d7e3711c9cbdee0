"""How much to measure: the full run the issue asks for, and a quick smoke run."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_EPISODE = PROJECT_ROOT / "data" / "episodes" / "summoning-ghosts.json"
RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results"
SEED = 20251017


@dataclass(frozen=True)
class Runs:
    """How often to time one action in a running process."""

    most: int
    least: int
    """Fewer than ``most`` only once the runs have taken ``budget_seconds`` in all."""
    budget_seconds: float | None = None
    warmup: int = 1
    """Untimed first runs: imports, font loading and caches are not what we measure."""


@dataclass(frozen=True)
class Plan:
    name: str
    bundled: Runs
    """Renders of the bundled episode per format (the issue asks for at least 20)."""
    large_items: int
    """Segments, predictions and facts of the large synthetic episode."""
    large: Runs
    """Renders of the large episode and of every growth size but the biggest."""
    growth_sizes: tuple[int, ...]
    """Item counts of the growth series; each step is ten times the one before."""
    biggest: Runs
    """Renders at the biggest growth size: slow, and already warm."""
    weasyprint_large: Runs
    process_repeats: int
    """Runs of each short whole process (start-up, one export)."""
    process_warmup: int
    library_episodes: int
    combined_episodes: int
    predictions_per_episode: int
    combined_repeats: int
    """Rounds of the combined workbook, ours and xlsxwriter's in turns."""
    pandoc_batch: int
    batch_repeats: int
    """Rounds of the Word batch, ours and pandoc's; the median round counts."""

    @property
    def combined_rows(self) -> int:
        return self.combined_episodes * self.predictions_per_episode

    def at_most(self, rounds: int) -> Plan:
        """The same sizes with at most ``rounds`` timed runs of anything (``--rounds``)."""

        def fewer(runs: Runs) -> Runs:
            return replace(runs, most=min(runs.most, rounds), least=min(runs.least, rounds))

        return replace(
            self,
            bundled=fewer(self.bundled),
            large=fewer(self.large),
            biggest=fewer(self.biggest),
            weasyprint_large=fewer(self.weasyprint_large),
            process_repeats=min(self.process_repeats, rounds),
            combined_repeats=min(self.combined_repeats, rounds),
            batch_repeats=min(self.batch_repeats, rounds),
        )


FULL = Plan(
    name="full",
    bundled=Runs(most=20, least=20),
    large_items=300,
    large=Runs(most=20, least=5, budget_seconds=12.0),
    growth_sizes=(30, 300, 3000),
    biggest=Runs(most=3, least=1, budget_seconds=20.0, warmup=0),
    weasyprint_large=Runs(most=3, least=1, budget_seconds=20.0, warmup=0),
    process_repeats=15,
    process_warmup=1,
    library_episodes=1000,
    combined_episodes=1000,
    predictions_per_episode=100,
    combined_repeats=3,
    pandoc_batch=100,
    batch_repeats=3,
)

QUICK = Plan(
    name="quick",
    bundled=Runs(most=1, least=1),
    large_items=10,
    large=Runs(most=1, least=1),
    growth_sizes=(1, 10),
    biggest=Runs(most=1, least=1, warmup=0),
    weasyprint_large=Runs(most=1, least=1, warmup=0),
    process_repeats=1,
    process_warmup=0,
    library_episodes=3,
    combined_episodes=3,
    predictions_per_episode=20,
    combined_repeats=1,
    pandoc_batch=2,
    batch_repeats=1,
)


def briefing_command() -> list[str]:
    """The ``briefing`` console script beside this interpreter, as users run it."""
    script = Path(sys.executable).parent / "briefing"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "briefing"]
