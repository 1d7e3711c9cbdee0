"""The East Asian language and font of a Word report.

Word draws Chinese, Japanese and Korean characters in a run's East Asian font
(``w:rFonts w:eastAsia``) and picks line breaking, punctuation and its own font
substitutes by the East Asian language (``w:lang w:eastAsia``), which it expects as
language and region (``zh-CN``, ``zh-TW``, ``ja-JP``, ``ko-KR``). A report takes both
from the episode's language when that is Chinese, Japanese or Korean, else from the
labels' (an English episode with Chinese labels has Chinese headings); with neither, it
keeps the theme's ``cjk`` face and names no East Asian language. The region and
script a bare tag leaves out (``zh`` is Simplified Chinese in China, ``zh-HK``
Traditional) come from CLDR's likely subtags, through Babel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from babel.core import get_global, parse_locale

from styles import EastAsianFonts

EAST_ASIAN_LANGUAGES = ("zh", "ja", "ko")


@dataclass(frozen=True)
class EastAsian:
    """The East Asian language of a report and the font it names for it."""

    tag: str
    """``w:lang w:eastAsia``: language and region, ``zh-CN``."""
    font: str


def east_asian(languages: Iterable[str], fonts: EastAsianFonts) -> EastAsian | None:
    """The first of ``languages`` (BCP-47 tags) that is Chinese, Japanese or Korean, with
    the theme's font for it; None when none is."""
    for tag in languages:
        found = _language_script_region(tag)
        if found is None:
            continue
        language, script, region = found
        if language == "zh":
            font = fonts.zh_hant if script == "Hant" else fonts.zh
        else:
            font = fonts.ja if language == "ja" else fonts.ko
        return EastAsian(f"{language}-{region}" if region else language, font)
    return None


def _language_script_region(tag: str) -> tuple[str, str | None, str | None] | None:
    """``zh-HK`` -> ``("zh", "Hant", "HK")``: what the tag says, the rest from CLDR's
    likely subtags; None for a tag in no East Asian language (or not one Babel reads)."""
    try:
        language, region, script, _variant = parse_locale(tag.replace("_", "-"), sep="-")
    except ValueError:
        return None
    if language not in EAST_ASIAN_LANGUAGES:
        return None
    likely = get_global("likely_subtags")
    known = ((language, script, region), (language, region), (language, script), (language,))
    keys = ["_".join(parts) for parts in known if all(parts)]
    full = next(likely[key] for key in keys if key in likely)  # zh, ja and ko are all there
    _language, likely_region, likely_script, _variant = parse_locale(full)
    return language, script or likely_script, region or likely_region
