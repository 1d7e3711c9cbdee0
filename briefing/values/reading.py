"""A value's text -> its number (or range), unit and currency, or nothing when unsure.

The reading is a small grammar over the value's tokens, left to right:

    [approximation] [sign] [currency] number [scale] [range] [currency | % | unit] [rate]

Whatever does not fit leaves the value blank: a bound (``over 100``, ``100B+``),
text before the number, a second number after it (``20B dense / 100B+ sparse``;
a number in parentheses is a restatement and does not count), a unit of more than
a few words. Each step looks at a token a bounded number of times, so reading is
linear in the length of the text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from briefing.values import currencies as money
from briefing.values import words as w
from briefing.values.numbers import (
    CJK_NUMERALS,
    as_number,
    power,
    read_cjk,
    read_digits,
    spaces_group,
    superscript,
)
from briefing.values.suffixes import Cursor
from briefing.values.tokens import MAX_VALUE_CHARS, fold, tokenize

MAX_PREFIX_TOKENS = 6
_BOUND_SIGNS = frozenset({"<", ">", "≤", "≥", "≲", "≳", "±", "≪", "≫"})


@dataclass(frozen=True)
class Reading:
    number: float | None = None
    """The number, or the range's first end; an amount when ``currency`` is set."""
    high: float | None = None
    """The range's second end (``4-6 weeks``: 6), else None."""
    unit: str | None = None
    """The unit as written (``active users``, ``bits/token``, ``%``), or a price's rate."""
    currency: str | None = None
    """ISO 4217 code, or a marker of currencies.py still to be resolved by evidence."""
    money: bool = False
    """Whether a currency was written at all (then the number is never a plain quantity)."""


BLANK = Reading()


@dataclass
class _Amount:
    number: float
    scale: float | None
    """The scale word's factor (``million``: 1e6), None when the number had none."""


class _Reader(Cursor):
    def __init__(self, text: str, language: str) -> None:
        self.text = fold(text)
        self.language = w.language_of(language)
        self.tag = language
        self.tokens = tokenize(self.text, spaces_group(language))
        self.pos = 0
        self.money_before = False
        """Whether a currency came before the number ($5m is five million, 5m a length)."""

    # -- looking at tokens ----------------------------------------------------------
    def read(self) -> Reading:
        currency, sign = self.prefix()
        if sign == "bound":
            return BLANK
        low = self.amount()
        if low is None:
            return BLANK
        low_currency = self.currency_after() if currency is None else None
        percent = currency is None and low_currency is None and self.percent()
        high: _Amount | None = None
        if self.range_connector():
            saved = self.pos
            self.pos += 1
            again = self.currency_before()
            if again is not None and again != (currency or low_currency):
                return BLANK
            high_sign = self.sign()
            high = self.amount()
            if high is None:
                self.pos = saved
            else:
                if high_sign == "-":
                    high.number = -high.number
                high_currency = self.currency_after() if currency is None else None
                high_percent = high_currency is None and currency is None and self.percent()
                if (low_currency and high_currency and low_currency != high_currency) or (
                    percent and not high_percent
                ):
                    return BLANK
                low_currency = low_currency or high_currency
                percent = percent or high_percent
                if high.scale is not None and low.scale is None:
                    # 1-2 million, $5-10M: the scale after the range is both ends'.
                    low.number *= high.scale
        if sign == "-":
            low.number = -low.number
        if self.bound_after():
            return BLANK
        currency = currency or low_currency
        if high is not None and not _ordered(low.number, high.number):
            return BLANK
        following = self.peek()
        if (
            currency is not None
            and following is not None
            and following.kind == "word"
            and not following.spaced
        ):
            # $5bil, $5mm: letters stuck to an amount are a scale we do not know.
            return BLANK
        if percent:
            unit: str | None = "%"
            rate = self.rate()
            if rate:
                unit = f"% {rate}" if not rate.startswith("/") else f"%{rate}"
        elif currency is not None:
            unit = self.rate() or None
        else:
            unit = self.unit()
        if unit == "" or self.bound_after() or self.stray_after() or self.more_numbers():
            return BLANK
        if not all(math.isfinite(n) for n in (low.number, high.number if high else 0)):
            return BLANK
        return Reading(
            as_number(low.number),
            None if high is None else as_number(high.number),
            unit,
            currency,
            currency is not None,
        )

    def at_end(self) -> bool:
        return self.peek() is None

    def prefix(self) -> tuple[str | None, str | None]:
        """Approximations, a sign and a currency before the number; ``bound`` when one is."""
        currency: str | None = None
        sign: str | None = None
        for _ in range(MAX_PREFIX_TOKENS):
            token = self.peek()
            if token is None:
                return currency, "bound"
            lowered = token.lower
            following = self.peek(1)
            if (
                self.language == "en"
                and lowered in ("up", "down")
                and sign is None
                and following is not None
                and (following.kind == "num" or following.text in money.SYMBOLS)
            ):
                # A change: up 20% is +20 %, down $5 is -5 USD (up to 20% stays a bound).
                sign = "+" if lowered == "up" else "-"
                self.pos += 1
            elif token.kind == "word" and lowered in w.APPROXIMATELY.get(self.language, ()):
                self.pos += 2 if self.is_text(1, ".") else 1
            elif token.kind == "word" and lowered in w.BOUNDS.get(self.language, ()):
                return currency, "bound"
            elif token.kind == "word" and (
                lowered,
                (self.peek(1) or token).lower,
            ) in w.APPROXIMATELY_TWO.get(self.language, ()):
                self.pos += 2
            elif token.text in w.APPROXIMATELY_SIGNS:
                self.pos += 1
            elif token.text in _BOUND_SIGNS or (
                token.kind == "cjk" and self._cjk_word(w.BOUNDS_CJK)
            ):
                return currency, "bound"
            elif token.kind == "cjk" and (run := self._cjk_word(w.APPROXIMATELY_CJK)):
                self.pos += len(run)
            elif token.text in ("+", "-", "−", "‐", "–") and sign is None:
                sign = "-" if token.text != "+" else "+"
                self.pos += 1
            elif currency is None and (found := self.currency_before()) is not None:
                currency = found
                self.money_before = True
            else:
                return currency, sign
        return currency, "bound"

    def _cjk_word(self, options: tuple[str, ...]) -> str | None:
        run = self.cjk_run(0, 4)
        return next((word for word in options if run.startswith(word)), None)

    def sign(self) -> str | None:
        if self.is_text(0, "-", "−", "+"):
            sign = "+" if self.is_text(0, "+") else "-"
            self.pos += 1
            return sign
        return None

    def currency_before(self) -> str | None:
        """``$``, ``US$``, ``€``, ``EUR`` or ``CN¥`` in front of the number."""
        token = self.peek()
        if token is None:
            return None
        following = self.peek(1)
        if token.kind == "word" and following is not None and not following.spaced:
            marker = money.SYMBOLS.get(following.text)
            prefixes = money.DOLLAR_PREFIXES if marker == money.DOLLAR else money.YEN_PREFIXES
            if marker in (money.DOLLAR, money.YEN_OR_YUAN) and token.text in prefixes:
                self.pos += 2
                return prefixes[token.text]
        if token.text in money.SYMBOLS:
            self.pos += 1
            return money.SYMBOLS[token.text]
        if token.kind == "word" and token.text in money.CODES | money.CODE_ALIASES.keys():
            self.pos += 1
            return money.CODE_ALIASES.get(token.text, token.text)
        return None

    def amount(self) -> _Amount | None:
        """A number with its power and scale: ``2,5 Mrd.``, ``10^26``, ``five``, 五千万."""
        token = self.peek()
        if token is None:
            return None
        if token.kind == "num":
            following = self.peek(1)
            if (
                token.text == "0"
                and following is not None
                and not following.spaced
                and following.text[:1] in "xXbBoO"
                and len(following.text) > 1
            ):
                return None  # 0x1F, 0b101: a number in another base
            number = read_digits(token.text, self.tag)
            if number is None:
                return None
            self.pos += 1
            number = self.exponent(number)
            if number is None:
                return None
        elif token.kind == "word":
            number = self.written()
            if number is None:
                return None
        elif token.kind == "cjk":
            run = self.cjk_run(0, 8)
            run = run[: next((i for i, c in enumerate(run) if c not in CJK_NUMERALS), len(run))]
            value = read_cjk(run) if run else None
            if value is None:
                return None
            self.pos += len(run)
            scale = self.scale()
            # A lone 一 or 两 is as often "a" as "one": a number only with a scale.
            if len(run) == 1 and scale is None and not self.cjk_currency(peek=True):
                return None
            return _Amount(value * (scale or 1), scale)
        else:
            return None
        scale = self.scale()
        return _Amount(number * (scale or 1), scale)

    def exponent(self, number: float) -> float | None:
        token = self.peek()
        if token is None or token.spaced:
            return number
        if token.kind == "word" and token.text[0] in "eE" and _exponent(token.text[1:]):
            # 1e6; 1e99999999 is beyond a float and leaves the value blank.
            self.pos += 1
            result = power(10, token.text[1:])
            return None if result is None else number * result
        if token.kind == "word" and superscript(token.text):
            self.pos += 1
            return power(number, token.text)
        if token.text in ("^",) or (token.text == "*" and self.is_text(1, "*")):
            step = 1 if token.text == "^" else 2
            sign = "-" if self.is_text(step, "-", "−") else ""
            step += 1 if sign else 0
            exponent = self.peek(step)
            if exponent is None or exponent.kind != "num" or not exponent.text.isdigit():
                return None
            self.pos += step + 1
            return power(number, sign + exponent.text)
        return number

    def written(self) -> float | None:
        """A number written out, only where it surely is one: ``two``, ``a million``."""
        token = self.peek()
        assert token is not None
        lowered = token.lower
        table = w.WRITTEN.get(self.language, {})
        value: float | None = table.get(lowered)
        if value is None and self.language == "en" and "-" in lowered:
            tens, _, ones = lowered.partition("-")
            if tens in table and 20 <= table[tens] <= 90 and ones in w.ENGLISH_ONES:
                value = table[tens] + w.ENGLISH_ONES[ones]
        one = lowered in w.ONE.get(self.language, ())
        if value is None and not one:
            return None
        saved = self.pos
        self.pos += 1
        hundred = self.peek()
        if hundred is not None and hundred.lower in ("hundred", "dozen") and self.language == "en":
            value = (1 if one else value or 0) * (100 if hundred.lower == "hundred" else 12)
            self.pos += 1
            one = False
        scale = self.scale()
        if one and scale is None:
            self.pos = saved
            return None
        number = (1 if value is None else value) * (scale or 1)
        following = self.peek()
        if scale is None and following is not None and following.lower in w.UNIT_STOPS:
            self.pos = saved
            return None
        return number

    def scale(self) -> float | None:
        """A scale word after a number (``million``, ``Mrd.``, ``mil millones``, 万, 亿)."""
        token = self.peek()
        if token is None:
            return None
        if token.kind == "cjk":
            product = 1.0
            taken = 0
            while (char := self.peek(taken)) is not None and char.kind == "cjk" and taken < 3:
                factor = w.CJK_SCALES.get(char.text)
                if factor is None and self.language == "ja":
                    factor = w.JAPANESE_SCALES.get(char.text)
                if factor is None or (taken and char.spaced):
                    break
                product *= factor
                taken += 1
            if taken == 0:
                return None
            self.pos += taken
            return product
        if token.kind != "word":
            return None
        following = self.peek(1)
        pair = (token.lower, following.lower if following else "")
        two = w.TWO_WORD_SCALES.get(self.language, {})
        if pair in two:
            self.pos += 2
            return two[pair]
        cased = w.CASED_SCALES.get(self.language, {}).get(token.text)
        if cased is None and self.money_before and not token.spaced:
            cased = w.MONEY_SCALES.get(self.language, {}).get(token.text)
        if cased is not None:
            # One letter is a scale only right after the number (5M, 20B), or before a
            # currency sign (5 M€): ``5 B`` and ``5 m`` are something else.
            next_is_sign = following is not None and not following.spaced
            if token.spaced and not (next_is_sign and following.text in money.SYMBOLS):
                return None
            self.pos += 1
            self.skip_dot()
            return cased
        factor = w.SCALES.get(self.language, {}).get(token.lower)
        if factor is None:
            return None
        self.pos += 1
        self.skip_dot()
        return factor

    def skip_dot(self) -> None:
        if self.is_text(0, ".") and self.attached(0):
            self.pos += 1

    def range_connector(self) -> bool:
        token = self.peek()
        if token is None:
            return False
        if token.text in w.RANGE_SIGNS:
            return True
        return token.kind == "word" and token.lower in w.RANGE_WORDS


def _exponent(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    return body.isdigit()


def _ordered(low: float, high: float) -> bool:
    """A range runs up (``4-6``) or, for two negative ends, away from zero (``-80% to -90%``)."""
    if low < 0 and high < 0:
        return True
    return low < high


def read(text: str, language: str = "en", limit: int | None = MAX_VALUE_CHARS) -> Reading:
    """The reading of one value in an episode of ``language``; BLANK when unsure."""
    if limit is not None and len(text) > limit:
        return BLANK
    return _Reader(text, language).read()


def resolve(reading: Reading, evidence: str, language: str) -> Reading:
    """The reading with its currency marker resolved by the evidence (or blanked)."""
    if reading.currency is None:
        return reading
    currency = money.resolve(reading.currency, evidence, language)
    return Reading(reading.number, reading.high, reading.unit, currency, True)
