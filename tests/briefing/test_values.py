"""Derived values: each raw text and what the model derives from it."""

from __future__ import annotations

import pytest

from briefing.values import (
    format_timestamp,
    normalise_text,
    parse_horizon,
    parse_price,
    parse_quantity,
    parse_timestamp,
)


@pytest.mark.parametrize(
    ("text", "seconds", "printed"),
    [
        ("00:00", 0, "00:00"),
        ("00:48", 48, "00:48"),
        ("1:48", 108, "01:48"),
        ("59:59", 3599, "59:59"),
        ("01:05:43", 3943, "01:05:43"),
        ("1:05:43", 3943, "01:05:43"),
        ("12:00:00", 43200, "12:00:00"),
    ],
)
def test_timestamps(text: str, seconds: int, printed: str) -> None:
    assert parse_timestamp(text) == seconds
    assert format_timestamp(seconds) == printed


@pytest.mark.parametrize(
    "text", ["1:75", "99:99", "-01:00", "1:00:00:00", "", "1:5", "ab:cd", "60:00"]
)
def test_bad_timestamps(text: str) -> None:
    with pytest.raises(ValueError, match=r"MM:SS|below 60"):
        parse_timestamp(text)


@pytest.mark.parametrize(
    ("value", "number", "unit"),
    [
        ("0.075 bits/token", 0.075, "bits/token"),
        ("320 kB (2.56 million bits) per token", 320, "kB"),
        ("2.56 million bits", 2_560_000, "bits"),
        ("~10^26 FLOPs", 10**26, "FLOPs"),
        ("1e6 tokens", 1_000_000, "tokens"),
        ("-80% to -90%", -80, "%"),
        ("1,000,000 users", 1_000_000, "users"),
        ("about 3 years", 3, "years"),
        ("42", 42, None),
        ("half of all jobs", None, None),
        ("≈ 1.5 trillion parameters", 1.5e12, "parameters"),
    ],
)
def test_quantities(value: str, number: float | None, unit: str | None) -> None:
    quantity = parse_quantity(value)
    if number is None:
        assert quantity.number is None
    else:
        assert quantity.number == pytest.approx(number)
    assert quantity.unit == unit


@pytest.mark.parametrize(
    ("value", "amount", "currency"),
    [
        ("$100", 100, "USD"),
        ("≈ $1.5 trillion", 1.5e12, "USD"),
        ("€20", 20, "EUR"),
        ("£3.50", 3.5, "GBP"),
        ("USD 250", 250, "USD"),
        ("250 EUR", 250, "EUR"),
        ("$5M", 5_000_000, "USD"),
        ("100", 100, None),
        ("free", None, None),
    ],
)
def test_prices(value: str, amount: float | None, currency: str | None) -> None:
    money = parse_price(value)
    if amount is None:
        assert money.amount is None
    else:
        assert money.amount == pytest.approx(amount)
    assert money.currency == currency


@pytest.mark.parametrize(
    ("horizon", "reference_year", "years", "horizon_class"),
    [
        ("10 years", None, 10, "long"),
        ("Near future", None, None, "near"),
        ("Long term", None, None, "long"),
        ("Medium term", None, None, "medium"),
        ("5-10 years", None, 10, "long"),
        ("2–3 years", None, 3, "medium"),
        ("next year", None, 1, "near"),
        ("next decade", None, 10, "long"),
        ("about a decade", None, 10, "long"),
        ("6 months", None, 0.5, "near"),
        ("by 2030", 2025, 5, "medium"),
        ("by 2030", None, None, "unspecified"),
        ("within five years", None, 5, "medium"),
        ("decades", None, None, "long"),
        ("soon", None, None, "near"),
        ("someday, maybe", None, None, "unspecified"),
        (None, None, None, "unspecified"),
    ],
)
def test_horizons(
    horizon: str | None, reference_year: int | None, years: float | None, horizon_class: str
) -> None:
    parsed = parse_horizon(horizon, reference_year)
    assert parsed.years == years
    assert parsed.horizon_class == horizon_class


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  padded  ", "padded"),
        ("e\u0301", "é"),
        ("a\x00b\x07c\x1fd", "abcd"),
        ("bad\ufffe\uffffchars", "badchars"),
        ("lone\ud800surrogate", "lonesurrogate"),
        ("windows\r\nline\rbreaks", "windows\nline\nbreaks"),
        ("tab\tkept", "tab\tkept"),
        ("emoji 🐳 and 中文 stay", "emoji 🐳 and 中文 stay"),
        ("zero\u200bwidth and \u202ebidi", "zero\u200bwidth and \u202ebidi"),
    ],
)
def test_normalise_text(raw: str, clean: str) -> None:
    assert normalise_text(raw) == clean
