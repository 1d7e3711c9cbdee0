"""The source-page text format -> Episode.

A source page is the text of an episode's web page as copied from a browser
(see ``tests/fixtures/summoning-ghosts.txt``): a title line, header lines
(``Category: … · Duration: N min · ▶ Watch``, ``Speakers: …``,
``Switch language → 中文``), then sections under headings such as
``Segments (14)``. Any ``X Facts`` or ``X Claims`` heading keeps X as the
items' kind; sections may be missing or empty; a ``(N)`` count must match what
was read. Every problem is reported as ``page.txt:LINE: what was expected``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefing.labels import LANGUAGE_NAMES
from briefing.lines import TIME as _TIME
from briefing.lines import split_heading, split_quote
from briefing.model import SCHEMA_VERSION, Episode, slugify
from briefing.quoting import printable, shown
from briefing.source import InputError, field_path, read_input

_LANGUAGE_CODES = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
_BULLET = "•"
_MAX_DIGITS = 6
"""Longer counts and durations are refused as one line (int() of 4,300 digits raises)."""
_DURATION = re.compile(
    r"(?:(?P<hours>\d+)\s*+h(?:ours?)?)?(?:\s*+(?P<minutes>\d+)\s*+min(?:utes?)?)?"
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
MAX_PROBLEMS = 100
"""Problems listed for one page; the rest are counted."""


class IngestError(Exception):
    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class _Bullet:
    line: int
    text: str
    children: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Section:
    line: int
    name: str
    count: int | None
    field: str
    kind: str | None
    body: list[tuple[int, str, int]] = field(default_factory=list)
    """(line number, stripped text, indent) of each non-blank line."""


def _section_field(name: str) -> tuple[str, str | None] | None:
    """Which episode field a heading starts, and the kind it names (``Memory Facts``)."""
    fixed = {
        "segments": "segments",
        "predictions": "predictions",
        "takeaways": "takeaways",
        "key takeaways": "takeaways",
        "specific prices": "prices",
        "prices": "prices",
        "key technologies": "technologies",
        "technologies": "technologies",
        "companies mentioned": "companies",
        "companies": "companies",
        "notable quotes": "quotes",
        "quotes": "quotes",
        "key topics": "topics",
        "topics": "topics",
    }
    lowered = name.lower()
    if lowered in fixed:
        return fixed[lowered], None
    for suffix, target in ((" facts", "facts"), (" claims", "claims")):
        if lowered.endswith(suffix) and len(name.split()) <= 4:
            return target, name[: -len(suffix)].strip()
    if lowered in ("facts", "claims"):
        return lowered, "General"
    return None


class _Reader:
    """Turns the lines of one page into episode data, collecting every problem."""

    def __init__(self, source: str, text: str) -> None:
        self.source = printable(source)
        # Only \n, \r\n and \r end a line, as in any editor: str.splitlines() also breaks at
        # U+2028, form feeds and other separators inside text, misreading it and its line numbers.
        self.lines = _LINE_BREAK.split(text)
        self.errors: list[str] = []
        self.origins: dict[tuple[str | int, ...], int] = {}

    def fail(self, line: int, message: str) -> None:
        self.errors.append(f"{self.source}:{line}: {message}")

    def read(self) -> tuple[dict[str, Any], list[str]]:
        data: dict[str, Any] = {}
        numbered = [(number, text) for number, text in enumerate(self.lines, 1) if text.strip()]
        if not numbered:
            self.fail(1, "expected a title line, found an empty page")
            return data, []
        title_line, title = numbered[0]
        data["title"] = title.strip()
        self.origins[("title",)] = title_line
        sections: list[_Section] = []
        translations: list[str] = []
        for number, raw in numbered[1:]:
            stripped = raw.strip()
            indent = len(raw) - len(raw.lstrip())
            heading = self._heading(number, stripped) if indent == 0 else None
            if heading:
                sections.append(heading)
            elif sections:
                sections[-1].body.append((number, stripped, indent))
            else:
                translations += self._header(number, stripped, data)
        for section in sections:
            self._section(section, data)
        return data, translations

    def _heading(self, number: int, text: str) -> _Section | None:
        split = split_heading(text)
        if split is None:
            return None
        name, count = split
        target = _section_field(name)
        if target is None:
            return None
        if count and len(count) > _MAX_DIGITS:
            self.fail(number, f"'{name}' has a count of {len(count):,} digits")
            return _Section(number, name, None, *target)
        return _Section(number, name, int(count) if count else None, *target)

    def _header(self, number: int, text: str, data: dict[str, Any]) -> list[str]:
        if text.lower().startswith("speakers:"):
            names = text.split(":", 1)[1].split("·")
            data["speakers"] = [name.strip() for name in names if name.strip()]
            return []
        translations = []
        unknown: list[str] = []
        for part in (piece.strip() for piece in text.split(" · ")):
            key, _, value = part.partition(":")
            key = key.strip().lower()
            if part.startswith("▶"):
                url = re.search(r"https?://\S+", part)
                if url:
                    data["watch_url"] = url.group(0)
            elif part.lower().startswith("switch language"):
                translations += self._languages(number, part.split("→", 1)[-1])
            elif key == "category" and value.strip():
                data["category"] = value.strip()
            elif key == "duration":
                self._duration(number, value, data)
            else:
                unknown.append(part)
        if unknown:
            # One line per line of the page: a line of 10,000 separators is one mistake.
            more = f" (and {len(unknown) - 1:,} more parts)" if len(unknown) > 1 else ""
            self.fail(
                number,
                "expected a header (Category:, Duration:, Speakers:, ▶ Watch, "
                f"Switch language →) or a section heading, got {shown(unknown[0])}{more}",
            )
        return translations

    def _languages(self, number: int, names: str) -> list[str]:
        codes = []
        for name in (n.strip() for n in re.split(r"[·,/]", names) if n.strip()):
            code = _LANGUAGE_CODES.get(name.lower())
            if code is None:
                self.fail(number, f"unknown language name {shown(name)} after 'Switch language →'")
            else:
                codes.append(code)
        return codes

    def _duration(self, number: int, value: str, data: dict[str, Any]) -> None:
        # Stripped first and one optional run of spaces between the parts, each taken
        # possessively: three adjacent \s* made a padded line cubic (minutes for 4,000 spaces).
        match = _DURATION.fullmatch(value.strip())
        digits = max(len(match["hours"] or ""), len(match["minutes"] or "")) if match else 0
        if not match or not (match["hours"] or match["minutes"]) or digits > _MAX_DIGITS:
            self.fail(number, f"expected 'Duration: N min', got {shown(value.strip())}")
            return
        data["duration_minutes"] = int(match["hours"] or 0) * 60 + int(match["minutes"] or 0)

    def _section(self, section: _Section, data: dict[str, Any]) -> None:
        items = data.setdefault(section.field, [])
        before = len(items)
        reader = getattr(self, f"_read_{section.field}")
        reader(section, items)
        read = len(items) - before
        if section.count is not None and read != section.count:
            self.fail(
                section.line,
                f"'{section.name} ({section.count})' promises "
                f"{section.count} items but {read} were read",
            )

    def _bullets(self, section: _Section) -> list[_Bullet]:
        bullets: list[_Bullet] = []
        top_indent: int | None = None
        for number, text, indent in section.body:
            if not text.startswith(_BULLET):
                self.fail(
                    number, f"expected a '{_BULLET}' item in {section.name}, got {shown(text)}"
                )
                continue
            content = text[len(_BULLET) :].strip()
            if top_indent is None or indent <= top_indent:
                top_indent = indent
                bullets.append(_Bullet(number, content))
            elif bullets:
                bullets[-1].children.append((number, content))
        return bullets

    def _add(self, items: list[Any], field_name: str, line: int, item: Any) -> None:
        self.origins[(field_name, len(items))] = line
        items.append(item)

    def _read_timed(
        self,
        section: _Section,
        items: list[Any],
        pattern: str,
        expected: str,
        build: Callable[[re.Match[str], _Bullet], dict[str, Any]],
    ) -> None:
        for bullet in self._bullets(section):
            match = re.fullmatch(pattern, bullet.text)
            if not match:
                self.fail(
                    bullet.line,
                    f"expected '{_BULLET} {expected}' in {section.name}, got {shown(bullet.text)}",
                )
                continue
            self._add(items, section.field, bullet.line, build(match, bullet))

    def _read_segments(self, section: _Section, items: list[Any]) -> None:
        def build(match: re.Match[str], bullet: _Bullet) -> dict[str, Any]:
            summary = _joined(bullet.children)
            return {"at": match["at"], "title": match["title"], **_given("summary", summary)}

        self._read_timed(
            section, items, rf"(?P<at>{_TIME})\s*·\s*(?P<title>.+)", "MM:SS · Title", build
        )

    def _read_facts(self, section: _Section, items: list[Any]) -> None:
        def build(match: re.Match[str], bullet: _Bullet) -> dict[str, Any]:
            value = _joined(bullet.children)
            return {
                "at": match["at"],
                "kind": section.kind,
                "statement": match["text"],
                **_given("value", value),
            }

        self._read_timed(
            section, items, rf"\[(?P<at>{_TIME})\]\s*(?P<text>.+)", "[MM:SS] statement", build
        )

    def _read_claims(self, section: _Section, items: list[Any]) -> None:
        def build(match: re.Match[str], bullet: _Bullet) -> dict[str, Any]:
            evidence = _joined(
                [(n, re.sub(r"^Evidence:\s*", "", text)) for n, text in bullet.children]
            )
            return {
                "at": match["at"],
                "kind": section.kind,
                "claim": match["text"],
                **_given("evidence", evidence),
            }

        self._read_timed(
            section, items, rf"\[(?P<at>{_TIME})\]\s*(?P<text>.+)", "[MM:SS] claim", build
        )

    def _read_predictions(self, section: _Section, items: list[Any]) -> None:
        def build(match: re.Match[str], bullet: _Bullet) -> dict[str, Any]:
            horizon = (match["horizon"] or "").strip()
            return {"at": match["at"], **_given("horizon", horizon), "statement": match["text"]}

        self._read_timed(
            section,
            items,
            rf"\[(?P<at>{_TIME})(?:,\s*(?P<horizon>[^\]]*))?\]\s*(?P<text>.+)",
            "[MM:SS, horizon] statement",
            build,
        )

    def _read_technologies(self, section: _Section, items: list[Any]) -> None:
        for bullet in self._bullets(section):
            name, separator, description = bullet.text.partition(": ")
            item = {"name": name.strip(), **_given("description", description.strip())}
            if not separator:
                item = {"name": bullet.text}
            self._add(items, "technologies", bullet.line, item)

    def _read_takeaways(self, section: _Section, items: list[Any]) -> None:
        for bullet in self._bullets(section):
            text = "\n".join([bullet.text, *(child for _, child in bullet.children)])
            self._add(items, "takeaways", bullet.line, text)

    def _read_list(self, section: _Section, items: list[Any]) -> None:
        for number, text, _indent in section.body:
            for name in (part.strip() for part in text.split("·")):
                if name:
                    self._add(items, section.field, number, name.lstrip(_BULLET).strip())

    _read_companies = _read_list
    _read_topics = _read_list

    def _read_prices(self, section: _Section, items: list[Any]) -> None:
        row = re.compile(
            # The item starts and ends with a non-space and the runs of spaces are taken
            # possessively, so each run is tried once: a padded row was cubic (minutes).
            rf"(?P<at>{_TIME})\s++(?P<item>\S(?:.*?\S)?)\s++"
            r"(?P<value>(?:[~≈]\s*)?(?:[$€£¥₹₩]|[A-Z]{3}\s?)?\d[\d,.]*(?:\s*(?:[kKmMbBtT]|"
            r"thousand|million|billion|trillion)\b)?(?:/\S+)?)(?:\s+(?P<context>.+))?"
        )
        for number, text, _indent in section.body:
            if re.match(r"(?i)^timestamp\b", text):
                continue
            cells = [cell.strip() for cell in text.split("\t")]
            if len(cells) >= 3:
                item = {
                    "at": cells[0],
                    "item": cells[1],
                    "value": cells[2],
                    **_given("context", " ".join(cells[3:])),
                }
            elif match := row.fullmatch(text):
                item = {
                    "at": match["at"],
                    "item": match["item"],
                    "value": match["value"],
                    **_given("context", match["context"] or ""),
                }
            else:
                self.fail(
                    number,
                    "expected a price row 'MM:SS Item Value Context' "
                    f"(the value starting with a currency or a digit), got {shown(text)}",
                )
                continue
            self._add(items, "prices", number, item)

    def _read_quotes(self, section: _Section, items: list[Any]) -> None:
        for number, text, _indent in section.body:
            quote, speaker, at = split_quote(text)
            item = {"text": quote, **_given("speaker", speaker), **_given("at", at)}
            self._add(items, "quotes", number, item)


def _joined(children: list[tuple[int, str]]) -> str:
    return "\n".join(text for _, text in children)


def _given(key: str, value: str) -> dict[str, str]:
    """The key only when the page gave a value, so absent stays absent in the JSON."""
    return {key: value} if value else {}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


_HAN = re.compile("[\u4e00-\u9fff]")
_ASCII_LETTER = re.compile("[A-Za-z]")


def _guess_language(data: dict[str, Any]) -> str:
    """zh when the page's own text (not its English headings) is mostly Han characters."""
    text = "".join(_strings(data))
    # Counted by the regex engine, not a Python step per character (a 500,000-character
    # page spent two seconds here).
    han = len(_HAN.findall(text))
    latin = len(_ASCII_LETTER.findall(text))
    return "zh" if han > latin else "en"


def parse_page(
    text: str,
    source: str,
    episode_id: str,
    language: str | None = None,
    published: date | None = None,
) -> Episode:
    reader = _Reader(source, text)
    data, translations = reader.read()
    if reader.errors:
        raise IngestError(_at_most(reader.errors, MAX_PROBLEMS, printable(source)))
    page_language = language or _guess_language(data)
    ordered = {
        "schema_version": SCHEMA_VERSION,
        "id": episode_id,
        "title": data.pop("title"),
        **{key: data.pop(key) for key in ("category", "duration_minutes") if key in data},
        "speakers": data.pop("speakers", []),
        "language": page_language,
        "translations": [code for code in translations if code != page_language],
        **data,
        # The page format has no date line: it comes from the command line when known.
        **({"published": published} if published else {}),
    }
    try:
        return Episode.model_validate(ordered)
    except ValidationError as error:
        located = _located(source, error, reader.origins)
        raise IngestError(_at_most(located, MAX_PROBLEMS, printable(source))) from None


def _at_most(lines: list[str], limit: int, source: str) -> list[str]:
    """The first ``limit`` problems and a line counting the rest: a page of 100,000 bad
    lines is not 100,000 lines on the terminal."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"{source}: and {len(lines) - limit:,} more problems"]


def _located(
    source: str, error: ValidationError, origins: dict[tuple[str | int, ...], int]
) -> list[str]:
    lines = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        line = origins.get(loc[:2]) or origins.get(loc[:1]) or 1
        lines.append(f"{printable(source)}:{line}: {field_path(loc)}: {detail['msg']}")
    return lines


def ingest_page(
    path: Path,
    episode_id: str | None = None,
    language: str | None = None,
    published: date | None = None,
) -> Episode:
    """Read one source page file; every problem is an IngestError with line numbers."""
    source = str(path)
    try:
        # The same bound and the same refusals as an episode file (``briefing export``).
        text = read_input(path).decode("utf-8-sig")
    except InputError as error:
        raise IngestError([str(problem) for problem in error.problems]) from None
    except UnicodeDecodeError as error:
        message = f"{printable(source)}:1: not UTF-8 text (byte {error.start})"
        raise IngestError([message]) from None
    chosen_id = episode_id or slugify(path.stem)
    if not chosen_id:
        message = f"{printable(source)}:1: cannot make an id from the file name; pass --id"
        raise IngestError([message])
    return parse_page(text, source, chosen_id, language, published)
