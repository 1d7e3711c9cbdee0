"""The words values are read with, per language: scales, approximations, bounds, units' ends.

Only what is certain goes in a table. ``billion`` is 10^9 in English and 10^12 in
German, French and Spanish (``Billion``, ``billion``, ``billón``), so scale words
belong to the episode's language; a word that is only sometimes a number (``one``
in ``one of the largest``) is read only where the issue of what it counts cannot
arise (``one million``).
"""

from __future__ import annotations

# Scale words, lowercased, with the abbreviations' dots dropped. Case-sensitive
# abbreviations (``M`` is a million, ``m`` a metre) are in CASED_SCALES.
SCALES: dict[str, dict[str, float]] = {
    "en": {
        "thousand": 1e3,
        "thousands": 1e3,
        "k": 1e3,
        "million": 1e6,
        "millions": 1e6,
        "mn": 1e6,
        "mln": 1e6,
        "billion": 1e9,
        "billions": 1e9,
        "bn": 1e9,
        "trillion": 1e12,
        "trillions": 1e12,
        "tn": 1e12,
        "lakh": 1e5,
        "lakhs": 1e5,
        "crore": 1e7,
        "crores": 1e7,
    },
    "de": {
        "tausend": 1e3,
        "tsd": 1e3,
        "k": 1e3,
        "million": 1e6,
        "millionen": 1e6,
        "mio": 1e6,
        "milliarde": 1e9,
        "milliarden": 1e9,
        "mrd": 1e9,
        "billion": 1e12,
        "billionen": 1e12,
        "bio": 1e12,
    },
    "fr": {
        "mille": 1e3,
        "k": 1e3,
        "million": 1e6,
        "millions": 1e6,
        "md": 1e9,
        "mds": 1e9,
        "mrd": 1e9,
        "milliard": 1e9,
        "milliards": 1e9,
        "billion": 1e12,
        "billions": 1e12,
    },
    "es": {
        "mil": 1e3,
        "k": 1e3,
        "millón": 1e6,
        "millon": 1e6,
        "millones": 1e6,
        "mill": 1e6,
        "millardo": 1e9,
        "millardos": 1e9,
        "billón": 1e12,
        "billon": 1e12,
        "billones": 1e12,
    },
}
CASED_SCALES: dict[str, dict[str, float]] = {
    "en": {"K": 1e3, "M": 1e6, "MM": 1e6, "B": 1e9, "T": 1e12},
    "de": {"K": 1e3, "M": 1e6},
    "fr": {"K": 1e3, "M": 1e6, "Md": 1e9, "Mds": 1e9},
    "es": {"K": 1e3, "M": 1e6, "MM": 1e6},
}
# After a currency only: $5m and $5b are money, 5m is a length.
MONEY_SCALES: dict[str, dict[str, float]] = {"en": {"m": 1e6, "b": 1e9, "mm": 1e6}}
# Spanish says a thousand millions for 10^9: ``5 mil millones`` is 5e9.
TWO_WORD_SCALES: dict[str, dict[tuple[str, str], float]] = {
    "es": {("mil", "millones"): 1e9, ("mil", "millón"): 1e9},
}
# Chinese and Japanese: 万 and 亿 in every language (the characters say it); 兆 is
# 10^12 in Japanese but a million or 10^12 in Chinese, so it is read in Japanese only.
CJK_SCALES = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
JAPANESE_SCALES = {"兆": 1e12}
CJK_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# Words in front of a number that leave it the number said ("about 3 years" is 3).
APPROXIMATELY: dict[str, frozenset[str]] = {
    "en": frozenset(
        {"about", "around", "roughly", "approximately", "approx", "circa", "ca", "some"}
    ),
    "de": frozenset({"ca", "circa", "etwa", "rund", "ungefähr", "zirka"}),
    "fr": frozenset({"environ", "quelque", "approximativement"}),
    "es": frozenset({"aproximadamente", "unos", "unas", "aprox"}),
}
APPROXIMATELY_TWO: dict[str, frozenset[tuple[str, str]]] = {
    "fr": frozenset({("près", "de"), ("autour", "de")}),
    "es": frozenset({("cerca", "de"), ("alrededor", "de"), ("en", "torno")}),
}
APPROXIMATELY_CJK = ("大约", "大約", "约", "約", "およそ", "おおよそ")
BOUNDS_CJK = ("超过", "超過", "近", "不到", "至少", "最多", "ほぼ", "最大", "最低")
APPROXIMATELY_SIGNS = frozenset({"~", "≈", "≒", "∼", "〜", "～", "="})
# Words that make the number a bound: ``over 100`` is not 100. Such values stay blank.
BOUNDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        {"over", "under", "above", "below", "upwards", "beyond", "exceeding", "least", "most"}
        | {"more", "less", "fewer", "almost", "up", "upto", "max", "min", "maximum", "minimum"}
        | {"between", "from", "than", "only", "just", "nearly", "several", "many"}
    ),
    "de": frozenset(
        {"über", "unter", "mehr", "weniger", "bis", "mindestens", "höchstens", "maximal"}
        | {"minimal", "zwischen", "von", "fast", "gut", "knapp", "nur"}
    ),
    "fr": frozenset(
        {"plus", "moins", "jusqu'à", "jusqu’à", "au", "entre", "de", "dès", "presque", "seulement"}
    ),
    "es": frozenset({"más", "menos", "hasta", "entre", "de", "desde", "casi", "solo", "sólo"}),
}
# A bound or an approximation said after the number: ``100B+``, 100多, 100以上.
BOUND_AFTER = frozenset({"+", "plus", "多", "余", "餘", "以上", "以下", "未満", "超", "强", "弱"})
BOUND_AFTER_CJK = frozenset({"多", "余", "餘", "超", "强", "弱", "近"})
APPROXIMATELY_AFTER_CJK = frozenset({"左右", "程度", "前後", "ぐらい", "くらい"})

# Between the two ends of a range: ``4-6 weeks``, ``10 to 20``, ``5 bis 10``, 3至5.
RANGE_WORDS = frozenset({"to", "bis", "à", "a", "au", "hasta", "al"})
RANGE_SIGNS = frozenset({"-", "–", "—", "〜", "～", "~", "至", "到"})

# Percentages: the unit is %, whatever the language.
PERCENT_SIGNS = frozenset({"%", "٪", "‰"})
PERCENT_WORDS = frozenset(
    {"percent", "pct", "prozent", "pourcent", "pourcents", "porcentaje", "百分之"}
)
PERCENT_TWO = frozenset({("per", "cent"), ("pour", "cent"), ("por", "ciento")})

# Words that end a unit: ``2 million active users in Europe`` is active users, ``10 GB
# of memory`` is GB. A unit longer than UNIT_WORDS words is not sure to be one.
UNIT_WORDS = 3
UNIT_STOPS = frozenset(
    # English
    {"of", "for", "in", "on", "at", "by", "to", "from", "with", "than", "and", "or", "vs"}
    | {"versus", "that", "which", "who", "is", "are", "was", "were", "be", "been", "will"}
    | {"would", "can", "could", "may", "might", "more", "less", "fewer", "over", "under"}
    | {"the", "this", "these", "those", "it", "its", "their", "as", "so", "if", "when"}
    | {"while", "where", "after", "before", "since", "into", "about", "across", "between"}
    | {"during", "without", "within", "each", "every", "faster", "slower", "cheaper"}
    | {"larger", "smaller", "bigger", "higher", "lower", "better", "worse", "up", "down"}
    | {"a", "an", "i", "we", "you", "they", "he", "she", "not", "no", "only", "all"}
    # German
    | {"von", "für", "im", "am", "an", "auf", "bei", "mit", "und", "oder", "als", "der"}
    | {"die", "das", "den", "dem", "des", "ein", "eine", "ist", "sind", "war", "wird", "zu"}
    | {"zum", "zur", "aus", "nach", "vor", "über", "unter", "bis", "mehr", "weniger"}
    # French
    | {"de", "du", "des", "d", "pour", "en", "dans", "sur", "avec", "et", "ou", "que"}
    | {"qui", "le", "la", "les", "un", "une", "est", "sont", "à", "au", "aux", "plus"}
    # Spanish
    | {"del", "para", "con", "y", "o", "el", "los", "las", "una", "es", "son", "al"}
    | {"más", "menos", "entre"}
)
# A rate: what follows ``per``, ``/``, ``pro``, ``par``, ``por``, ``je``, 每.
RATE_WORDS = frozenset({"per", "pro", "je", "par", "por", "a", "an"})
RATE_CJK = frozenset({"每"})
CJK_UNIT_STOPS = frozenset("的和与與及或在于於是为為了对對比从從到至")
# Classifiers before a Chinese unit (100个用户 counts 用户), dropped from the unit.
CLASSIFIERS = frozenset("个個名位家台款")
CJK_UNIT_CHARS = 4
"""At most this many ideographs or kana make a unit (人, 参数, 个用户)."""

# Written-out numbers, where a number is meant: these are never articles or pronouns.
WRITTEN: dict[str, dict[str, int]] = {
    "en": {
        "zero": 0,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "thirteen": 13,
        "fourteen": 14,
        "fifteen": 15,
        "sixteen": 16,
        "seventeen": 17,
        "eighteen": 18,
        "nineteen": 19,
        "twenty": 20,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
        "hundred": 100,
        "dozen": 12,
    },
    "de": {
        "zwei": 2,
        "drei": 3,
        "vier": 4,
        "fünf": 5,
        "sechs": 6,
        "sieben": 7,
        "acht": 8,
        "neun": 9,
        "zehn": 10,
        "elf": 11,
        "zwölf": 12,
        "zwanzig": 20,
        "dreißig": 30,
        "fünfzig": 50,
        "hundert": 100,
    },
    "fr": {
        "deux": 2,
        "trois": 3,
        "quatre": 4,
        "cinq": 5,
        "six": 6,
        "sept": 7,
        "huit": 8,
        "neuf": 9,
        "dix": 10,
        "onze": 11,
        "douze": 12,
        "vingt": 20,
        "trente": 30,
        "cinquante": 50,
        "cent": 100,
    },
    "es": {
        "dos": 2,
        "tres": 3,
        "cuatro": 4,
        "cinco": 5,
        "seis": 6,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
        "diez": 10,
        "once": 11,
        "doce": 12,
        "veinte": 20,
        "treinta": 30,
        "cincuenta": 50,
        "cien": 100,
    },
}
# One, which is also an article: a number only before a scale word (``a million``).
ONE: dict[str, frozenset[str]] = {
    "en": frozenset({"one", "a", "an"}),
    "de": frozenset({"eine", "ein", "einer"}),
    "fr": frozenset({"un", "une"}),
    "es": frozenset({"un", "una", "uno"}),
}
# English tens and ones joined by a hyphen: twenty-five.
ENGLISH_ONES = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}


def language_of(tag: str) -> str:
    """The primary subtag, lowercased: ``de-CH`` -> ``de``."""
    return tag.split("-")[0].split("_")[0].lower() or "en"


# What ends a Chinese or Japanese unit, and what may never be one.
CJK_AFTER_WORDS = tuple(sorted(BOUND_AFTER | APPROXIMATELY_AFTER_CJK, key=len, reverse=True))
CJK_NOT_UNITS = frozenset("兆元円块塊ドル億亿万萬")
