"""The page's colours and fonts, from the theme, with the contrast WCAG 2.1 AA asks for.

The theme's colours are used as they are when they are readable; a colour that
text is drawn in but that falls short of 4.5:1 against the background it stands
on is darkened (light page) or lightened (dark page) just enough, so a user's
theme cannot make an unreadable page. The dark page keeps the theme's hues on a
dark ground.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exporters.html.fonts import EMBEDDED_FAMILY
from styles import Theme

AA_TEXT = 4.5
"""WCAG 2.1 AA for normal text (1.4.3)."""
AA_GRAPHICS = 3.0
"""WCAG 2.1 AA for parts of graphics (1.4.11): the timeline's markers."""
_FAMILY = re.compile(r"[^0-9A-Za-z _-]")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0, min(255, part))):02X}" for part in rgb)


def luminance(colour: str) -> float:
    def linear(part: int) -> float:
        value = part / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(part) for part in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(colour: str, towards: str, share: float) -> str:
    a, b = _rgb(colour), _rgb(towards)
    return _hex(tuple(x + (y - x) * share for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def readable(colour: str, *backgrounds: str, ratio: float = AA_TEXT) -> str:
    """``colour``, moved towards black or white (whichever the backgrounds are further
    from) in small steps until it reaches ``ratio`` against every background."""
    towards = "#000000" if min(map(luminance, backgrounds)) > 0.18 else "#FFFFFF"
    for step in range(21):
        candidate = mix(colour, towards, step / 20)
        if all(contrast(candidate, ground) >= ratio for ground in backgrounds):
            return candidate
    return towards


@dataclass(frozen=True)
class Scheme:
    """One colour scheme of the page: every value a ``#RRGGBB``."""

    background: str
    text: str
    muted: str
    heading: str
    link: str
    accent: str
    panel: str
    rule: str
    band: str
    header_background: str
    header_text: str
    focus: str


def light_scheme(theme: Theme) -> Scheme:
    c = theme.colours
    grounds = ("#FFFFFF", c.panel, c.table_band)
    header_text = readable(c.table_header_text, c.table_header_background)
    return Scheme(
        background="#FFFFFF",
        text=readable(c.text, *grounds),
        muted=readable(c.muted, *grounds),
        heading=readable(c.heading, *grounds),
        link=readable(c.link, *grounds),
        accent=readable(c.accent, "#FFFFFF", c.panel, ratio=AA_GRAPHICS),
        panel=c.panel,
        rule=c.rule,
        band=c.table_band,
        header_background=c.table_header_background,
        header_text=header_text,
        focus=readable(c.accent, "#FFFFFF", ratio=AA_GRAPHICS),
    )


def dark_scheme(theme: Theme) -> Scheme:
    """The theme's hues on a dark ground: backgrounds from the heading colour, nearly
    black; text colours lightened until they read on every dark ground."""
    c = theme.colours
    background = mix(c.heading, "#000000", 0.86)
    panel = mix(c.heading, "#000000", 0.72)
    band = mix(c.heading, "#000000", 0.78)
    grounds = (background, panel, band)
    header_background = mix(c.table_header_background, "#000000", 0.55)
    return Scheme(
        background=background,
        text=readable(mix(c.text, "#FFFFFF", 0.85), *grounds),
        muted=readable(mix(c.muted, "#FFFFFF", 0.55), *grounds),
        heading=readable(mix(c.heading, "#FFFFFF", 0.7), *grounds),
        link=readable(mix(c.link, "#FFFFFF", 0.5), *grounds),
        accent=readable(c.accent, background, panel, ratio=AA_GRAPHICS),
        panel=panel,
        rule=mix(c.rule, "#000000", 0.6),
        band=band,
        header_background=header_background,
        header_text=readable("#FFFFFF", header_background),
        focus=readable(c.accent, background, ratio=AA_GRAPHICS),
    )


def _family(name: str) -> str:
    """A theme's font name as a quoted CSS family: only letters, digits, spaces, ``_``, ``-``
    are kept, so a theme cannot end the style sheet."""
    return f'"{_FAMILY.sub("", name).strip()}"'


def _stack(name: str, cjk: str) -> str:
    """The theme's face, then the CJK face a page with East Asian characters carries
    (``exporters.html.fonts``: it has only those characters, so it draws nothing else,
    and a page without them declares no such family, which browsers then pass over),
    then system faces, the theme's CJK font and the usual CJK system fonts, then the
    generic family."""
    generic = "serif" if "serif" in name.lower() and "sans" not in name.lower() else "sans-serif"
    fallbacks = (
        '"Noto Serif", Georgia, "Times New Roman"'
        if generic == "serif"
        else 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial'
    )
    east_asian = f'{_family(cjk)}, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei"'
    return f"{_family(name)}, {_family(EMBEDDED_FAMILY)}, {fallbacks}, {east_asian}, {generic}"


@dataclass(frozen=True)
class Look:
    """Everything the style sheet template takes from the theme."""

    light: Scheme
    dark: Scheme
    body_font: str
    heading_font: str
    size_pt: float
    heading_scale: float
    page_size: str
    margins_mm: tuple[float, float, float, float]
    """Top, right, bottom, left."""

    @property
    def page_margins(self) -> str:
        return " ".join(f"{margin:g}mm" for margin in self.margins_mm)


def look(theme: Theme) -> Look:
    page = theme.page
    return Look(
        light=light_scheme(theme),
        dark=dark_scheme(theme),
        body_font=_stack(theme.fonts.body, theme.fonts.cjk),
        heading_font=_stack(theme.fonts.heading, theme.fonts.cjk),
        size_pt=theme.fonts.size_pt,
        heading_scale=theme.fonts.heading_scale,
        page_size=page.size,
        margins_mm=(
            page.margin_top_mm,
            page.margin_right_mm,
            page.margin_bottom_mm,
            page.margin_left_mm,
        ),
    )
