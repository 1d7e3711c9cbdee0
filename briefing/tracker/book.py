"""The tracker workbook as bytes: the Tracker sheet, the Summary, fixed properties, and a
zip whose every entry carries one fixed time, so the same rows give the same bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

from openpyxl.packaging.core import DocumentProperties
from openpyxl.workbook import Workbook
from openpyxl.worksheet.table import TABLESTYLES
from openpyxl.writer.excel import ExcelWriter

from briefing.tracker.columns import SHEET, SUMMARY_SHEET
from briefing.tracker.rows import Row, sort_key
from briefing.tracker.summary import Summary
from briefing.tracker.writing import AddedColumn, TrackerSheet
from styles import Theme

_FIRST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_LAST_ZIP_TIME = (2107, 12, 31, 23, 59, 58)


def render_tracker(
    rows: Sequence[Row],
    added: Sequence[AddedColumn],
    theme: Theme,
    when: datetime,
    generator: str,
) -> bytes:
    """The workbook of ``rows`` (in any order: they are written in the fixed one)."""
    if theme.tables.xlsx_style not in TABLESTYLES:
        raise ValueError(f"theme {theme.name!r}: unknown table style {theme.tables.xlsx_style!r}")
    ordered = sorted(rows, key=sort_key)
    book = Workbook()
    tracker = book.active
    tracker.title = SHEET
    TrackerSheet(tracker, theme, added).write(ordered)
    Summary(book.create_sheet(SUMMARY_SHEET), theme, last_row=max(len(ordered) + 1, 2)).write(
        ordered
    )
    naive = when.replace(tzinfo=None)
    book.properties = DocumentProperties(
        title="Prediction tracker", creator=generator, created=naive, modified=naive
    )
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the modified date with the clock.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return _fixed_times(buffer.getvalue(), when)


def _fixed_times(data: bytes, when: datetime) -> bytes:
    """The same entries, in their order, each stamped ``when`` with fixed attributes."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    stamp = min(max(stamp, _FIRST_ZIP_TIME), _LAST_ZIP_TIME)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()
