"""The peer of the combined workbook: xlsxwriter in constant_memory mode writing the
prediction rows of a library, the same columns our Predictions sheet has.

Run as a whole process, like ``briefing export -f xlsx --combine``:

    python -m benchmarks.xlsxwriter_peer LIBRARY_FOLDER OUT.xlsx

It reads the same episode files with the standard ``json`` module (no model
validation) and derives times, segments and horizons with the project's own
value parsers, so both sides write the same cells. Strings are written with
``write_string``, so nothing can become a formula, as in ours. xlsxwriter has no
tables in constant_memory mode, so the sheet gets an autofilter instead.
"""

from __future__ import annotations

import bisect
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefing.labels import labels_for
from briefing.values import parse_horizon, parse_timestamp

COLUMNS = ("Episode", "Title", "Time", "Segment", "Horizon", "Years", "Class", "Statement")
SECONDS_PER_DAY = 86_400


def prediction_rows(folder: Path) -> Iterator[tuple[Any, ...]]:
    """One tuple per prediction, episodes in file-name order as the pipeline reads them."""
    # The combined workbook uses English labels unless --lang says otherwise.
    labels = labels_for("en")
    for path in sorted(folder.glob("*.json")):
        episode = json.loads(path.read_bytes())
        segments = episode.get("segments", [])
        starts = [parse_timestamp(segment["at"]) for segment in segments]
        published = episode.get("published")
        reference_year = int(published[:4]) if published else None
        for prediction in episode.get("predictions", []):
            at = parse_timestamp(prediction["at"])
            position = bisect.bisect_right(starts, at)
            segment = segments[position - 1]["title"] if position else ""
            horizon = parse_horizon(prediction.get("horizon"), reference_year)
            yield (
                episode["id"],
                episode["title"],
                at / SECONDS_PER_DAY,
                segment,
                prediction.get("horizon") or "",
                horizon.years,
                labels.horizon_name(horizon.horizon_class),
                prediction["statement"],
            )


def write_workbook(folder: Path, target: Path) -> int:
    """Write the rows; returns how many were written."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = workbook.add_worksheet("Predictions")
    header = workbook.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#0B3C5D"})
    duration = workbook.add_format({"num_format": "[h]:mm:ss"})
    years = workbook.add_format({"num_format": "0.##"})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    for column, name in enumerate(COLUMNS):
        sheet.write_string(0, column, name, header)
    row_number = 0
    for row_number, row in enumerate(prediction_rows(folder), start=1):
        episode_id, title, at, segment, horizon, horizon_years, horizon_class, statement = row
        sheet.write_string(row_number, 0, episode_id)
        sheet.write_string(row_number, 1, title)
        sheet.write_number(row_number, 2, at, duration)
        sheet.write_string(row_number, 3, segment)
        sheet.write_string(row_number, 4, horizon)
        if horizon_years is None:
            sheet.write_blank(row_number, 5, None, years)
        else:
            sheet.write_number(row_number, 5, horizon_years, years)
        sheet.write_string(row_number, 6, horizon_class)
        sheet.write_string(row_number, 7, statement, wrapped)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row_number, 1), len(COLUMNS) - 1)
    sheet.set_column(0, 1, 24)
    sheet.set_column(7, 7, 80)
    workbook.close()
    return row_number


def main(arguments: list[str]) -> int:
    if len(arguments) != 2:
        print(
            "usage: python -m benchmarks.xlsxwriter_peer LIBRARY_FOLDER OUT.xlsx", file=sys.stderr
        )
        return 2
    rows = write_workbook(Path(arguments[0]), Path(arguments[1]))
    print(f"{rows} prediction rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
