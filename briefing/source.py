"""Reading episode files: bytes -> JSON -> Episode, every problem as one line.

A problem line is ``file:field.path: message``, the same in ``validate`` and
``export``. Nothing here prints or exits; callers decide.
"""

from __future__ import annotations

import difflib
import json
import os
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from briefing.model import SCHEMA_VERSION, Episode
from briefing.quoting import SHOWN_CHARS, printable, shown
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


def problems_from_validation(source: str, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        message = detail["msg"]
        loc = tuple(detail["loc"])
        if loc == ("schema_version",):
            message = _schema_version_message(detail)
        elif detail["type"] == "missing":
            message = "required field is missing"
        elif detail["type"] == "extra_forbidden":
            message = "unknown field" + _did_you_mean(loc)
        elif detail["type"] in ("string_too_short", "too_short") and (
            detail.get("ctx", {}).get("min_length") == 1
        ):
            message = "must not be empty"
        problems.append(Problem(source, message, field_path(loc)))
    return problems


def _schema_version_message(detail: Any) -> str:
    reads = f"this version reads {SCHEMA_VERSION}"
    if detail["type"] == "missing":
        return f"required field is missing; {reads}"
    return f"unsupported schema_version {shown(detail['input'])}; {reads}"


def _did_you_mean(loc: tuple[str | int, ...]) -> str:
    """``; did you mean 'predictions'?`` for a misspelt field, from the fields of the
    record it sits in (difflib's ratio: a key close enough to one known key)."""
    *parents, key = loc
    known = _fields_at(tuple(parents))
    if not isinstance(key, str) or len(key) > 100 or not known:
        return ""  # a long key is no typo (and difflib would spend long on it)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if not close and key.lower() in known:
        close = [key.lower()]
    return f"; did you mean {close[0]!r}?" if close else ""


def _fields_at(loc: tuple[str | int, ...]) -> list[str]:
    """The field names of the record at ``loc`` (``("predictions", 3)`` -> Prediction's)."""
    model: Any = Episode
    for part in loc:
        if isinstance(part, int):
            continue  # an item of the list the previous part named
        field = model.model_fields.get(part) if _is_model(model) else None
        if field is None:
            return []
        model = _record_type(field.annotation)
    return list(model.model_fields) if _is_model(model) else []


def _is_model(candidate: Any) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, BaseModel)


def _record_type(annotation: Any) -> Any:
    """The model inside ``list[Segment]``, ``Quote | None``, ``Annotated[list[X], ...]``."""
    if _is_model(annotation):
        return annotation
    for argument in typing.get_args(annotation):
        found = _record_type(argument)
        if found is not None:
            return found
    return None


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
            raise ValueError(f"duplicate key {shown(key)}")
        if any("\ud800" <= ch <= "\udfff" for ch in key):
            # A key is a name, not text to clean up; the model could not even say which.
            raise ValueError(f"key {shown(key)} holds a lone surrogate, which is not a character")
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
    """Files as given, folders as their ``*.json`` files in name order: what
    ``sorted(path.glob("*.json"))`` gives, made paths one at a time from names held as
    bytes, so that a folder of 100,000 episodes costs 6 MB while it is exported, not the
    45 MB of its paths (and Python's table of interned names does not grow with it)."""
    for path in paths:
        if path.is_dir():
            names = _episode_names(path)
            if not names:
                yield Problem(str(path), "no episode files (*.json) in this folder")
            for name in names:
                yield path / os.fsdecode(name)
        elif path.exists():
            yield path
        else:
            yield Problem(str(path), "no such file or folder")


def count_inputs(paths: Iterable[Path]) -> tuple[int, list[Problem]]:
    """How many episode files ``discover_inputs`` would give, and its problems, without
    holding the names."""
    count, problems = 0, []
    for path in paths:
        if path.is_dir():
            found = sum(1 for _ in _scan(path))
            if not found:
                problems.append(Problem(str(path), "no episode files (*.json) in this folder"))
            count += found
        elif path.exists():
            count += 1
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    return count, problems


def _scan(folder: Path) -> Iterator[bytes]:
    """The names in ``folder`` ending in ``.json`` (hidden ones too, as ``Path.glob``);
    none when it cannot be listed."""
    try:
        with os.scandir(os.fsencode(folder)) as entries:
            for entry in entries:
                if entry.name.endswith(b".json"):
                    yield entry.name
    except OSError:
        return


def _episode_names(folder: Path) -> list[bytes]:
    """``_scan``'s names in the order of their text. For names that are UTF-8 (all but
    undecodable ones) byte order is code point order, which is how Python sorts text."""
    names = list(_scan(folder))
    try:
        for name in names:
            name.decode("utf-8")
    except UnicodeDecodeError:
        return sorted(names, key=os.fsdecode)
    names.sort()
    return names


def episode_json(episode: Episode) -> str:
    """The canonical JSON text of an episode, as stored under ``data/episodes/``."""
    data = episode.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
