"""The one date a document may carry, so that rebuilding gives identical bytes.

``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) wins when set;
otherwise the episode's publication date; otherwise 1980-01-01, the earliest
time a zip entry can hold. The wall clock is never used. The pipeline reads the
environment once and hands formats the resolved date (``RenderContext.date``).

A value that is set but is not whole seconds since 1970 (as ``date +%s`` prints
them) is an error, not a reason to fall back silently: the convention says a
malformed value must stop the build, and a typo would otherwise give documents a
date nobody asked for. Set and empty counts as unset (CI templates often leave it so).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, time

from briefing.model import Episode
from briefing.quoting import shown

FALLBACK = datetime(1980, 1, 1, tzinfo=UTC)
VARIABLE = "SOURCE_DATE_EPOCH"
_SECONDS = re.compile(r"-?[0-9]+")


class InvalidSourceDateEpoch(ValueError):
    """``SOURCE_DATE_EPOCH`` is set to something that is not a time; the message is one
    line naming the variable and its value."""


def parse_source_date_epoch(value: str) -> datetime | None:
    stripped = value.strip()
    if not stripped:
        return None
    if not _SECONDS.fullmatch(stripped):
        raise InvalidSourceDateEpoch(
            f"{VARIABLE}: expected whole seconds since 1970-01-01 UTC, as `date +%s` "
            f"prints them, got {shown(value)}"
        )
    try:
        moment = datetime.fromtimestamp(int(stripped), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise InvalidSourceDateEpoch(
            f"{VARIABLE}: {shown(stripped)} seconds is past the year 9999"
        ) from None
    return max(moment, FALLBACK)


def source_date_epoch() -> datetime | None:
    """The date ``SOURCE_DATE_EPOCH`` sets, None when it is unset or empty; raises
    InvalidSourceDateEpoch for any other value."""
    return parse_source_date_epoch(os.environ.get(VARIABLE, ""))


def document_date(episode: Episode | None, fixed: datetime | None) -> datetime:
    """Creation and modification date for document metadata, in UTC: ``fixed`` (from
    ``SOURCE_DATE_EPOCH``) when given, else the episode's publication date, else 1980."""
    if fixed is not None:
        return fixed
    if episode is not None and episode.published is not None:
        return max(datetime.combine(episode.published, time(), tzinfo=UTC), FALLBACK)
    return FALLBACK
