"""The library's predictions laid over the rows of the tracker already there.

A prediction takes over an existing row (its ID and everything the team wrote) when
the two can be matched with certainty, tried in this order:

1. same episode, same statement (case and spacing aside) and same time;
2. same episode and statement, the time corrected: when exactly one row and one
   prediction of the episode are left with that statement;
3. same episode and time, the statement corrected: when exactly one row and one
   prediction are left at that moment.

Anything else is a new row (a fresh ID, Status ``open``); a row no prediction took
stays as it was, with In library ``no``. Nothing is ever deleted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace

from briefing.tracker.columns import NEW_STATUS, STATUS
from briefing.tracker.rows import Row, TeamCell, ToolValues, base_id, free_id, statement_key


@dataclass(frozen=True)
class Merged:
    rows: list[Row]
    new: int
    removed: int
    """Rows whose prediction is not in the library (this run or earlier)."""


Key = Callable[[ToolValues], Hashable]


def _exact(values: ToolValues) -> Hashable:
    return (values.episode, statement_key(values.statement), values.at)


def _same_statement(values: ToolValues) -> Hashable:
    return (values.episode, statement_key(values.statement))


def _same_moment(values: ToolValues) -> Hashable:
    return None if values.at is None else (values.episode, values.at)


def merge(existing: list[Row], library: list[ToolValues]) -> Merged:
    """``library`` in the fixed order of ``rows.library_values``; the result unsorted."""
    rows_left = list(existing)
    taken: dict[int, Row] = {}
    """Index in ``library`` -> the existing row it took over."""
    for key, only_unique in ((_exact, False), (_same_statement, True), (_same_moment, True)):
        _pair(key, only_unique, rows_left, library, taken)
    used_ids = {row.id for row in existing}
    rows = []
    new = 0
    for index, values in enumerate(library):
        if index in taken:
            rows.append(Row(taken[index].id, values, taken[index].team))
            continue
        row_id = free_id(base_id(values.episode, values.statement), used_ids)
        used_ids.add(row_id)
        rows.append(Row(row_id, values, {STATUS.header: TeamCell(NEW_STATUS, text=True)}))
        new += 1
    removed = [replace(row, tool=replace(row.tool, in_library=False)) for row in rows_left]
    return Merged(rows + removed, new, len(removed))


def _pair(
    key: Key,
    only_unique: bool,
    rows_left: list[Row],
    library: list[ToolValues],
    taken: dict[int, Row],
) -> None:
    """Match what is left by ``key``; with ``only_unique``, only keys that one row and
    one prediction share. Pairs in a group go in order (rows by ID, predictions in the
    library's order), so the result never depends on the order of the sheet."""
    rows_by_key: dict[Hashable, list[Row]] = defaultdict(list)
    for row in sorted(rows_left, key=lambda row: row.id):
        if (found := key(row.tool)) is not None:
            rows_by_key[found].append(row)
    predictions_by_key: dict[Hashable, list[int]] = defaultdict(list)
    for index, values in enumerate(library):
        if index not in taken and (found := key(values)) is not None:
            predictions_by_key[found].append(index)
    for found, indices in predictions_by_key.items():
        rows = rows_by_key.get(found, [])
        if not rows or (only_unique and (len(rows) > 1 or len(indices) > 1)):
            continue
        for row, index in zip(rows, indices, strict=False):
            taken[index] = row
            rows_left.remove(row)
