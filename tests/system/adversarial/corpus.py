"""The adversarial corpus: cases, their expected outcomes, and the bulky cases built at test time.

A case is an input (an episode ``NAME.json`` or a source page ``NAME.txt``) and,
beside it, ``NAME.expected``:

    # why the case exists (comment lines start with #)
    exported
    takeaways.0 = "AT&T"          <- a field of the episode, and its text after
                                     normalisation, as a JSON string

or

    # why
    refused
    CASE:id: must be lowercase ...  <- the one error line, CASE standing for the input's path

Bulky cases (megabytes, thousands of items, files past the size limit) are not
committed: ``GENERATED`` builds them from a few lines of code each.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from briefing.model import (
    MAX_EPISODE_CHARS,
    MAX_EPISODE_LINE_BREAKS,
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    Episode,
)
from briefing.source import MAX_INPUT_BYTES

CASES_DIR = Path(__file__).parent / "cases"
PLACEHOLDER = "CASE"
EXCEL_CELL_LIMIT = 32_767
"""Excel's most UTF-16 code units in one cell; openpyxl cuts longer text without a word."""


@dataclass(frozen=True)
class Expectation:
    outcome: Literal["exported", "refused"]
    texts: tuple[tuple[str, str], ...] = ()
    """(field path, text after normalisation) that every format must show exactly."""
    error: str = ""
    """The one error line, starting with ``CASE``."""
    why: str = ""

    def error_line(self, input_path: Path) -> str:
        assert self.error.startswith(PLACEHOLDER), self.error
        return str(input_path) + self.error[len(PLACEHOLDER) :]


def parse_expectation(text: str) -> Expectation:
    comments = [line[1:].strip() for line in text.split("\n") if line.startswith("#")]
    lines = [line for line in text.split("\n") if line and not line.startswith("#")]
    why = " ".join(comments)
    if lines[0] == "refused":
        if len(lines) != 2:
            raise ValueError(f"a refused case has exactly one error line, got {lines[1:]}")
        return Expectation("refused", error=lines[1], why=why)
    if lines[0] != "exported":
        raise ValueError(f"the first line is 'exported' or 'refused', got {lines[0]!r}")
    texts = []
    for line in lines[1:]:
        path, separator, value = line.partition(" = ")
        if not separator:
            raise ValueError(f"expected 'field.path = \"text\"', got {line!r}")
        texts.append((path, json.loads(value)))
    return Expectation("exported", texts=tuple(texts), why=why)


@dataclass(frozen=True)
class Case:
    name: str
    kind: Literal["episode", "page"]
    expectation: Expectation
    committed: Path | None = None
    """The input file in ``cases/``; None for a generated case."""
    build: Callable[[Path], Path] | None = field(default=None, compare=False)
    """For a generated case: writes the input into the folder given, returns its path."""

    @property
    def exported(self) -> bool:
        return self.expectation.outcome == "exported"

    def materialise(self, folder: Path) -> Path:
        if self.committed is not None:
            return self.committed
        assert self.build is not None
        folder.mkdir(parents=True, exist_ok=True)
        return self.build(folder)

    def __str__(self) -> str:
        return self.name


def committed_cases() -> list[Case]:
    cases = []
    for expected in sorted(CASES_DIR.glob("*.expected")):
        inputs = [p for p in CASES_DIR.glob(f"{expected.stem}.*") if p.suffix in (".json", ".txt")]
        if len(inputs) != 1:
            raise ValueError(f"{expected.name} needs exactly one .json or .txt beside it")
        (source,) = inputs
        kind: Literal["episode", "page"] = "episode" if source.suffix == ".json" else "page"
        expectation = parse_expectation(expected.read_text(encoding="utf-8"))
        cases.append(Case(expected.stem, kind, expectation, committed=source))
    return cases


def field_value(episode: Episode, path: str) -> Any:
    """``segments.3.summary`` of an episode."""
    value: Any = episode
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def shows_cut_in_cell(cells_text: str, cell_separator: str, text: str, marker: str) -> bool:
    """Whether a spreadsheet cell holds as much of ``text`` as fits, then says it was cut.

    ``marker`` is the labels' truncation note for this text (``{chars}`` filled in).
    """
    note = "\n" + marker
    for cell in cells_text.split(cell_separator):
        if not cell.endswith(note) or utf16_length(cell) > EXCEL_CELL_LIMIT:
            continue
        kept = cell[: -len(note)]
        # Only whitespace at the cut may be dropped: the cell is as full as it can be.
        if (
            text.startswith(kept)
            and utf16_length(kept) >= EXCEL_CELL_LIMIT - utf16_length(note) - 1
        ):
            return True
    return False


# -- generated cases -------------------------------------------------------------------

_WORDS = [
    "agents",
    "memory",
    "compression",
    "tokens",
    "weights",
    "cache",
    "learning",
    "reward",
    "evolution",
    "tutor",
    "culture",
    "horizon",
    "decade",
    "scaling",
    "research",
]


def prose(length: int, seed: int) -> str:
    """Readable words separated by single spaces, exactly ``length`` characters long."""
    chooser = random.Random(seed)
    text = ""
    while len(text) < length:
        text += chooser.choice(_WORDS) + " "
    text = text[:length]
    # Never end on a space: text is trimmed on the way in.
    return text[:-1] + "s" if text.endswith(" ") else text


def _stamp(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def _episode(episode_id: str, **fields: Any) -> dict[str, Any]:
    return {"schema_version": 1, "id": episode_id, "title": f"Generated: {episode_id}", **fields}


def _json_case(
    name: str, make: Callable[[], dict[str, Any] | bytes], expectation: Expectation
) -> Case:
    def build(folder: Path) -> Path:
        made = make()
        path = folder / f"{name}.json"
        data = made if isinstance(made, bytes) else json.dumps(made).encode("utf-8")
        path.write_bytes(data)
        return path

    return Case(name, "episode", expectation, build=build)


def _exported(*texts: tuple[str, str], why: str) -> Expectation:
    return Expectation("exported", texts=texts, why=why)


def _refused(line: str, why: str) -> Expectation:
    return Expectation("refused", error=line, why=why)


LONG_PARAGRAPH = prose(5_000, seed=1)
LONG_WORD = "".join(random.Random(2).choice("abcdefghijklmnopqrstuvwxyz") for _ in range(300))
LONG_URL = "https://example.org/" + "/".join(f"segment{index:04d}" for index in range(180))[:1980]
OVER_CELL = prose(40_000, seed=3)
EMOJI_OVER_CELL = "😀" * 17_000
"""17,000 characters but 34,000 UTF-16 units: over Excel's limit only when counted as Excel does."""
LONGEST_TEXT = prose(MAX_TEXT_CHARS, seed=4)
LONG_HORIZON = "a" * 50_000
"""One run of letters: where the horizon pattern used to try every position (quadratic)."""


def _sparse_oversized(folder: Path) -> Path:
    path = folder / "file-too-large.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)
    return path


def _sparse_oversized_page(folder: Path) -> Path:
    path = folder / "page-too-large.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)
    return path


def _page_text_case(name: str, text: str, expectation: Expectation) -> Case:
    def build(folder: Path) -> Path:
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        return path

    return Case(name, "page", expectation, build=build)


_HEADER_EXPECTED = (
    "expected a header (Category:, Duration:, Speakers:, ▶ Watch, Switch language →) "
    "or a section heading"
)


def _page_case(file_name: str, name: str, expectation: Expectation) -> Case:
    def build(folder: Path) -> Path:
        path = folder / file_name
        path.write_text("A page\n\nCategory: Tests · Duration: 5 min\n", encoding="utf-8")
        return path

    return Case(name, "page", expectation, build=build)


GENERATED: list[Case] = [
    _json_case(
        "long-paragraph",
        lambda: _episode(
            "long-paragraph", takeaways=[LONG_PARAGRAPH], quotes=[{"text": LONG_PARAGRAPH}]
        ),
        _exported(("takeaways.0", LONG_PARAGRAPH), why="a 5,000-character paragraph wraps, whole"),
    ),
    _json_case(
        "long-word",
        lambda: _episode(
            "long-word",
            title=LONG_WORD,
            speakers=[LONG_WORD],
            duration_minutes=5,
            segments=[{"at": "00:00", "title": LONG_WORD, "summary": LONG_WORD}],
            predictions=[{"at": "01:00", "horizon": LONG_WORD, "statement": LONG_WORD}],
            facts=[{"at": "02:00", "kind": "Long", "statement": LONG_WORD, "value": LONG_WORD}],
            takeaways=[LONG_WORD],
        ),
        _exported(
            ("takeaways.0", LONG_WORD),
            ("predictions.0.statement", LONG_WORD),
            why="a 300-character word with no break point, in a title, a table cell and a value",
        ),
    ),
    _json_case(
        "long-url",
        lambda: _episode("long-url", watch_url=LONG_URL, takeaways=[LONG_URL], topics=[LONG_URL]),
        _exported(
            ("takeaways.0", LONG_URL),
            why="a 2,000-character URL as text and as the watch link",
        ),
    ),
    _json_case(
        "many-segments",
        lambda: _episode(
            "many-segments",
            duration_minutes=2_000,
            segments=[
                {"at": _stamp(index * 60), "title": f"Segment {index:04d}"}
                for index in range(2_000)
            ],
            claims=[{"at": _stamp(119_940), "kind": "Last", "claim": "In the last segment."}],
        ),
        _exported(
            ("segments.0.title", "Segment 0000"),
            ("segments.1999.title", "Segment 1999"),
            why="2,000 segments, every one shown",
        ),
    ),
    _json_case(
        "excel-cell-limit",
        lambda: _episode("excel-cell-limit", takeaways=[OVER_CELL], topics=["short"]),
        _exported(
            ("takeaways.0", OVER_CELL),
            why="40,000 characters: cut in the workbook, which says so; whole everywhere else",
        ),
    ),
    _json_case(
        "excel-cell-limit-utf16",
        lambda: _episode("excel-cell-limit-utf16", takeaways=[EMOJI_OVER_CELL]),
        _exported(
            ("takeaways.0", EMOJI_OVER_CELL),
            why="17,000 emoji are 34,000 UTF-16 units: Excel's limit counts those",
        ),
    ),
    _json_case(
        "longest-text",
        lambda: _episode(
            "longest-text",
            duration_minutes=5,
            claims=[{"at": "01:00", "kind": "Long", "claim": LONGEST_TEXT}],
        ),
        _exported(
            ("claims.0.claim", LONGEST_TEXT),
            why="the longest text allowed: whole in every format but the workbook, which says so",
        ),
    ),
    _json_case(
        "long-horizon",
        lambda: _episode(
            "long-horizon",
            duration_minutes=5,
            predictions=[{"at": "01:00", "horizon": LONG_HORIZON, "statement": "Long horizon."}],
        ),
        _exported(
            ("predictions.0.horizon", LONG_HORIZON),
            why="a 50,000-character horizon: reading its years was quadratic (minutes: a hang)",
        ),
    ),
    _json_case(
        "text-too-long",
        lambda: _episode("text-too-long", takeaways=["x" * (MAX_TEXT_CHARS + 1)]),
        _refused(
            f"{PLACEHOLDER}:takeaways.0: String should have at most {MAX_TEXT_CHARS} characters",
            why="one character over the text limit",
        ),
    ),
    _json_case(
        "too-many-items",
        lambda: _episode("too-many-items", topics=[f"t{index}" for index in range(MAX_ITEMS + 1)]),
        _refused(
            f"{PLACEHOLDER}:topics: List should have at most {MAX_ITEMS} items after validation, "
            f"not {MAX_ITEMS + 1}",
            why="one item over the list limit",
        ),
    ),
    _json_case(
        "episode-text-too-long",
        lambda: _episode(
            "episode-text-too-long",
            # Together exactly the limit: with the title, the last one passes it.
            takeaways=["x" * MAX_TEXT_CHARS] * (MAX_EPISODE_CHARS // MAX_TEXT_CHARS),
        ),
        _refused(
            f"{PLACEHOLDER}:takeaways.{MAX_EPISODE_CHARS // MAX_TEXT_CHARS - 1}: the episode's text "
            f"passes {MAX_EPISODE_CHARS:,} characters here, the most an episode holds",
            why="every text within its limit, all of them together over the episode's",
        ),
    ),
    _json_case(
        "too-many-line-breaks",
        lambda: _episode(
            "too-many-line-breaks",
            takeaways=["a" + "\n" * (MAX_TEXT_CHARS - 2) + "b"]
            * (MAX_EPISODE_LINE_BREAKS // (MAX_TEXT_CHARS - 2) + 1),
        ),
        _refused(
            f"{PLACEHOLDER}:takeaways.{MAX_EPISODE_LINE_BREAKS // (MAX_TEXT_CHARS - 2)}: the "
            f"episode's text passes {MAX_EPISODE_LINE_BREAKS:,} line breaks here, the most an "
            "episode holds",
            why="empty lines cost the PDF a line each: their number in all is bounded",
        ),
    ),
    _json_case(
        "deeply-nested",
        lambda: b"[" * 100_000 + b"]" * 100_000,
        _refused(
            f"{PLACEHOLDER}: not valid JSON: nested too deeply",
            why="JSON nested 100,000 levels deep",
        ),
    ),
    _json_case(
        "deeply-nested-field",
        lambda: (
            b'{"schema_version": 1, "id": "x", "title": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
        ),
        _refused(
            f"{PLACEHOLDER}: not valid JSON: nested too deeply",
            why="a field nested 50,000 levels deep",
        ),
    ),
    _json_case(
        "json-ten-million-character-key",
        lambda: {**_episode("huge-key"), "k" * 10_000_000: 1},
        _refused(
            f"{PLACEHOLDER}:{'k' * 60}… (10,000,000 characters): unknown field",
            why="an unknown key of ten million characters: one short line, not ten megabytes",
        ),
    ),
    Case(
        "file-too-large",
        "episode",
        _refused(
            f"{PLACEHOLDER}: file is {MAX_INPUT_BYTES + 1:,} bytes; the limit is "
            f"{MAX_INPUT_BYTES // 2**20} MiB",
            why="one byte over the input size limit (a sparse file: nothing is read)",
        ),
        build=_sparse_oversized,
    ),
    Case(
        "page-too-large",
        "page",
        _refused(
            f"{PLACEHOLDER}: file is {MAX_INPUT_BYTES + 1:,} bytes; the limit is "
            f"{MAX_INPUT_BYTES // 2**20} MiB",
            why="ingest has the limit of export: one byte over it is refused, nothing read",
        ),
        build=_sparse_oversized_page,
    ),
    _page_text_case(
        "page-padded-separators",
        "A page\n\n" + " · " * 20_000 + "x\n",
        _refused(
            f"{PLACEHOLDER}:3: {_HEADER_EXPECTED}, got '·' (and 19,999 more parts)",
            why="a line of 20,000 separators is one mistake, one line",
        ),
    ),
    _page_text_case(
        "page-padded-heading",
        "A page\n\nCategory: Tests · Duration: 5 min\n\nSegments" + " " * 50_000 + "(7\n",
        _refused(
            f"{PLACEHOLDER}:5: {_HEADER_EXPECTED}, got 'Segments{' ' * 52}'… (50,010 characters)",
            why="the heading pattern passed over a padded line 61 times; the line is quoted, cut",
        ),
    ),
    _page_text_case(
        "page-padded-quote",
        "A page\n\nCategory: Tests · Duration: 5 min\n\nNotable Quotes\n"
        + "Padded. —"
        + " " * 3_000
        + "Ada @ 01:00\n",
        _exported(
            ("quotes.0.text", "Padded."),
            ("quotes.0.speaker", "Ada"),
            why="spaces around a quote's dash: the quote pattern was cubic (2,000 took 41 s)",
        ),
    ),
    _page_case(
        "CON.txt",
        "page-named-con",
        _refused(
            f"{PLACEHOLDER}:1: id: 'con' is reserved (a device name on Windows or a file the tool "
            "writes)",
            why="an id taken from the page's file name is checked like any id",
        ),
    ),
    _page_case(
        "中文.txt",
        "page-named-without-latin-letters",
        _refused(
            f"{PLACEHOLDER}:1: cannot make an id from the file name; pass --id",
            why="no id can be made from the file name",
        ),
    ),
]

LARGEST_EPISODE_BYTES = 3 * 2**20
"""More than this in the largest-episode case: it is near ``MAX_EPISODE_CHARS``."""


def largest_episode() -> dict[str, Any]:
    """2,000 segments of 1,950 characters each: about 3.9 million characters of text, near
    the most an episode holds (``MAX_EPISODE_CHARS``), nearly 4 MB of JSON."""
    return _episode(
        "largest-episode",
        duration_minutes=2_000,
        segments=[
            {
                "at": _stamp(index * 60),
                "title": f"Segment {index:04d}",
                "summary": f"Start of summary {index:04d}. " + prose(1_950, seed=index),
            }
            for index in range(2_000)
        ],
    )
