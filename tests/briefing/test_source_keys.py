"""The duplicate-key and key-character checks of ``briefing.source.parse_json``."""

from __future__ import annotations

import pytest

from briefing.source import InputError, parse_json


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
