"""Reading episode files: bytes -> JSON -> Episode, every problem as one line.

A problem line is ``file:field.path: message``, the same in ``validate`` and
``export``. Nothing here prints or exits; callers decide.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefing.model import Episode
from briefing.reading import UnreadableInput, read_bounded

MAX_INPUT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    source: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        source = printable(self.source)
        where = f"{source}:{self.field}" if self.field else source
        return f"{where}: {self.message}"


class InputError(Exception):
    """An input that cannot become an Episode; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def field_path(loc: Iterable[str | int]) -> str:
    """``('segments', 3, 'at')`` -> ``segments.3.at``.

    An unknown key comes from the input, so characters that would break the one-line
    message or reorder it on screen (NUL, newline, bidi overrides) are shown escaped.
    """
    return ".".join(printable(str(part), SHOWN_CHARS) for part in loc)


SHOWN_CHARS = 60
"""How much of a value from the input a message quotes."""


def printable(text: str, limit: int | None = None) -> str:
    """``text`` safe to print on one line: every character that is not printable (NUL,
    newline, bidi overrides, zero-width marks) as its escape, so a file name or a key
    can neither start a line of its own nor reorder the line on screen; with ``limit``,
    cut after that many characters, saying how long it was."""
    if text.isprintable() and (limit is None or len(text) <= limit):
        return text  # the common case, settled in C
    cut = text if limit is None or len(text) <= limit else text[:limit]
    escaped = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in cut)
    return escaped if cut is text else f"{escaped}… ({len(text):,} characters)"


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value from the input, quoted for a message: repr (which escapes what is not
    printable), at most ``limit`` characters of it."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= limit + 2 else f"{text[:limit]}… ({len(text):,} characters)"


def problems_from_validation(source: str, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        message = detail["msg"]
        if detail["type"] == "missing":
            message = "required field is missing"
        elif detail["type"] == "extra_forbidden":
            message = "unknown field"
        elif detail["type"] in ("string_too_short", "too_short") and (
            detail.get("ctx", {}).get("min_length") == 1
        ):
            message = "must not be empty"
        elif detail["type"] == "literal_error" and detail["loc"] == ("schema_version",):
            message = f"unsupported schema_version {detail['input']!r}; this version reads 1"
        problems.append(Problem(source, message, field_path(detail["loc"])))
    return problems


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Called for every object of the file: the common case (distinct ASCII keys) is
    # settled by two calls into C, without a Python step per key or per character.
    # Anything else is looked at key by key, so the first offending key is the one named.
    built = dict(pairs)
    if len(built) == len(pairs) and "".join(built).isascii():
        return built
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        if any("\ud800" <= ch <= "\udfff" for ch in key):
            # A key is a name, not text to clean up; the model could not even say which.
            raise ValueError(f"key {key!r} holds a lone surrogate, which is not a character")
        seen[key] = value
    return seen


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(source: str, data: bytes) -> Any:
    """Strict JSON: UTF-8 (a leading BOM is fine), no duplicate keys, no NaN/Infinity."""
    if not data.strip():
        raise InputError([Problem(source, "file is empty")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            [Problem(source, f"not UTF-8 text (byte {error.start}: {error.reason})")]
        ) from None
    try:
        return json.loads(
            text, object_pairs_hook=_reject_duplicate_keys, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        raise InputError([Problem(source, message)]) from None
    except ValueError as error:
        raise InputError([Problem(source, f"not valid JSON: {error}")]) from None
    except RecursionError:
        raise InputError([Problem(source, "not valid JSON: nested too deeply")]) from None


def episode_from_data(source: str, data: Any) -> Episode:
    if not isinstance(data, dict):
        kind = type(data).__name__.replace("dict", "object").replace("list", "array")
        raise InputError([Problem(source, f"expected a JSON object (an episode), got {kind}")])
    try:
        return Episode.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(source, error)) from None


def read_input(path: Path) -> bytes:
    """The bytes of one input file, refused as one line when it is not a regular file or
    is over ``MAX_INPUT_BYTES`` (``briefing.reading``: bounded, never trusting stat())."""
    try:
        return read_bounded(path, MAX_INPUT_BYTES)
    except UnreadableInput as error:
        raise InputError([Problem(str(path), str(error))]) from None


def load_episode(path: Path) -> Episode:
    """Read and validate one episode file; every failure is an InputError."""
    source = str(path)
    return episode_from_data(source, parse_json(source, read_input(path)))


def discover_inputs(paths: Iterable[Path]) -> Iterator[Path | Problem]:
    """Files as given, folders as their ``*.json`` files in name order."""
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                yield Problem(str(path), "no episode files (*.json) in this folder")
            yield from found
        elif path.exists():
            yield path
        else:
            yield Problem(str(path), "no such file or folder")


def episode_json(episode: Episode) -> str:
    """The canonical JSON text of an episode, as stored under ``data/episodes/``."""
    data = episode.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
