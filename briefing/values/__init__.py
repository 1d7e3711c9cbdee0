"""Parsers that turn the raw text of a value into what exporters need.

Each parser is a pure function of the text (and of the episode's language and the
words around the value), so the model keeps the raw string as the single stored
value and derives the rest on demand. A derived value is given only when it is
certain; otherwise it is None and the raw text says it all.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from briefing.values.horizon import Horizon, HorizonClass, classify_years
from briefing.values.horizon import parse_horizon as _parse_horizon
from briefing.values.reading import Reading, read, resolve
from briefing.values.text import format_timestamp, normalise_text, parse_timestamp

__all__ = [
    "PARSE_CACHE_SIZE",
    "Horizon",
    "HorizonClass",
    "Money",
    "Quantity",
    "Reading",
    "classify_years",
    "format_timestamp",
    "normalise_text",
    "parse_horizon",
    "parse_price",
    "parse_quantity",
    "parse_timestamp",
    "read_value",
]

# Derived values are read once per cell or line by every exporter; the parsers are pure,
# so a bounded cache spares re-parsing without growing with a library.
PARSE_CACHE_SIZE = 4096


@dataclass(frozen=True)
class Quantity:
    """A number (or a range's first end), its unit as written and the range's far end."""

    number: float | None
    unit: str | None
    high: float | None = None


@dataclass(frozen=True)
class Money:
    """An amount in an ISO 4217 currency; ``unit`` is what it is per (``/hour``)."""

    amount: float | None
    currency: str | None
    high: float | None = None
    unit: str | None = None


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def read_value(text: str, language: str = "en", evidence: str = "") -> Reading:
    """The certain reading of a value, its currency resolved by ``evidence``.

    ``evidence`` is the text around the value (the item, the context): it says
    which dollar ``$`` is and whether ``¥`` is the yen or the yuan.
    """
    return resolve(read(text, language), f"{text}\n{evidence}", language)


def parse_quantity(text: str, language: str = "en") -> Quantity:
    """``0.075 bits/token`` -> 0.075 bits/token; ``4-6 weeks`` -> 4 weeks (to 6).

    ``10^26 FLOPs`` reads as 1e26, scale words multiply (``2 million active users``
    -> 2e6 active users, ``2,5 Mrd.`` in German -> 2.5e9), a percentage has the unit
    ``%``. An amount of money is no quantity (see parse_price); whatever is not
    certain (a bound, a compound value, text before the number) gives None.
    """
    reading = read_value(text, language)
    if reading.money or reading.number is None:
        return Quantity(None, None)
    return Quantity(reading.number, reading.unit, reading.high)


def parse_price(text: str, language: str = "en", evidence: str = "") -> Money:
    """``$100`` -> 100 USD; ``≈ $1.5 trillion`` -> 1.5e12 USD; ``50万元`` -> 5e5 CNY.

    An amount needs a currency the value names and the evidence does not contradict;
    a percentage is never an amount.
    """
    reading = read_value(text, language, evidence)
    if reading.currency is None or reading.number is None:
        return Money(None, None)
    return Money(reading.number, reading.currency, reading.high, reading.unit)


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse_horizon(
    text: str | None, reference_year: int | None = None, language: str = "en"
) -> Horizon:
    return _parse_horizon(text, reference_year, language)


parse_horizon.__doc__ = _parse_horizon.__doc__
