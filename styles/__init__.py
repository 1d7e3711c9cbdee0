"""Themes: the look of every format, as TOML data validated by a model.

A theme file may name another in ``extends`` and override only a few keys;
tables merge key by key. Built-in themes live beside this module; ``--style``
takes one of their names or a path to a TOML file of one's own.
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from briefing.byte_cache import Cache
from briefing.quoting import printable
from briefing.reading import UnreadableInput, read_bounded
from styles.validated import plain_data, validated

Colour = Annotated[
    str,
    StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$"),
    Field(description="A colour as #RRGGBB."),
]
Millimetres = Annotated[float, Field(ge=0, le=100)]
MAX_EXTENDS_DEPTH = 8


class _Section(BaseModel):
    # defer_build: validators are built when new data is validated (``styles.validated``);
    # the sections' defaults are factories for that reason (a default made at class
    # creation would build them).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    def plain_data(self) -> dict[str, Any]:
        """``model_dump(mode="json")`` without building pydantic's serializer."""
        return plain_data(self)


PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
"""Width and height of each paper size, portrait, in millimetres."""


MIN_TEXT_WIDTH_MM = 100.0
MIN_TEXT_HEIGHT_MM = 120.0
"""What the margins must leave for text. Measured: the PDF's four-column tables fail
below about 70 mm and a 72 pt heading overflows a frame of 97 mm; at 100 x 120 mm every
case of the adversarial corpus renders in every format with the smallest and the
largest fonts allowed (``tests/styles/test_layout.py``)."""


class Page(_Section):
    size: Literal["A4", "Letter"] = "A4"
    margin_top_mm: Millimetres = 20
    margin_bottom_mm: Millimetres = 20
    margin_left_mm: Millimetres = 20
    margin_right_mm: Millimetres = 20

    @model_validator(mode="after")
    def _leaves_room_for_text(self) -> Page:
        # Checked here, not left to the formats: a theme that loads must render.
        checks = (
            (
                "left and right",
                self.margin_left_mm,
                self.margin_right_mm,
                self.width_mm,
                "width",
                MIN_TEXT_WIDTH_MM,
            ),
            (
                "top and bottom",
                self.margin_top_mm,
                self.margin_bottom_mm,
                self.height_mm,
                "height",
                MIN_TEXT_HEIGHT_MM,
            ),
        )
        for sides, first, second, extent, dimension, least in checks:
            left = extent - first - second
            if left < least - 1e-9:  # margins in tenths of a millimetre add up inexactly
                raise PydanticCustomError(
                    "page_text_area",
                    f"the {sides} margins ({first:g} + {second:g} mm) leave {left:g} mm of "
                    f"the {self.size} page's {extent:g} mm {dimension} for text; at least "
                    f"{least:g} mm is needed",
                )
        return self

    @property
    def text_height_mm(self) -> float:
        return self.height_mm - self.margin_top_mm - self.margin_bottom_mm

    @property
    def width_mm(self) -> float:
        return PAGE_SIZES_MM[self.size][0]

    @property
    def height_mm(self) -> float:
        return PAGE_SIZES_MM[self.size][1]

    @property
    def text_width_mm(self) -> float:
        """What the left and right margins leave for text."""
        return self.width_mm - self.margin_left_mm - self.margin_right_mm


FontName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=31, pattern=r"^[^\x00-\x1f\x7f]+$"),
    Field(description="A font family name as Word knows it: 1 to 31 characters."),
]
"""Word keeps a font's name in 31 characters (a LOGFONT's face name); a longer one is
never found, and a control character would break the document's XML."""


class EastAsianFonts(_Section):
    """The Word report's East Asian font for each language, by family name: the faces
    Windows and Office for Mac ship for it (the PDF and the HTML page carry their own)."""

    zh: FontName = "Microsoft YaHei"
    """Simplified Chinese (``zh``, ``zh-CN``, ``zh-SG``, ``zh-Hans``)."""
    zh_hant: FontName = "Microsoft JhengHei"
    """Traditional Chinese (``zh-TW``, ``zh-HK``, ``zh-MO``, ``zh-Hant``)."""
    ja: FontName = "Yu Gothic"
    ko: FontName = "Malgun Gothic"


class Fonts(_Section):
    """Family names. The PDF embeds them from installed font packages (see README);
    Word and LibreOffice use them by name, with ``cjk`` as the East Asian font of a report
    in no East Asian language and ``east_asian`` that of a Chinese, Japanese or Korean one."""

    body: str = "Fira Sans"
    heading: str = "Fira Sans"
    cjk: str = "WenQuanYi Micro Hei"
    east_asian: EastAsianFonts = Field(default_factory=EastAsianFonts)
    size_pt: Annotated[float, Field(ge=6, le=24)] = 10
    heading_scale: Annotated[float, Field(ge=1, le=3)] = 1.6


class Colours(_Section):
    text: Colour = "#1F2933"
    muted: Colour = "#616E7C"
    heading: Colour = "#0B3C5D"
    accent: Colour = "#D9822B"
    panel: Colour = "#F3F6F9"
    rule: Colour = "#CBD2D9"
    link: Colour = "#1769AA"
    table_header_background: Colour = "#0B3C5D"
    table_header_text: Colour = "#FFFFFF"
    table_band: Colour = "#F3F6F9"


# Excel's built-in table styles; LibreOffice and Excel know no others by name.
_XLSX_TABLE_STYLE = (
    r"^TableStyle(Light([1-9]|1[0-9]|2[01])|Medium([1-9]|1[0-9]|2[0-8])|Dark([1-9]|1[01]))$"
)


class Tables(_Section):
    xlsx_style: Annotated[str, StringConstraints(pattern=_XLSX_TABLE_STYLE)] = Field(
        default="TableStyleMedium2",
        description="An Excel table style: TableStyleLight1-21, Medium1-28 or Dark1-11.",
    )


class Docx(_Section):
    reference: str | None = Field(
        default=None,
        description="A Word document whose styles, page setup, header and footer the "
        "report takes (pandoc's --reference-doc), relative to the theme file that names it.",
    )


class Html(_Section):
    templates: str | None = Field(
        default=None,
        description="A folder of Jinja2 templates that override the HTML briefing's, "
        "relative to the theme file that names it.",
    )


class Theme(_Section):
    name: str
    description: str = ""
    page: Page = Field(default_factory=Page)
    fonts: Fonts = Field(default_factory=Fonts)
    colours: Colours = Field(default_factory=Colours)
    tables: Tables = Field(default_factory=Tables)
    docx: Docx = Field(default_factory=Docx)
    html: Html = Field(default_factory=Html)
    reference_docx: bytes | None = Field(default=None, exclude=True, repr=False)
    """The bytes of ``docx.reference``, read by the loader: formats read no files."""

    def with_reference_docx(self, path: Path) -> Theme:
        """This theme with the Word reference document at ``path``."""
        return self.model_copy(
            update={
                "docx": Docx(reference=str(path)),
                "reference_docx": read_reference_docx(path, "--reference-doc"),
            }
        )


REFERENCE_LIMIT = 64 * 1024 * 1024
THEME_LIMIT = 1024 * 1024
"""A theme is a page of TOML; a larger file is not one (and is not read further)."""


def read_reference_docx(path: Path, where: str) -> bytes:
    """The bytes of a Word document, read with a bound; ``where`` names who asked for it."""
    try:
        data = read_bounded(path, REFERENCE_LIMIT)
    except UnreadableInput as error:
        raise ThemeError(f"{where}: {_shown(path)}: {error}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            package.getinfo("word/document.xml")
            package.getinfo("word/styles.xml")
    except (zipfile.BadZipFile, KeyError):
        message = f"{where}: {_shown(path)}: not a Word document (.docx) with styles"
        raise ThemeError(message) from None
    return data


class ThemeError(Exception):
    """A theme that cannot be used; the message names the file and the key."""


def _builtin_dir() -> Path:
    return Path(str(resources.files(__package__)))


def available_themes() -> list[str]:
    """Names of the built-in themes, for ``--style`` choices."""
    return sorted(path.stem for path in _builtin_dir().glob("*.toml"))


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_bounded(path, THEME_LIMIT).decode("utf-8"))
    except UnreadableInput as error:
        raise ThemeError(f"{_shown(path)}: {error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ThemeError(f"{_shown(path)}: not valid TOML: {error}") from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _locate(name_or_path: str) -> Path:
    builtin = _builtin_dir() / f"{name_or_path}.toml"
    if "/" not in name_or_path and "\\" not in name_or_path and builtin.is_file():
        return builtin
    path = Path(name_or_path)
    if path.exists():
        return path  # whatever it is: reading it says what is wrong with it
    known = ", ".join(available_themes())
    raise ThemeError(
        f"unknown style {name_or_path!r}: use one of {known}, or a path to a .toml file"
    )


Origins = dict[tuple[str, ...], Path]
"""Which file set each key (``("colours", "accent")``), so an error names that file."""


def _origins(data: dict[str, Any], path: Path, prefix: tuple[str, ...] = ()) -> Origins:
    found: Origins = {}
    for key, value in data.items():
        found[(*prefix, key)] = path
        if isinstance(value, dict):
            found.update(_origins(value, path, (*prefix, key)))
    return found


def _resolved_data(path: Path, depth: int = 0) -> tuple[dict[str, Any], Origins]:
    data = _read(path)
    if "reference_docx" in data:
        raise ThemeError(f"{_shown(path)}: reference_docx: unknown key (use docx.reference)")
    docx = data.get("docx")
    if isinstance(docx, dict) and isinstance(docx.get("reference"), str):
        # Relative to the file that names it, wherever the theme that extends it lives.
        data["docx"] = {**docx, "reference": str(path.parent / docx["reference"])}
    _anchor_template_folder(data, path)
    parent = data.pop("extends", None)
    own = _origins(data, path)
    if parent is None:
        return data, own
    if not isinstance(parent, str):
        raise ThemeError(f"{_shown(path)}: extends: must be the name or path of another theme")
    if depth >= MAX_EXTENDS_DEPTH:
        raise ThemeError(f"{_shown(path)}: extends: themes extend each other too deeply (a cycle?)")
    base, base_origins = _resolved_data(_locate_parent(path, parent), depth + 1)
    merged = _merge(base, data)
    # A theme's name is its own, never its parent's.
    merged["name"] = data.get("name", path.stem)
    return merged, {**base_origins, **own}


def _locate_parent(path: Path, parent: str) -> Path:
    """What ``extends`` names, relative to the file that names it (not to the folder the
    command runs in): a path (``../brand/base.toml``), or a bare name, which is a theme
    file beside this one or else a built-in theme."""
    if "/" in parent or "\\" in parent or parent.endswith(".toml"):
        candidate = path.parent / parent  # an absolute path stays as it is
        if candidate.exists():
            return candidate
        shown = printable(repr(str(candidate)))
        raise ThemeError(f"{_shown(path)}: extends: no theme file {shown}")
    sibling = path.parent / f"{parent}.toml"
    if sibling.is_file() and sibling.resolve() != path.resolve():
        return sibling
    builtin = _builtin_dir() / f"{parent}.toml"
    if builtin.is_file():
        return builtin
    known = ", ".join(available_themes())
    raise ThemeError(
        f"{_shown(path)}: extends: unknown style {printable(repr(parent), 80)}: use one of "
        f"{known}, a theme file beside this one, or a path relative to it"
    )


def _shown(path: Path) -> str:
    return printable(str(path))


def _anchor_template_folder(data: dict[str, Any], path: Path) -> None:
    """``[html] templates`` is relative to the theme file that names it, whichever theme
    extends that one; a folder that is not there is the theme's error, not the renderer's."""
    html = data.get("html")
    folder = html.get("templates") if isinstance(html, dict) else None
    if not isinstance(folder, str):
        return
    resolved = (path.parent / folder).resolve()
    if not resolved.is_dir():
        folder_shown = printable(repr(str(resolved)))
        raise ThemeError(f"{_shown(path)}: html.templates: no folder {folder_shown}")
    html["templates"] = str(resolved)


def _origin(origins: Origins, loc: tuple[str, ...], default: Path) -> Path:
    """The file that set the key at ``loc``, or the nearest key above it that was set."""
    for length in range(len(loc), 0, -1):
        if loc[:length] in origins:
            return origins[loc[:length]]
    return default


def load_theme(name_or_path: str = "default", cache: Cache | None = None) -> Theme:
    """A built-in theme by name, or a theme file by path, with its ``extends`` applied.
    With a ``cache``, data validated before is not validated again (``styles.validated``)."""
    path = _locate(name_or_path)
    data, origins = _resolved_data(path)
    data.setdefault("name", path.stem)
    try:
        theme = validated(Theme, data, cache)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        loc = tuple(str(part) for part in first["loc"])
        key = ".".join(printable(part, 60) for part in loc)
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise ThemeError(f"{_shown(_origin(origins, loc, path))}: {key}: {message}{more}") from None
    if theme.docx.reference is None:
        return theme
    where = _origin(origins, ("docx", "reference"), path)
    reference = read_reference_docx(Path(theme.docx.reference), f"{_shown(where)}: docx.reference")
    return theme.model_copy(update={"reference_docx": reference})
