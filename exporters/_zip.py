"""Rewriting an OOXML package (.docx, .xlsx) so the same content gives the same bytes.

python-docx and openpyxl stamp every zip entry with the current time; this
copies the entries, in their order, with one fixed time and fixed attributes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime


def reproducible_zip(data: bytes, when: datetime) -> bytes:
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
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
