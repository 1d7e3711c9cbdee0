"""The duplicate-key and key-character checks of ``briefing.source.parse_json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.source import InputError, episode_from_data, load_episode, parse_json


def test_distinct_keys_pass_in_order_ascii_or_not() -> None:
    assert list(parse_json("x", b'{"b": 1, "a": {"cl\xc3\xa9": 2, "z": 3}}')) == ["b", "a"]
    assert parse_json("x", '{"clé": {"中文": 1}}'.encode()) == {"clé": {"中文": 1}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1, "b": 2, "a": 3}', "duplicate key 'a'"),
        ('{"a": {"x": 1, "x": 2}}', "duplicate key 'x'"),
        ('{"\\ud800": 1}', "key '\\ud800' holds a lone surrogate"),
        # The first offending key is the one named, whichever check it fails.
        ('{"\\udc00k": 1, "a": 1, "a": 2}', "key '\\udc00k' holds a lone surrogate"),
        ('{"a": 1, "a": 2, "\\udc00k": 1}', "duplicate key 'a'"),
    ],
)
def test_the_first_offending_key_is_named(text: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_json("episode.json", text.encode())
    assert str(raised.value).startswith(f"episode.json: not valid JSON: {message}")


def test_an_unknown_key_of_ten_million_characters_is_a_short_line(tmp_path: Path) -> None:
    key = "k" * 10_000_000
    path = tmp_path / "huge-key.json"
    path.write_text(json.dumps({"schema_version": 1, "id": "x", "title": "T", key: 1}))
    with pytest.raises(InputError) as raised:
        load_episode(path)
    (line,) = str(raised.value).splitlines()
    assert line == f"{path}:{'k' * 60}… (10,000,000 characters): unknown field"


def test_a_duplicate_key_of_ten_million_characters_is_a_short_line() -> None:
    key = "d" * 10_000_000
    with pytest.raises(InputError) as raised:
        parse_json("x.json", json.dumps({}).replace("}", f'"{key}": 1, "{key}": 2}}').encode())
    (line,) = str(raised.value).splitlines()
    assert len(line) < 200 and "(10,000,000 characters)" in line


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("two\nlines.json", "two\\nlines.json"),
        ("evil\u202enosj.json", "evil\\u202enosj.json"),
        ("cr\rx: all good.json", "cr\\rx: all good.json"),
    ],
)
def test_a_file_name_cannot_forge_a_line_or_reorder_it(
    tmp_path: Path, name: str, shown: str
) -> None:
    path = tmp_path / name
    path.write_text('{"schema_version": 1}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path}/{shown}:id: required field is missing",
        f"{tmp_path}/{shown}:title: required field is missing",
        "0 of 1 valid.",
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration_minutes", True, "expected a whole number, got True"),
        ("duration_minutes", "146", "expected a whole number, got '146'"),
        ("schema_version", True, "unsupported schema_version True; this version reads 1"),
        ("schema_version", 2, "unsupported schema_version 2; this version reads 1"),
        ("published", "2025-10-17T00:00:00", "expected a date as YYYY-MM-DD"),
        ("published", 1760659200, "expected a date as YYYY-MM-DD"),
    ],
)
def test_integers_and_dates_are_what_the_published_schema_says(
    tmp_path: Path, field: str, value: object, message: str
) -> None:
    """pydantic's lax mode took ``true`` as 1, ``"146"`` as 146 and a Unix time as a
    date; the schema we publish says integer and a YYYY-MM-DD string."""
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"schema_version": 1, "id": "x", "title": "T", field: value}))
    with pytest.raises(InputError) as raised:
        load_episode(path)
    (line,) = str(raised.value).splitlines()
    assert line.startswith(f"{path}:{field}: {message}")


def test_a_whole_number_written_with_a_point_is_still_an_integer(tmp_path: Path) -> None:
    """146.0 is an integer to JSON Schema, so it is one here too."""
    path = tmp_path / "x.json"
    path.write_text('{"schema_version": 1.0, "id": "x", "title": "T", "duration_minutes": 146.0}')
    assert load_episode(path).duration_minutes == 146


def test_a_misspelt_field_suggests_the_known_one_at_its_level() -> None:
    data = {
        "schema_version": 1,
        "id": "x",
        "title": "T",
        "segments": [{"at": "00:00", "title": "A", "sumary": "B"}],
        "facts": [{"at": "00:01", "kind": "K", "statement": "S", "valeu": "1"}],
        "zzzzzz": 1,
    }
    with pytest.raises(InputError) as raised:
        episode_from_data("x.json", data)
    assert str(raised.value).splitlines() == [
        "x.json:segments.0.sumary: unknown field; did you mean 'summary'?",
        "x.json:facts.0.valeu: unknown field; did you mean 'value'?",
        "x.json:zzzzzz: unknown field",
    ]
