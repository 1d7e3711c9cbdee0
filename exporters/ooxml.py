"""Rewriting an OOXML package (.docx, .xlsx) so the same content gives the same bytes.

python-docx and openpyxl stamp every zip entry with the current time; this
copies the entries, in their order, with one fixed time and fixed attributes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

_FIRST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_LAST_ZIP_TIME = (2107, 12, 31, 23, 59, 58)
"""A zip entry's time is an MS-DOS date: years 1980 to 2107, even seconds."""


def fixed_entry(name: str, when: datetime) -> zipfile.ZipInfo:
    """A deflated entry stamped ``when`` (held inside the range a zip can store)."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    entry = zipfile.ZipInfo(name, date_time=min(max(stamp, _FIRST_ZIP_TIME), _LAST_ZIP_TIME))
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    entry.create_system = 0
    return entry


def reproducible_zip(data: bytes, when: datetime) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target:
        for info in source.infolist():
            target.writestr(fixed_entry(info.filename, when), source.read(info.filename))
    return buffer.getvalue()
