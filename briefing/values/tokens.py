"""A value's text as a list of tokens, in one left-to-right pass.

Every reader of values works on these tokens rather than on regular expressions
over the whole text: a pattern such as ``(?:about)?\\s*(?:USD)?\\s*\\d`` tried at
every position of ``about`` followed by many spaces is quadratic, and a token list
is built in linear time (each pattern below is possessive, so a run is consumed
once and never given back) and then read at most a few times over.
"""

from __future__ import annotations

import functools
import re
from typing import Literal, NamedTuple

TokenKind = Literal["num", "word", "cjk", "other"]

MAX_VALUE_CHARS = 1_000
"""A value or horizon longer than this is prose, not a figure: nothing is derived from it.
(The parsers are linear at any length; the limit keeps a library of long texts cheap.)"""

# Ideographs and kana are one token each: 50万元 is 50, 万, 元; a word of Latin,
# Greek or Cyrillic letters is one token with its inner hyphens and apostrophes.
CJK = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTER = rf"(?:(?![{CJK}])[^\W\d_])"
_WORD_CHAR = rf"(?:(?![{CJK}])[^\W_])"
# Group separators a number may hold; which of them are groups and which the decimal
# mark is for Babel to say, by the episode's locale (briefing.values.numbers).
_GROUP = "[.,'\u00a0\u202f\u2009\u066b\u066c]"
_SPACE_GROUP = r"| \d{3}(?!\d)"


@functools.cache
def _token_pattern(spaced: bool) -> re.Pattern[str]:
    # Compiled when first needed (about 4 ms each, for the Unicode classes): most runs
    # read values in one kind of locale and need one of the two.
    return re.compile(
        rf"(?P<num>\d++(?:{_GROUP}\d++{_SPACE_GROUP if spaced else ''})*+)"
        rf"|(?P<word>{_LETTER}{_WORD_CHAR}*+(?:['’\-]{_WORD_CHAR}++)*+)"
        rf"|(?P<cjk>[{CJK}])"
        r"|(?P<space>\s++)"
        r"|(?P<other>.)",
        re.DOTALL,
    )


# Fullwidth forms (ＡＢＣ１２３，％) as their ASCII twins, so a Chinese or Japanese
# value reads like any other; nothing else is folded (m² keeps its ²).
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


class Token(NamedTuple):
    kind: TokenKind
    text: str
    start: int
    end: int
    spaced: bool
    """Whether whitespace stands right before it."""

    @property
    def lower(self) -> str:
        return self.text.lower()


def fold(text: str) -> str:
    return text.translate(_FULLWIDTH)


def tokenize(text: str, space_groups: bool = False) -> list[Token]:
    """The tokens of ``text``, whitespace dropped (each token says if it followed some).

    ``space_groups``: a plain space between digit groups is a group separator
    (``1 234,5`` in French); elsewhere ``2 100`` is two numbers.
    """
    tokens: list[Token] = []
    spaced = False
    for match in _token_pattern(space_groups).finditer(text):
        kind = match.lastgroup
        if kind == "space":
            spaced = True
            continue
        tokens.append(Token(kind, match.group(), match.start(), match.end(), spaced))  # type: ignore[arg-type]
        spaced = False
    return tokens
