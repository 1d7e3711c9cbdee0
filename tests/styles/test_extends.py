"""``extends`` resolves relative to the file that names it; errors name the file at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from styles import ThemeError, load_theme


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_relative_path_is_relative_to_the_theme_file_not_the_folder_run_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "brand" / "base.toml", '[colours]\naccent = "#112233"\n')
    mine = write(tmp_path / "teams" / "red" / "mine.toml", 'extends = "../../brand/base.toml"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert load_theme(str(mine)).colours.accent == "#112233"


def test_a_chain_resolves_each_link_from_its_own_file(tmp_path: Path) -> None:
    write(tmp_path / "a" / "base.toml", 'extends = "print"\n[colours]\naccent = "#112233"\n')
    write(tmp_path / "b" / "middle.toml", 'extends = "../a/base.toml"\n[page]\nsize = "A4"\n')
    top = write(tmp_path / "c" / "top.toml", 'extends = "../b/middle.toml"\n')
    theme = load_theme(str(top))
    assert (theme.colours.accent, theme.page.size, theme.fonts.body) == (
        "#112233",
        "A4",
        "IBM Plex Serif",
    )


def test_a_missing_parent_names_the_file_that_names_it(tmp_path: Path) -> None:
    mine = write(tmp_path / "mine.toml", 'extends = "brand/base.toml"\n')
    with pytest.raises(ThemeError) as raised:
        load_theme(str(mine))
    assert str(raised.value) == (
        f"{mine}: extends: no theme file {str(tmp_path / 'brand' / 'base.toml')!r}"
    )


def test_an_unknown_name_names_the_file_that_names_it(tmp_path: Path) -> None:
    middle = write(tmp_path / "middle.toml", 'extends = "nonexistent"\n')
    top = write(tmp_path / "top.toml", 'extends = "middle"\n')
    with pytest.raises(ThemeError) as raised:
        load_theme(str(top))
    assert str(raised.value).startswith(f"{middle}: extends: unknown style 'nonexistent'")


def test_a_bad_value_names_the_file_that_set_it(tmp_path: Path) -> None:
    base = write(tmp_path / "base.toml", '[colours]\naccent = "orange"\n')
    mine = write(tmp_path / "mine.toml", 'extends = "base"\n[colours]\nlink = "#000000"\n')
    with pytest.raises(ThemeError) as raised:
        load_theme(str(mine))
    assert str(raised.value).startswith(f"{base}: colours.accent: String should match pattern")
    # The same key overridden by the file that extends it: that file is named.
    write(mine, 'extends = "base"\n[colours]\naccent = "red"\n')
    with pytest.raises(ThemeError) as raised:
        load_theme(str(mine))
    assert str(raised.value).startswith(f"{mine}: colours.accent: String should match pattern")


def test_a_file_name_with_a_line_break_cannot_forge_a_line(tmp_path: Path) -> None:
    mine = write(tmp_path / "mine\nbriefing: all good\u202e.toml", "[page\n")
    with pytest.raises(ThemeError) as raised:
        load_theme(str(mine))
    message = str(raised.value)
    assert "\n" not in message and "\u202e" not in message
    assert message.startswith(f"{tmp_path}/mine\\nbriefing: all good\\u202e.toml: not valid TOML")
