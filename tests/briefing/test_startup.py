"""The CLI's process collects garbage slowly while it starts, and at its usual pace from
its second episode on; a program that never asked keeps its own pace."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing import startup


@pytest.fixture
def pace() -> Iterator[tuple[int, int, int]]:
    """The test's own threshold, restored afterwards, and the module's state reset."""
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*before)
    startup._usual = None
    startup._first = None


def test_slow_for_the_first_episode_and_usual_from_the_second(pace) -> None:
    startup.collect_slowly()
    assert gc.get_threshold() == (startup.START_THRESHOLD, 10, 10)
    startup.collect_slowly()  # twice is once: the usual pace is not forgotten
    first, second = Path("a.json"), Path("b.json")
    startup.rendering(first)
    startup.rendering(first)  # another format of the same episode, in a worker
    assert gc.get_threshold()[0] == startup.START_THRESHOLD
    startup.rendering(second)
    assert gc.get_threshold() == pace
    startup.rendering(Path("c.json"))
    assert gc.get_threshold() == pace


def test_a_program_that_never_asked_keeps_its_pace(pace) -> None:
    gc.set_threshold(1234, 5, 6)
    for name in ("a.json", "b.json", "c.json"):
        startup.rendering(Path(name))
    assert gc.get_threshold() == (1234, 5, 6)
