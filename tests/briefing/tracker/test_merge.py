"""The library laid over the tracker already there: which rows a prediction takes over."""

from __future__ import annotations

from dataclasses import replace

from briefing.tracker.merge import merge
from briefing.tracker.rows import Row, TeamCell, ToolValues, base_id

NOTE = {"Status": TeamCell("came true", text=True), "Owner": TeamCell("Ana", text=True)}


def _values(statement: str, at: int, episode: str = "ep") -> ToolValues:
    return ToolValues(episode=episode, statement=statement, at=at)


def _row(statement: str, at: int, episode: str = "ep") -> Row:
    return Row(base_id(episode, statement), _values(statement, at, episode), NOTE)


def test_an_unchanged_prediction_keeps_its_row() -> None:
    old = _row("Chips double.", 10)
    merged = merge([old], [_values("Chips double.", 10)])
    (row,) = merged.rows
    assert row.id == old.id and row.team == NOTE and row.tool.in_library
    assert (merged.new, merged.removed) == (0, 0)


def test_a_corrected_statement_at_the_same_time_keeps_row_and_id() -> None:
    old = _row("Chips dobule.", 10)
    (row,) = merge([old], [_values("Chips double.", 10)]).rows
    assert row.id == old.id and row.team == NOTE
    assert row.tool.statement == "Chips double."


def test_a_corrected_time_with_the_same_statement_keeps_the_row() -> None:
    old = _row("Chips double.", 10)
    (row,) = merge([old], [_values("chips  double.", 75)]).rows
    assert row.id == old.id and row.tool.at == 75


def test_what_cannot_be_matched_with_certainty_is_a_new_row() -> None:
    old = _row("Chips dobule.", 10)
    merged = merge([old], [_values("Chips double.", 10), _values("Power doubles.", 10)])
    assert (merged.new, merged.removed) == (2, 1)
    kept = [row for row in merged.rows if not row.tool.in_library]
    assert kept == [replace(old, tool=replace(old.tool, in_library=False))]
    for row in merged.rows:
        if row.tool.in_library:
            assert row.team == {"Status": TeamCell("open", text=True)}
            assert row.id == base_id("ep", row.tool.statement)


def test_same_statement_twice_keeps_each_row_by_time_when_one_goes() -> None:
    first, second = _row("Same.", 10), Row(base_id("ep", "Same.") + "-2", _values("Same.", 40))
    merged = merge([first, second], [_values("Same.", 40)])
    by_id = {row.id: row for row in merged.rows}
    assert by_id[second.id].tool.in_library and not by_id[first.id].tool.in_library


def test_a_removed_prediction_that_returns_gets_its_row_back() -> None:
    gone = _row("Chips double.", 10)
    gone = replace(gone, tool=replace(gone.tool, in_library=False))
    (row,) = merge([gone], [_values("Chips double.", 10)]).rows
    assert row.id == gone.id and row.tool.in_library and row.team == NOTE


def test_other_episodes_never_match() -> None:
    old = _row("Chips double.", 10, episode="a")
    merged = merge([old], [_values("Chips double.", 10, episode="b")])
    assert (merged.new, merged.removed) == (1, 1)
