"""Themes: built-ins, extension, and errors that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from styles import ThemeError, available_themes, load_theme


def test_built_in_themes() -> None:
    assert {"default", "print"} <= set(available_themes())
    default, printed = load_theme("default"), load_theme("print")
    assert default.page.size == "A4" and printed.page.size == "Letter"
    assert printed.fonts.body == "IBM Plex Serif"
    # print extends default: what it does not override is inherited
    assert printed.fonts.cjk == default.fonts.cjk
    assert printed.page.margin_top_mm == default.page.margin_top_mm


def test_print_theme_is_grayscale() -> None:
    colours = load_theme("print").colours.model_dump()
    for value in colours.values():
        red, green, blue = value[1:3], value[3:5], value[5:7]
        assert red == green == blue, value


def test_own_theme_file_extends_a_built_in(tmp_path: Path) -> None:
    mine = tmp_path / "brand.toml"
    mine.write_text('extends = "print"\n[colours]\naccent = "#FF0000"\n', encoding="utf-8")
    theme = load_theme(str(mine))
    assert theme.name == "brand"
    assert theme.colours.accent == "#FF0000"
    assert theme.page.size == "Letter"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[page]\nsize = "A3"\n', "page.size: Input should be 'A4' or 'Letter'"),
        ("[fonts]\nsize_pt = 100\n", "fonts.size_pt: Input should be less than or equal to 24"),
        ("[colours]\nglitter = '#FFFFFF'\n", "colours.glitter: unknown key"),
        ('[tables]\nxlsx_style = "Fancy"\n', "tables.xlsx_style: String should match pattern"),
        ('[fonts.east_asian]\njp = "Meiryo"\n', "fonts.east_asian.jp: unknown key"),
        ('[fonts.east_asian]\nko = ""\n', "fonts.east_asian.ko: String should have at least 1"),
        (
            f'[fonts.east_asian]\nzh = "{"W" * 32}"\n',
            "fonts.east_asian.zh: String should have at most 31 characters",
        ),
        ('[fonts.east_asian]\nja = "Yu\\tGothic"\n', "fonts.east_asian.ja: String should match"),
        ("[page\n", "not valid TOML"),
        ('extends = "nonexistent"\n', "unknown style 'nonexistent'"),
    ],
)
def test_bad_theme_names_the_key(tmp_path: Path, content: str, message: str) -> None:
    theme = tmp_path / "bad.toml"
    theme.write_text(content, encoding="utf-8")
    with pytest.raises(ThemeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_theme(str(theme))


def test_extends_cycle_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('extends = "b"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match="too deeply"):
        load_theme(str(tmp_path / "a.toml"))
