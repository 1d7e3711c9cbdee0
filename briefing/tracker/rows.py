"""Tracker rows from episodes: what the tool writes for each prediction, its stable ID
and its due date. Pure: no openpyxl, no files.

An ID is ``P-`` and twelve hex digits of a SHA-256 of the episode's id and the
prediction's statement (case and runs of whitespace ignored), so it is the same in
every run whatever the order of the inputs or the other episodes in them. The same
statement said twice in one episode gets ``-2``, ``-3``, ... in order of time.
"""

from __future__ import annotations

import calendar
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from briefing.model import Episode, Prediction

ID_PREFIX = "P-"
ID_DIGITS = 12
"""48 bits: for 100,000 predictions of one episode the chance of two sharing an ID is
about 2 in 100,000, and a clash is still told apart by the ``-2`` suffix."""
_DAYS_PER_YEAR = 365.25
_MONTH_TOLERANCE = 0.05


@dataclass(frozen=True)
class TeamCell:
    """One value the team wrote, as read from the workbook, written back as it was."""

    value: object
    text: bool = False
    """Stored as text (kept text even when it starts like a formula)."""
    number_format: str = "General"


@dataclass(frozen=True)
class ToolValues:
    """The tool's columns of one row."""

    episode: str
    statement: str
    title: str | None = None
    published: date | None = None
    at: int | None = None
    segment: str | None = None
    horizon: str | None = None
    years: float | None = None
    horizon_class: str | None = None
    due: date | None = None
    in_library: bool = True


@dataclass(frozen=True)
class Row:
    id: str
    tool: ToolValues
    team: Mapping[str, TeamCell] = field(default_factory=dict)
    """By header: Status, Resolved on, Notes and the columns the team added."""


def statement_key(statement: str) -> str:
    """What must stay the same for a statement to count as unchanged."""
    return " ".join(statement.split()).casefold()


def base_id(episode_id: str, statement: str) -> str:
    digest = hashlib.sha256(f"{episode_id}\n{statement_key(statement)}".encode()).hexdigest()
    return ID_PREFIX + digest[:ID_DIGITS]


def free_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``, ... : the first one not taken."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def add_years(start: date, years: float) -> date:
    """``start`` plus a horizon in years: whole months on the calendar (a year is twelve,
    the 29th of February becomes the 28th), anything finer as days."""
    months = years * 12
    if abs(months - round(months)) <= _MONTH_TOLERANCE:
        total = start.month - 1 + round(months)
        year, month = start.year + total // 12, total % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return date(year, month, day)
    return start + timedelta(days=round(years * _DAYS_PER_YEAR))


def due_by(published: date | None, years: float | None) -> date | None:
    """Published plus the horizon, from the model's derived years; None without either
    (never guessed), or when the date would be past what a calendar holds."""
    if published is None or years is None or not math.isfinite(years):
        return None
    try:
        return add_years(published, years)
    except (OverflowError, ValueError):
        return None


def tool_values(episode: Episode, prediction: Prediction) -> ToolValues:
    years = prediction.horizon_years
    return ToolValues(
        episode=episode.id,
        statement=prediction.statement,
        title=episode.title,
        published=episode.published,
        at=prediction.at,
        segment=prediction.segment.title if prediction.segment else None,
        horizon=prediction.horizon,
        years=years,
        horizon_class=prediction.horizon_class,
        due=due_by(episode.published, years),
    )


def library_values(episodes: Iterable[Episode]) -> list[ToolValues]:
    """Every prediction of the library, in a fixed order (episode, time, statement), so
    that the suffixes of repeated statements never depend on the order of the inputs."""
    values = [tool_values(episode, p) for episode in episodes for p in episode.predictions]
    return sorted(values, key=lambda v: (v.episode, v.at or 0, v.statement))


def sort_key(row: Row) -> tuple[object, ...]:
    """Due date (rows without one last), then episode, then time, then ID."""
    tool = row.tool
    return (
        tool.due is None,
        tool.due or date.min,
        tool.episode,
        tool.at is None,
        tool.at or 0,
        row.id,
    )
