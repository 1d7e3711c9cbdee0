"""Reading a value's tokens: a cursor, and what may come after a number.

The second half of the reader in reading.py (which holds the grammar up to the
number): the currency, percent sign, unit and rate after it, and the check that no
second number follows. Every method moves the cursor forward or leaves it, so the
whole reading stays linear.
"""

from __future__ import annotations

from briefing.values import currencies as money
from briefing.values import words as w
from briefing.values.tokens import Token

_SEPARATORS = frozenset({"(", "（", ",", "，", ";", "；", ":", "：", "—", "–", "-", "、", "/"})


def _year_like(digits: str) -> bool:
    return len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2100


class Cursor:
    tokens: list[Token]
    text: str
    language: str
    pos: int

    def peek(self, offset: int = 0) -> Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def is_text(self, offset: int, *texts: str) -> bool:
        token = self.peek(offset)
        return token is not None and token.text in texts

    def attached(self, offset: int) -> bool:
        """Whether the token at ``offset`` follows the one before it with no space."""
        token = self.peek(offset)
        return token is not None and not token.spaced

    def cjk_run(self, offset: int, most: int) -> str:
        """Up to ``most`` ideographs or kana from ``offset``, with nothing between them."""
        chars = []
        for index in range(most):
            token = self.peek(offset + index)
            if token is None or token.kind != "cjk" or (index and token.spaced):
                break
            chars.append(token.text)
        return "".join(chars)

    # -- the grammar ------------------------------------------------------------------
    def currency_after(self) -> str | None:
        """``€``, ``EUR``, ``euros``, ``US dollars``, ``d'euros``, 元, 美元, 円 after the number."""
        token = self.peek()
        if token is None:
            return None
        if token.text in money.SYMBOLS:
            self.pos += 1
            return money.SYMBOLS[token.text]
        if token.kind == "cjk":
            return self.cjk_currency()
        if token.kind != "word":
            return None
        if token.text in money.CODES or token.text in money.CODE_ALIASES:
            self.pos += 1
            return money.CODE_ALIASES.get(token.text, token.text)
        offset = 0
        lowered = token.lower
        if lowered in ("de", "of") and self.language in ("fr", "es", "en"):
            offset, token = 1, self.peek(1)
            if token is None or token.kind != "word":
                return None
            lowered = token.lower
        for elision in ("d'", "d’"):
            if lowered.startswith(elision):
                lowered = lowered[len(elision) :]
        following = self.peek(offset + 1)
        pair = (lowered, following.lower if following else "")
        if pair in money.TWO_WORDS:
            self.pos += offset + 2
            return money.TWO_WORDS[pair]
        if lowered in money.WORDS:
            self.pos += offset + 1
            return money.WORDS[lowered]
        return None

    def cjk_currency(self, peek: bool = False) -> str | None:
        run = self.cjk_run(0, money.CJK_LONGEST)
        for length in range(len(run), 0, -1):
            found = money.CJK_WORDS.get(run[:length])
            if found is not None:
                if not peek:
                    self.pos += length
                return found
        return None

    def percent(self) -> bool:
        token = self.peek()
        if token is None:
            return False
        if token.text in w.PERCENT_SIGNS:
            self.pos += 1
            return True
        following = self.peek(1)
        if (token.lower, following.lower if following else "") in w.PERCENT_TWO:
            self.pos += 2
            return True
        if token.kind == "word" and token.lower in w.PERCENT_WORDS:
            self.pos += 1
            return True
        return False

    def bound_after(self) -> bool:
        token = self.peek()
        if token is None:
            return False
        if token.text in w.BOUND_AFTER or (
            token.kind == "word" and token.lower == "or" and self.is_text(1, "more", "less")
        ):
            return True
        run = self.cjk_run(0, 2)
        if run and (run in w.BOUND_AFTER or run[0] in w.BOUND_AFTER_CJK):
            return True
        for word in w.APPROXIMATELY_AFTER_CJK:
            if run and self.cjk_run(0, len(word)) == word:
                self.pos += len(word)
                break
        return False

    def unit(self) -> str | None:
        """The words that name what was counted, as written; '' when they run on too long."""
        start = self.peek()
        if start is None:
            return None
        before = self.tokens[self.pos - 1] if self.pos else None
        if before is not None and before.kind == "num" and _year_like(before.text):
            # 2024 revenue: a year, far more often than a count of 2,024 of something.
            return ""
        if start.kind == "cjk":
            return self.cjk_unit()
        following = self.peek(1)
        if start.text in ("m", "b", "t") and not start.spaced and following is not None:
            # 5m users: a million or a metre? Not sure, so blank.
            return "" if following.kind == "word" else None
        if start.text in ("x", "×", "X") or start.text in ("°", "℃", "℉"):
            end = self.pos + 1
            if start.text == "°" and self.peek(1) and self.attached(1):
                end += 1
            self.pos = end
            unit = self.text[start.start : self.tokens[end - 1].end]
            rate = self.rate()
            return f"{unit} {rate}" if rate and not rate.startswith("/") else unit + (rate or "")
        if self.language in ("fr", "es") and start.kind == "word":
            # 2 millions d'utilisateurs, 3 millones de usuarios: what is counted follows.
            if start.lower == "de" and self.peek(1) is not None:
                self.pos += 1
            elif start.lower[:2] in ("d'", "d’") and len(start.text) > 2:
                return self._elided_unit(start)
        first = self.pos
        count = 0
        while (token := self.peek()) is not None and token.kind == "word":
            if token.lower in w.UNIT_STOPS or (token.lower in w.RATE_WORDS and count):
                break
            if count == w.UNIT_WORDS:
                return ""
            count += 1
            self.pos += 1
            # bits/token, m²/s: a slash with no space on either side joins the unit.
            if self.is_text(0, "/") and self.attached(0) and self.attached(1):
                following = self.peek(1)
                if following is not None and following.kind == "word":
                    self.pos += 1
        if count == 0:
            return None
        unit = self.text[self.tokens[first].start : self.tokens[self.pos - 1].end]
        self.skip_parenthesis()
        rate = self.rate()
        if rate:
            unit = unit + rate if rate.startswith("/") else f"{unit} {rate}"
        return " ".join(unit.split())

    def _elided_unit(self, start: Token) -> str | None:
        """``d'utilisateurs`` -> ``utilisateurs`` (one word; a longer unit is unsure)."""
        following = self.peek(1)
        if (
            following is not None
            and following.kind == "word"
            and following.lower not in w.UNIT_STOPS
        ):
            return ""
        self.pos += 1
        return start.text[2:]

    def cjk_unit(self) -> str | None:
        run = self.cjk_run(0, w.CJK_UNIT_CHARS)
        length = next(
            (
                index
                for index, char in enumerate(run)
                if char in w.CJK_UNIT_STOPS
                or any(run.startswith(word, index) for word in w.CJK_AFTER_WORDS)
            ),
            len(run),
        )
        if length == 0:
            return None
        unit = run[:length]
        if any(char in w.CJK_NOT_UNITS for char in unit):
            # 5兆円 in Chinese: a scale or a currency we could not read is no unit.
            return ""
        self.pos += length
        if len(unit) > 1 and unit[0] in w.CLASSIFIERS:
            unit = unit[1:]
        return unit

    def skip_parenthesis(self) -> None:
        """``320 kB (2.56 million bits) per token``: what is in parentheses restates."""
        if not self.is_text(0, "(", "（"):
            return
        depth = 0
        while (token := self.peek()) is not None:
            self.pos += 1
            if token.text in ("(", "（"):
                depth += 1
            elif token.text in (")", "）"):
                depth -= 1
                if depth == 0:
                    return

    def rate(self) -> str | None:
        """``per token``, ``/hour``, ``an hour``, ``pro Stunde``: what the value is per."""
        self.skip_parenthesis()
        token = self.peek()
        if token is None:
            return None
        slash = token.text == "/"
        if not slash and not (token.kind == "word" and token.lower in w.RATE_WORDS):
            return None
        first = self.pos
        self.pos += 1
        count = 0
        while (word := self.peek()) is not None and word.kind in ("word", "cjk"):
            if (word.lower in w.UNIT_STOPS and word.lower not in ("a", "an")) or count == 3:
                break
            count += 1
            self.pos += 1
        if count == 0:
            self.pos = first
            return None
        return " ".join(self.text[self.tokens[first].start : self.tokens[self.pos - 1].end].split())

    def stray_after(self) -> bool:
        """A sign stuck to the reading that no value has: ``1. not a list``, ``1️⃣``,
        ``zero\u200bwidth``. Separators (a comma, parentheses, a dash) and a full stop
        at the very end are fine."""
        token = self.peek()
        following = self.peek(1)
        if (
            token is not None
            and token.text in ("-", "–")
            and not token.spaced
            and following is not None
            and following.kind == "word"
            and not following.spaced
        ):
            return True  # 5-year plan: the number is part of a compound word
        if token is None or token.kind != "other" or token.text in _SEPARATORS:
            return False
        return not (token.text in (".", "。", "!", "！") and self.peek(1) is None)

    def more_numbers(self) -> bool:
        """Whether another number follows outside parentheses (a compound value)."""
        while (token := self.peek()) is not None:
            if token.text in ("(", "（"):
                self.skip_parenthesis()
                continue
            if token.kind == "num":
                return True
            self.pos += 1
        return False
