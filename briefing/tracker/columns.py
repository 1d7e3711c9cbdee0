"""The Tracker sheet's columns: their headers (fixed English identifiers, so that a
team's formulas and filters keep working from one run to the next), their kinds and
who owns them.

The tool owns the columns it derives from the library and rewrites them on every run;
the team owns Status, Resolved on and Notes, and any column it adds to the right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["text", "label", "date", "time", "number"]

SHEET = "Tracker"
TABLE = "Tracker"
SUMMARY_SHEET = "Summary"

STATUSES = ("open", "came true", "partly", "did not", "withdrawn", "unclear")
"""The Status dropdown, in its order; new rows start with the first."""
NEW_STATUS = STATUSES[0]
CLASSES = ("near", "medium", "long", "unspecified")
IN_LIBRARY, NOT_IN_LIBRARY = "yes", "no"


@dataclass(frozen=True)
class Column:
    header: str
    kind: ColumnKind
    cap: float
    """Widest the column grows to fit its content, in Excel's character units."""
    least: float = 0.0
    """Narrowest it gets: room to type in, for the team's columns."""


# Tool-owned, in sheet order.
ID = Column("ID", "label", 18.0)
EPISODE = Column("Episode", "label", 24.0)
TITLE = Column("Title", "text", 28.0)
PUBLISHED = Column("Published", "date", 12.0)
TIME = Column("Time", "time", 10.0)
SEGMENT = Column("Segment", "label", 24.0)
STATEMENT = Column("Statement", "text", 48.0)
HORIZON = Column("Horizon", "label", 16.0)
YEARS = Column("Years", "number", 10.0)
CLASS = Column("Class", "label", 13.0)
DUE_BY = Column("Due by", "date", 12.0)
IN_LIBRARY_COLUMN = Column("In library", "label", 11.0)
# Team-owned, after the tool's.
STATUS = Column("Status", "label", 13.0, least=12.0)
RESOLVED_ON = Column("Resolved on", "date", 13.0, least=13.0)
NOTES = Column("Notes", "text", 40.0, least=30.0)

TOOL_COLUMNS = (
    ID,
    EPISODE,
    TITLE,
    PUBLISHED,
    TIME,
    SEGMENT,
    STATEMENT,
    HORIZON,
    YEARS,
    CLASS,
    DUE_BY,
    IN_LIBRARY_COLUMN,
)
TEAM_COLUMNS = (STATUS, RESOLVED_ON, NOTES)
COLUMNS = TOOL_COLUMNS + TEAM_COLUMNS
TOOL_HEADERS = frozenset(column.header for column in TOOL_COLUMNS)
TEAM_HEADERS = tuple(column.header for column in TEAM_COLUMNS)
KNOWN_HEADERS = frozenset(column.header for column in COLUMNS)
ADDED_CAP = 40.0
"""Widest a column the team added grows when the workbook gave it no width."""


def position(column: Column) -> int:
    """The column's number in the sheet, from 1."""
    return COLUMNS.index(column) + 1
