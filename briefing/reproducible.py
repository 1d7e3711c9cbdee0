"""The one date a document may carry, so that rebuilding gives identical bytes.

``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) wins when set;
otherwise the episode's publication date; otherwise 1980-01-01, the earliest
time a zip entry can hold. The wall clock is never used. The pipeline reads the
environment once and hands formats the resolved date (``RenderContext.date``).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, time

from briefing.model import Episode

FALLBACK = datetime(1980, 1, 1, tzinfo=UTC)


def source_date_epoch() -> datetime | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return max(datetime.fromtimestamp(int(value), tz=UTC), FALLBACK)
    except (ValueError, OverflowError, OSError):
        return None


def document_date(episode: Episode | None, fixed: datetime | None) -> datetime:
    """Creation and modification date for document metadata, in UTC: ``fixed`` (from
    ``SOURCE_DATE_EPOCH``) when given, else the episode's publication date, else 1980."""
    if fixed is not None:
        return fixed
    if episode is not None and episode.published is not None:
        return max(datetime.combine(episode.published, time(), tzinfo=UTC), FALLBACK)
    return FALLBACK
