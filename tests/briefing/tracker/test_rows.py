"""Tracker rows from episodes: stable IDs and due dates from the model's derived values."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.model import Episode
from briefing.tracker.merge import merge
from briefing.tracker.rows import add_years, base_id, due_by, free_id, library_values
from tests.briefing.tracker.library import CHIPS, LATER, UNDATED, seed_data


def _episode(**changes: object) -> Episode:
    return Episode.model_validate(seed_data(**changes))


def _ids(*episodes: Episode) -> dict[tuple[str, str], str]:
    merged = merge([], library_values(episodes))
    return {(row.tool.episode, row.tool.statement): row.id for row in merged.rows}


def test_ids_depend_on_episode_and_statement_only() -> None:
    seed, chips, later = _episode(), _episode(**CHIPS), _episode(**LATER)
    alone = _ids(chips)
    together = _ids(later, seed, chips)
    reversed_order = _ids(chips, seed, later)
    assert together == reversed_order
    assert {key: together[key] for key in alone} == alone
    assert alone[("chips-and-power", "Chip supply will double.")] == base_id(
        "chips-and-power", "Chip supply will double."
    )
    assert len(set(together.values())) == len(together)


def test_an_id_ignores_case_and_spacing_but_not_words_or_episode() -> None:
    first = base_id("a", "Chip supply will double.")
    assert base_id("a", "chip  supply will\ndouble.") == first
    assert base_id("a", "Chip supply will triple.") != first
    assert base_id("b", "Chip supply will double.") != first
    assert first.startswith("P-") and len(first) == 14


def test_a_statement_said_twice_gets_a_suffix_in_time_order() -> None:
    twice = [
        {"at": "00:40", "horizon": "1 year", "statement": "Same words."},
        {"at": "00:10", "horizon": "1 year", "statement": "Same words."},
    ]
    merged = merge([], library_values([_episode(**{**CHIPS, "predictions": twice})]))
    by_time = {row.tool.at: row.id for row in merged.rows}
    assert by_time[10] == base_id("chips-and-power", "Same words.")
    assert by_time[40] == by_time[10] + "-2"
    assert free_id("P-1", {"P-1", "P-1-2"}) == "P-1-3"


def test_due_by_is_published_plus_the_models_years() -> None:
    rows = {v.statement: v for v in library_values([_episode(**CHIPS), _episode(**UNDATED)])}
    assert rows["Chip supply will double."].due == date(2023, 6, 15)
    assert rows["A new node ships."].due == date(2021, 12, 15)  # 6 months
    assert rows["Prices will fall by half."].due == date(2022, 6, 15)  # next year
    # "by 2030" is 9 years from 2021 in the model: the due date follows it.
    assert rows["=Fabs in every state"].years == 9
    assert rows["=Fabs in every state"].due == date(2030, 6, 15)
    assert rows["Robots in homes."].years == 5 and rows["Robots in homes."].due is None
    vague = library_values([_episode(published="2024-03-01")])
    assert {v.horizon: v.due for v in vague}["Near future"] is None


@pytest.mark.parametrize(
    ("start", "years", "due"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1 / 12, date(2024, 2, 29)),
        (date(2024, 3, 1), 1.5, date(2025, 9, 1)),
        (date(2024, 3, 1), 0.02, date(2024, 3, 8)),  # a week, as the model rounds it
        (date(2024, 3, 1), 0, date(2024, 3, 1)),
    ],
)
def test_add_years(start: date, years: float, due: date) -> None:
    assert add_years(start, years) == due


def test_no_due_date_without_both_parts_or_beyond_the_calendar() -> None:
    assert due_by(None, 10) is None
    assert due_by(date(2024, 1, 1), None) is None
    assert due_by(date(2024, 1, 1), 10_000) is None
