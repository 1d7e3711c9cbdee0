"""Fixtures shared by every test module: the bundled episode, themes, labels."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from briefing.labels import CHINESE, ENGLISH, Labels
from briefing.model import Episode
from briefing.source import load_episode
from styles import Theme, load_theme

ROOT = Path(__file__).resolve().parent.parent
SEED_JSON = ROOT / "data" / "episodes" / "summoning-ghosts.json"
SEED_PAGE = Path(__file__).resolve().parent / "fixtures" / "summoning-ghosts.txt"

# The normal run draws the same examples every time (derandomize), so CI on a fresh clone
# sees exactly what passed here; the deep profile draws new ones on every run.
settings.register_profile(
    "default",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "deep", max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "explore", max_examples=100, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session", autouse=True)
def _font_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Parsed fonts are cached in a folder of the run's own, not in the user's home
    (the processes tests start inherit it)."""
    os.environ.setdefault("BRIEFING_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def seed_episode() -> Episode:
    return load_episode(SEED_JSON)


@pytest.fixture(scope="session")
def default_theme() -> Theme:
    return load_theme("default")


@pytest.fixture(scope="session")
def print_theme() -> Theme:
    return load_theme("print")


@pytest.fixture(scope="session")
def labels() -> Labels:
    return ENGLISH


@pytest.fixture(scope="session")
def zh_labels() -> Labels:
    return CHINESE
