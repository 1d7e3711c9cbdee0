"""Text as the model stores it, and the times of the source pages."""

from __future__ import annotations

import re
import unicodedata

# XML 1.0 forbids these; every office format and reportlab's parser trips on them.
# Noncharacters U+nFFFE/U+nFFFF in the supplementary planes are just as illegal.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
    + "]"
)


# Every mandatory line break of Unicode (UAX #14): CR LF, CR, VT, FF, NEL, U+2028, U+2029.
# Left alone, VT, FF and NEL would be removed below (gluing two lines' words together)
# and U+2028/U+2029 would reach exporters that draw nothing for them.
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def normalise_text(value: str) -> str:
    """NFC, line breaks as ``\\n``, characters XML forbids removed, outer whitespace trimmed."""
    if value.isprintable():
        # Every character both patterns look for is a control (Cc), a surrogate (Cs), a
        # noncharacter (Cn) or a line or paragraph separator (Zl, Zp), none of them
        # printable: one pass in C settles the common case, without two regex scans.
        return unicodedata.normalize("NFC", value).strip()
    value = _LINE_BREAK.sub("\n", value)
    value = _FORBIDDEN.sub("", value)
    return unicodedata.normalize("NFC", value).strip()


_TIMESTAMP = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})$")


def parse_timestamp(text: str) -> int:
    """``MM:SS`` or ``H:MM:SS`` to seconds; minutes and seconds must be below 60."""
    match = _TIMESTAMP.match(text.strip())
    if not match:
        raise ValueError(f"expected a time as MM:SS or H:MM:SS, got {text!r}")
    hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
    if minutes > 59 or seconds > 59:
        raise ValueError(f"minutes and seconds must be below 60 in {text!r}")
    return hours * 3600 + minutes * 60 + seconds


def format_timestamp(seconds: int) -> str:
    """Seconds as the canonical ``MM:SS`` or ``HH:MM:SS`` of the source pages."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"
