"""A prediction's horizon as said (``10 years``, ``bis 2030``, ``五年内``) -> years and class.

Read from the same tokens as the other values (linear in the text's length), in
the episode's language with English words understood everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from briefing.values import words as w
from briefing.values.numbers import CJK_NUMERALS, read_cjk, read_digits
from briefing.values.tokens import MAX_VALUE_CHARS, Token, fold, tokenize

HorizonClass = Literal["near", "medium", "long", "unspecified"]


@dataclass(frozen=True)
class Horizon:
    years: float | None
    horizon_class: HorizonClass


MAX_CJK_NUMERALS = 8
NEAR_MAX_YEARS = 2
MEDIUM_MAX_YEARS = 5
_MONTH, _WEEK = 1 / 12, 1 / 52
_UNITS: dict[str, dict[str, float]] = {
    "en": {
        **dict.fromkeys(("year", "years", "yr", "yrs"), 1.0),
        **dict.fromkeys(("decade", "decades"), 10.0),
        **dict.fromkeys(("month", "months"), _MONTH),
        **dict.fromkeys(("week", "weeks"), _WEEK),
        **dict.fromkeys(("century", "centuries"), 100.0),
    },
    "de": {
        **dict.fromkeys(("jahr", "jahre", "jahren", "jahres"), 1.0),
        **dict.fromkeys(("jahrzehnt", "jahrzehnte", "jahrzehnten"), 10.0),
        **dict.fromkeys(("monat", "monate", "monaten"), _MONTH),
        **dict.fromkeys(("woche", "wochen"), _WEEK),
        **dict.fromkeys(("jahrhundert", "jahrhunderte"), 100.0),
    },
    "fr": {
        **dict.fromkeys(("an", "ans", "année", "années"), 1.0),
        **dict.fromkeys(("décennie", "décennies"), 10.0),
        "mois": _MONTH,
        **dict.fromkeys(("semaine", "semaines"), _WEEK),
        **dict.fromkeys(("siècle", "siècles"), 100.0),
    },
    "es": {
        **dict.fromkeys(("año", "años"), 1.0),
        **dict.fromkeys(("década", "décadas"), 10.0),
        **dict.fromkeys(("mes", "meses"), _MONTH),
        **dict.fromkeys(("semana", "semanas"), _WEEK),
        **dict.fromkeys(("siglo", "siglos"), 100.0),
    },
}
# Chinese and Japanese units, longest first: 个月 before 月 (which alone is no unit).
_CJK_UNITS = (
    ("个月", _MONTH),
    ("個月", _MONTH),
    ("か月", _MONTH),
    ("ヶ月", _MONTH),
    ("カ月", _MONTH),
    ("ケ月", _MONTH),
    ("世纪", 100.0),
    ("週間", _WEEK),
    ("周", _WEEK),
    ("年", 1.0),
)
_NEXT = frozenset({"next", "nächste", "nächsten", "nächstes", "próximo", "próxima", "prochain"})
_NEXT_AFTER = frozenset({"prochaine", "prochain", "próximo", "próxima", "que", "viene"})
_NEXT_CJK = {"明年": 1.0, "来年": 1.0, "翌年": 1.0}
# Before a year: by 2030, bis 2030, d'ici 2030, para 2030, 到2030年; after it: 2030年前.
_BY = frozenset(
    {"by", "in", "until", "till", "before", "around", "circa", "bis", "vor", "um", "ab"}
    | {"d'ici", "d’ici", "avant", "en", "vers", "para", "antes", "hacia", "hasta"}
)
_BY_CJK = frozenset({"到", "至", "在", "于", "於"})
_YEARS = range(1900, 2200)
_CLASS_WORDS: tuple[tuple[HorizonClass, tuple[str, ...]], ...] = (
    (
        "near",
        (
            *("near", "short", "soon", "imminent", "immediate", "this year", "now"),
            *("kurzfristig", "bald", "demnächst", "court terme", "bientôt", "corto plazo"),
            *("pronto", "近期", "短期", "不久", "近い将来", "すぐ"),
        ),
    ),
    (
        "medium",
        (
            *("medium", "mid-term", "mid term", "midterm", "few years", "several years"),
            *("mittelfristig", "moyen terme", "medio plazo", "mediano plazo", "中期", "数年"),
        ),
    ),
    (
        "long",
        (
            *("long", "eventual", "decades", "far future", "distant", "lifetime", "langfristig"),
            *("jahrzehnte", "long terme", "décennies", "largo plazo", "décadas", "长期", "長期"),
            *("遠い将来", "远期", "几十年"),
        ),
    ),
)


def classify_years(years: float) -> HorizonClass:
    """Near: up to 2 years; medium: up to 5; long: beyond."""
    if years <= NEAR_MAX_YEARS:
        return "near"
    if years <= MEDIUM_MAX_YEARS:
        return "medium"
    return "long"


class _Horizon:
    def __init__(self, text: str, language: str) -> None:
        self.language = w.language_of(language)
        self.tokens = tokenize(fold(text))
        units = dict(_UNITS["en"])
        if self.language != "en":
            units.pop("an", None)
            units.update(_UNITS.get(self.language, {}))
        self.units = units
        self.counts = {**w.WRITTEN["en"], **w.WRITTEN.get(self.language, {})}
        for word in ("a", "an", "one", *w.ONE.get(self.language, ())):
            self.counts[word] = 1
        # How many Chinese numerals run from each token on, found in one backward pass
        # (counting them again from every token of a long run would be quadratic).
        self.numerals = [0] * (len(self.tokens) + 1)
        for index in range(len(self.tokens) - 1, -1, -1):
            token = self.tokens[index]
            if token.kind == "cjk" and token.text in CJK_NUMERALS:
                following = self.numerals[index + 1]
                attached = index + 1 < len(self.tokens) and not self.tokens[index + 1].spaced
                self.numerals[index] = 1 + (following if attached else 0)

    def token(self, index: int) -> Token | None:
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def unit_at(self, index: int) -> tuple[float, int] | None:
        """Years per unit and the tokens it spans, for a unit word at ``index``."""
        token = self.token(index)
        if token is None:
            return None
        if token.kind == "word":
            factor = self.units.get(_elided(token.lower))
            return None if factor is None else (factor, 1)
        if token.kind == "cjk":
            run = "".join(t.text for t in self.tokens[index : index + 2] if t.kind == "cjk")
            for word, factor in _CJK_UNITS:
                if run.startswith(word):
                    return factor, len(word)
        return None

    def count_at(self, index: int) -> tuple[float, int] | None:
        """A count at ``index`` (``5``, ``five``, ``a``, 五, 十) and the tokens it spans."""
        token = self.token(index)
        if token is None:
            return None
        if token.kind == "num":
            number = read_digits(token.text, self.language)
            return None if number is None or number in _YEARS else (number, 1)
        if token.kind == "word":
            number = self.counts.get(token.lower)
            return None if number is None else (number, 1)
        length = self.numerals[index]
        if 0 < length <= MAX_CJK_NUMERALS and (index == 0 or self.numerals[index - 1] == 0):
            chars = "".join(t.text for t in self.tokens[index : index + length])
            number = read_cjk(chars)
            return None if number is None else (number, length)
        return None

    def years(self, reference_year: int | None) -> float | None:
        if (years := self.next_unit()) is not None:
            return years
        if (years := self.span()) is not None:
            return years
        year = self.by_year()
        if year is not None and reference_year is not None:
            return max(year - reference_year, 0)
        return None

    def next_unit(self) -> float | None:
        for index, token in enumerate(self.tokens):
            if token.kind == "cjk":
                pair = token.text + (t.text if (t := self.token(index + 1)) else "")
                if pair in _NEXT_CJK:
                    return _NEXT_CJK[pair]
            if token.kind != "word":
                continue
            if token.lower in _NEXT and (unit := self.unit_at(index + 1)):
                return unit[0]
            following = self.token(index + 1)
            if following is not None and following.lower in _NEXT_AFTER:
                unit = self.unit_at(index)
                if unit and self.count_at(index - 1) is None:
                    return unit[0]
        return None

    def span(self) -> float | None:
        """``5-10 years`` -> 10 (the far end), ``within five years`` -> 5, 五年内 -> 5."""
        for index in range(len(self.tokens)):
            count = self.count_at(index)
            if count is None or self.negative(index):
                continue
            number, length = count
            after = index + length
            connector = self.token(after)
            if connector is not None and (
                connector.text in w.RANGE_SIGNS or connector.lower in w.RANGE_WORDS
            ):
                high = self.count_at(after + 1)
                if high is not None:
                    number, after = high[0], after + 1 + high[1]
            unit = self.unit_at(after)
            if unit is not None:
                return number * unit[0]
        return None

    def negative(self, index: int) -> bool:
        """``-5 years``: a minus sign stuck to the count (a range's dash has a count before)."""
        sign = self.token(index - 1)
        current = self.token(index)
        return (
            sign is not None
            and current is not None
            and sign.text in ("-", "−")
            and not current.spaced
            and self.count_at(index - 2) is None
        )

    def by_year(self) -> int | None:
        for index, token in enumerate(self.tokens):
            if token.kind != "num" or len(token.text) != 4 or not token.text.isdigit():
                continue
            if int(token.text) not in _YEARS:
                continue
            before = self.token(index - 1)
            after = self.token(index + 1)
            if before is not None and (before.lower in _BY or before.text in _BY_CJK):
                return int(token.text)
            if after is not None and after.text == "年" and not after.spaced:
                return int(token.text)
        return None


def _elided(word: str) -> str:
    """``l'année`` -> ``année``."""
    for elision in ("l'", "l’", "d'", "d’"):
        if word.startswith(elision):
            return word[len(elision) :]
    return word


def parse_horizon(
    text: str | None,
    reference_year: int | None = None,
    language: str = "en",
    limit: int | None = MAX_VALUE_CHARS,
) -> Horizon:
    """Years and class of a prediction horizon.

    ``10 years`` -> 10, long; ``Near future`` -> none, near; ``5-10 years`` -> 10
    (a range gives its far end: the latest the speaker expects it); ``next year``
    -> 1; ``about a decade`` -> 10; ``by 2030``, ``bis 2030``, ``2030年前`` -> years
    from ``reference_year`` (the episode's publication year) when it is known,
    otherwise unspecified. A number below zero is no horizon (``-5 years``); a text
    longer than ``limit`` characters is prose and unspecified.
    """
    if not text or (limit is not None and len(text) > limit):
        return Horizon(None, "unspecified")
    reader = _Horizon(text, language)
    years = reader.years(reference_year)
    if years is not None and years >= 0:
        years = int(years) if float(years).is_integer() else round(years, 2)
        return Horizon(years, classify_years(years))
    lowered = text.lower()
    for horizon_class, words in _CLASS_WORDS:
        if any(word in lowered for word in words):
            return Horizon(None, horizon_class)
    return Horizon(None, "unspecified")
