"""Digits as the episode's locale writes them, and numbers written in Chinese characters.

The decimal mark and the group separator come from CLDR through Babel
(``babel.numbers.parse_decimal`` with ``strict=True``, which refuses ``1,5`` in
English and ``1.5`` in German rather than guessing). One case stays blank on top of
what Babel refuses: a single separator followed by exactly three digits that the
locale reads as a decimal mark (``1.000`` in English, ``2,500`` in German), because
the same characters are a thousand in the other convention.
"""

from __future__ import annotations

import decimal
import functools
import math

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

from briefing.values.words import CJK_DIGITS

MAX_DIGITS = 40
"""A longer run of digits is no measurement anyone states; it stays blank (and cheap)."""
MAX_EXPONENT = 300
_SPACES = "\u00a0\u202f\u2009 "
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


@functools.lru_cache(maxsize=64)
def locale_of(language: str) -> Locale:
    """Babel's locale for a BCP-47 tag; English rules when CLDR has no such locale."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


@functools.lru_cache(maxsize=64)
def symbols(language: str) -> tuple[str, str]:
    """The locale's (decimal mark, group separator)."""
    locale = locale_of(language)
    return get_decimal_symbol(locale), get_group_symbol(locale)


def spaces_group(language: str) -> bool:
    """Whether the locale groups digits with a space (French: ``1 234,5``)."""
    return symbols(language)[1] in _SPACES


def as_number(value: float) -> float:
    """An integral float as an int (1e6 prints as 1000000, not 1000000.0)."""
    value = float(value)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


@functools.lru_cache(maxsize=4096)
def read_digits(text: str, language: str) -> float | None:
    """A run of digits and separators as the locale reads it, or None when unsure."""
    if sum(char.isdigit() for char in text) > MAX_DIGITS:
        return None
    if len(text) > 1 and text[0] == "0" and text[1].isdigit():
        # 00123 is a code (a postcode, an id), not the number 123.
        return None
    if text.isdigit():
        return int(text)
    mark, group = symbols(language)
    # Thin and no-break spaces between groups are groups in every locale (SI style);
    # a plain space is one only where the locale groups with spaces (the tokenizer
    # keeps it in the number only then).
    if group in _SPACES:
        text = "".join(group if char in _SPACES else char for char in text)
    elif any(char in _SPACES for char in text):
        if "." in text or "," in text:
            return None
        text = "".join(group if char in _SPACES else char for char in text)
    separators = [char for char in text if not char.isdigit()]
    if any(char not in (mark, group) for char in separators):
        # 1.000 in French is neither 1 nor 1000 to every reader; Babel would guess.
        return None
    if len(separators) == 1 and separators[0] == mark:
        whole, _, fraction = text.partition(mark)
        if len(fraction) == 3 and whole.lstrip("0") and len(whole) <= 3:
            return None
    try:
        number = parse_decimal(text, locale=locale_of(language), strict=True)
    except (NumberFormatError, decimal.InvalidOperation, ValueError):
        return None
    value = float(number)
    return as_number(value) if math.isfinite(value) else None


def power(base: float, exponent_text: str) -> float | None:
    """``base`` to the power written (``10^26``, ``10²⁶``), or None beyond a float."""
    exponent_text = exponent_text.translate(_SUPERSCRIPTS)
    try:
        exponent = int(exponent_text)
    except ValueError:
        return None
    if abs(exponent) > MAX_EXPONENT:
        return None
    try:
        value = float(base) ** exponent
    except (OverflowError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) and value != 0 else None


def superscript(text: str) -> bool:
    return bool(text) and all(char in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻" for char in text)


_CJK_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CJK_NUMERALS = frozenset(CJK_DIGITS) | frozenset(_CJK_UNITS)


def read_cjk(chars: str) -> int | None:
    """Chinese numerals below ten thousand (``三百五十`` -> 350, ``十二`` -> 12).

    万 and 亿 are scales, read after this like any scale word. A numeral that is
    not well formed (``五五``, a unit twice) gives None.
    """
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for char in chars:
        if char in CJK_DIGITS:
            if digit is not None:
                return None
            digit = CJK_DIGITS[char]
        else:
            unit = _CJK_UNITS[char]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)
