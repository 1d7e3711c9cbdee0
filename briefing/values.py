"""Parsers that turn the raw text of a value into what exporters need.

Each parser is a pure function of the text, so the model can keep the raw
string as the single stored value and derive the rest on demand.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

# Derived values are read once per cell or line by every exporter; the parsers are pure,
# so a bounded cache spares re-parsing without growing with a library.
PARSE_CACHE_SIZE = 4096

HorizonClass = Literal["near", "medium", "long", "unspecified"]

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


_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
    "trillions": 1e12,
}
_APPROX = (
    r"(?:about|around|roughly|approximately|approx\.?|nearly|almost|over|under|up to"
    r"|~|≈|<|>|≤|≥)?\s*"
)
_NUMBER = r"(?P<sign>[-+−])?(?P<digits>\d+(?:[,\u202f\u00a0 ]\d{3})*(?:\.\d+)?|\.\d+)"
_POWER = r"(?:\s*(?:\^|\*\*)\s*(?P<power>[-+]?\d+)|e(?P<exp>[-+]?\d+))?"
_SCALE = r"(?:\s*(?P<scale>thousand|millions?|billions?|trillions?|mn|bn|tn|[kmbt])\b)?"
_NUMBER_AT_START = re.compile(rf"^{_APPROX}{_NUMBER}{_POWER}{_SCALE}", re.IGNORECASE)


def _to_number(match: re.Match[str]) -> float | None:
    """The number of a match, or None when it is beyond what a float can hold."""
    digits = re.sub(r"[,\u202f\u00a0 ]", "", match["digits"])
    number = float(digits)
    try:
        # Float powers only: ``10 ** int("99999999")`` would build a huge integer (a hang).
        if match["power"] is not None:
            number = number ** int(match["power"])
        elif match["exp"] is not None:
            number = number * 10.0 ** int(match["exp"])
    except (OverflowError, ZeroDivisionError, ValueError):
        # ``10^999``, ``0^-1``, or an exponent too long for int(): no usable number.
        return None
    if match["scale"]:
        number *= _SCALES[match["scale"].lower()]
    if not math.isfinite(number):
        return None
    if match["sign"] in ("-", "−"):
        number = -number
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


@dataclass(frozen=True)
class Quantity:
    """A number read from the front of a value, and the unit right after it."""

    number: float | None
    unit: str | None


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse_quantity(text: str) -> Quantity:
    """``0.075 bits/token`` -> 0.075 bits/token; ``320 kB (2.56 million bits)`` -> 320 kB.

    ``10^26 FLOPs`` reads as 1e26, scale words multiply (``1.5 trillion`` -> 1.5e12),
    and a range such as ``-80% to -90%`` gives its first number. Text without a
    leading number gives no number and no unit: the raw value still says it all.
    """
    match = _NUMBER_AT_START.match(text.strip())
    number = _to_number(match) if match else None
    if match is None or number is None:
        return Quantity(None, None)
    rest = text.strip()[match.end() :]
    unit_match = re.match(r"\s*([^\s(),;]+)", rest)
    unit = unit_match.group(1) if unit_match else None
    if unit in ("to", "-", "–", "—", "or", "and"):
        unit = None
    return Quantity(number, unit)


_CURRENCY_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "CN¥": "CNY",
    "元": "CNY",
    "₽": "RUB",
    "₿": "BTC",
}
_SYMBOL_PATTERN = "|".join(re.escape(s) for s in sorted(_CURRENCY_SYMBOLS, key=len, reverse=True))
_PRICE = re.compile(
    rf"^{_APPROX}(?:(?P<symbol>{_SYMBOL_PATTERN})|(?P<code>[A-Z]{{3}})\s*)?\s*"
    rf"{_NUMBER}{_POWER}{_SCALE}(?:\s*(?P<code_after>[A-Z]{{3}})\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    amount: float | None
    currency: str | None


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse_price(text: str) -> Money:
    """``$100`` -> 100 USD; ``≈ $1.5 trillion`` -> 1.5e12 USD; ``EUR 20`` and ``20 EUR`` too."""
    match = _PRICE.match(text.strip())
    if not match:
        return Money(None, None)
    if match["symbol"]:
        currency: str | None = _CURRENCY_SYMBOLS[match["symbol"].upper()]
    else:
        code = match["code"] or match["code_after"]
        currency = code.upper() if code else None
    return Money(_to_number(match), currency)


@dataclass(frozen=True)
class Horizon:
    years: float | None
    horizon_class: HorizonClass


NEAR_MAX_YEARS = 2
MEDIUM_MAX_YEARS = 5
_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twenty": 20,
    "thirty": 30,
    "fifty": 50,
    "hundred": 100,
}
_UNIT_YEARS = {"year": 1.0, "decade": 10.0, "month": 1 / 12, "week": 1 / 52, "century": 100.0}
_SPAN = re.compile(
    # Linear on any text: a match never starts inside a run of digits, letters or spaces
    # (trying every position of a long run is quadratic, a hang on a long horizon), and
    # the spaces are taken possessively (no backtracking between the two runs of them).
    r"(?!(?<=\s)\s)(?P<low>(?<![\d.])\d+(?:\.\d+)?|(?<![a-z])[a-z]+)?\s*+"
    r"(?:(?:-|–|—|to)\s*+(?P<high>\d+(?:\.\d+)?|[a-z]+))?\s*+"
    r"(?P<unit>year|decade|month|week|centur)(?:y|ies|s)?\b"
)
_BY_YEAR = re.compile(r"\b(?:by|in|until|before|around)\s+(?P<year>(?:19|20|21)\d{2})\b")
_NEXT = re.compile(r"\bnext\s+(?P<unit>year|decade|month|week|century)\b")
_CLASS_WORDS: tuple[tuple[HorizonClass, tuple[str, ...]], ...] = (
    ("near", ("near", "short", "soon", "imminent", "immediate", "this year", "now")),
    ("medium", ("medium", "mid-term", "mid term", "midterm", "few years", "several years")),
    ("long", ("long", "eventual", "decades", "far future", "distant", "lifetime")),
)


def classify_years(years: float) -> HorizonClass:
    """Near: up to 2 years; medium: up to 5; long: beyond."""
    if years <= NEAR_MAX_YEARS:
        return "near"
    if years <= MEDIUM_MAX_YEARS:
        return "medium"
    return "long"


def _word_number(token: str | None) -> float | None:
    if token is None:
        return None
    if token[0].isdigit():
        return float(token)
    return _WORDS.get(token)


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse_horizon(text: str | None, reference_year: int | None = None) -> Horizon:
    """Years and class of a prediction horizon.

    ``10 years`` -> 10, long; ``Near future`` -> none, near; ``5-10 years`` -> 10
    (a range gives its far end: the latest the speaker expects it); ``next year``
    -> 1; ``about a decade`` -> 10; ``by 2030`` -> years from ``reference_year``
    (the episode's publication year) when it is known, otherwise unspecified.
    """
    if not text:
        return Horizon(None, "unspecified")
    lowered = text.lower()
    years: float | None = None
    if match := _NEXT.search(lowered):
        years = _UNIT_YEARS[match["unit"]]
    elif match := _SPAN.search(lowered):
        unit = match["unit"]
        per_unit = _UNIT_YEARS["century" if unit == "centur" else unit]
        count = _word_number(match["high"]) or _word_number(match["low"])
        if count is not None:
            years = count * per_unit
    elif (match := _BY_YEAR.search(lowered)) and reference_year is not None:
        years = max(int(match["year"]) - reference_year, 0)
    if years is not None:
        years = int(years) if float(years).is_integer() else round(years, 2)
        return Horizon(years, classify_years(years))
    for horizon_class, words in _CLASS_WORDS:
        if any(word in lowered for word in words):
            return Horizon(None, horizon_class)
    return Horizon(None, "unspecified")
