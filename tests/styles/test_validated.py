"""Themes validated once (``styles.validated``): a theme read back from the cache is the
theme validation makes, field by field and with the same fields set; a new process reads
it without building pydantic's validators; a spoilt entry is validated again; a theme that
does not validate is never kept; changed data is a new entry."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from briefing.cache import FolderCache
from styles import Theme, ThemeError, available_themes, load_theme
from tests.counting_cache import CountingCache

FOLDER = "theme"
OWN_THEME = """extends = "print"
name = "brand"
[colours]
accent = "#112233"
[page]
margin_left_mm = 25.5
[fonts.east_asian]
ja = "Meiryo"
"""


def fields_set(model: BaseModel) -> dict[str, Any]:
    """The fields each section of ``model`` was given, section by section."""
    nested = {
        name: fields_set(value)
        for name in type(model).model_fields
        if isinstance(value := getattr(model, name), BaseModel)
    }
    return {"set": sorted(model.model_fields_set), **nested}


def theme_paths(tmp_path: Path) -> list[str]:
    own = tmp_path / "brand.toml"
    own.write_text(OWN_THEME, encoding="utf-8")
    return [*available_themes(), str(own)]


def test_a_kept_theme_is_the_validated_theme(tmp_path: Path) -> None:
    for name in theme_paths(tmp_path):
        validated = load_theme(name)
        cache = CountingCache(tmp_path / "cache", FOLDER)
        first = load_theme(name, cache)
        kept = load_theme(name, cache)
        assert cache.hits and len(cache.hits) == 1, name
        for theme in (first, kept):
            assert theme == validated
            assert theme.plain_data() == validated.model_dump(mode="json")
            assert fields_set(theme) == fields_set(validated)
            assert repr(theme) == repr(validated)
        cache.hits.clear()
    own = load_theme(str(tmp_path / "brand.toml"), FolderCache(tmp_path / "cache"))
    assert (own.colours.accent, own.page.margin_left_mm, own.fonts.east_asian.ja) == (
        "#112233",
        25.5,
        "Meiryo",
    )
    assert own.fonts.body == load_theme("print").fonts.body


def test_a_new_process_reads_the_kept_theme_without_building_validators(
    tmp_path: Path,
) -> None:
    load_theme("default", FolderCache(tmp_path))
    program = (
        "from pathlib import Path\n"
        "from briefing.cache import FolderCache\n"
        "import styles\n"
        f"theme = styles.load_theme('default', FolderCache(Path({str(tmp_path)!r})))\n"
        "kinds = {type(kind.__pydantic_validator__).__name__ for kind in"
        " (styles.Theme, styles.Page, styles.Fonts, styles.EastAsianFonts, styles.Colours)}\n"
        "print(sorted(kinds), theme.fonts.body, theme.page.size)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    default = load_theme("default")
    assert done.stdout.split() == ["['MockValSer']", *default.fonts.body.split(), "A4"]


def spoilt_entries(entry: bytes) -> list[bytes]:
    digest, _, body = entry.partition(b"\n")
    values = json.loads(body)
    without_page = json.dumps({k: v for k, v in values.items() if k != "page"}).encode()
    wrong_type = json.dumps({**values, "name": ["not", "a", "name"]}).encode()
    unknown = json.dumps({**values, "extra": 1}).encode()

    def signed(body: bytes) -> bytes:
        return hashlib.sha256(body).hexdigest().encode() + b"\n" + body

    return [
        b"",
        entry[: len(entry) // 2],
        digest + b"\n" + body.replace(b"#", b"%"),
        signed(b"not json"),
        signed(b"[1, 2]"),
        signed(without_page),
        signed(wrong_type),
        signed(unknown),
    ]


def test_a_spoilt_entry_is_validated_again(tmp_path: Path) -> None:
    validated = load_theme("default")
    load_theme("default", FolderCache(tmp_path))
    (entry,) = (tmp_path / FOLDER).iterdir()
    kept = entry.read_bytes()
    for spoilt in spoilt_entries(kept):
        entry.write_bytes(spoilt)
        cache = CountingCache(tmp_path, FOLDER)
        theme = load_theme("default", cache)
        assert theme == validated and fields_set(theme) == fields_set(validated)
        assert entry.read_bytes() == kept, spoilt[:60]


def test_a_theme_that_does_not_validate_is_never_kept(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[colours]\naccent = "red"\n', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ThemeError, match=r"bad\.toml: colours\.accent"):
            load_theme(str(bad), FolderCache(tmp_path / "cache"))
    assert not (tmp_path / "cache").exists()


def test_changed_data_is_a_new_entry(tmp_path: Path) -> None:
    own = tmp_path / "mine.toml"
    cache = FolderCache(tmp_path / "cache")
    own.write_text('[colours]\naccent = "#112233"\n', encoding="utf-8")
    assert load_theme(str(own), cache).colours.accent == "#112233"
    own.write_text('[colours]\naccent = "#445566"\n', encoding="utf-8")
    assert load_theme(str(own), cache).colours.accent == "#445566"
    assert len(list((tmp_path / "cache" / FOLDER).iterdir())) == 2
    assert isinstance(load_theme(str(own), cache), Theme)
