"""The CJK face a page carries: exactly the page's East Asian characters, read back with
fontTools (what a font engineer would open it with), the licence records kept, the same
bytes with a cold, a warm or a spoilt cache, and nothing for a page without them."""

from __future__ import annotations

import io
import re
from base64 import b64decode

import html5lib
from fontTools.ttLib import TTFont
from hypothesis import given
from hypothesis import strategies as st

from briefing.formats import NoCache, RenderContext
from briefing.labels import CHINESE, ENGLISH
from briefing.pipeline import default_context
from exporters.html.fonts import EAST_ASIAN, EMBEDDED_FAMILY, _east_asian_chars, embedded_face
from tests.episodes import make_episode
from tests.exporters.html.pages import page

FACE = re.compile(
    r'<style>@font-face \{ font-family: "Briefing CJK"; src: url\(data:font/woff2;base64,'
    r'(?P<data>[A-Za-z0-9+/=]+)\) format\("woff2"\); unicode-range: (?P<range>[^;]+); '
    r"font-display: block; \}</style>\n</head>"
)


_CJK_BLOCKS = [(0x3000, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xFF00, 0xFFEF)]
"""Punctuation and kana, unified ideographs, Hangul syllables, fullwidth forms."""


class DictCache:
    """A cache that keeps entries in a dict, so a test can look at them and spoil them."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.entries.get(key)

    def put(self, key: str, data: bytes) -> None:
        self.entries[key] = data


def face_of(data: bytes) -> tuple[TTFont, str]:
    found = FACE.search(data.decode("utf-8"))
    assert found is not None, "no @font-face before </head>"
    return TTFont(io.BytesIO(b64decode(found["data"]))), found["range"]


def east_asian_text(data: bytes) -> set[int]:
    """The East Asian characters of the page's text, read by an HTML parser."""
    document = html5lib.parse(data, namespaceHTMLElements=False)
    body = "".join(document.find("body").itertext())
    title = document.find("head/title").text or ""
    return {ord(c) for c in body + title if any(a <= ord(c) <= b for a, b in _CJK_BLOCKS)}


def codes_of(unicode_range: str) -> set[int]:
    codes: set[int] = set()
    for part in unicode_range.split(", "):
        first, _, last = part.removeprefix("U+").partition("-")
        codes.update(range(int(first, 16), int(last or first, 16) + 1))
    return codes


def test_the_seed_in_chinese_carries_exactly_its_characters(seed_episode, default_theme) -> None:
    data = page(seed_episode, default_theme, CHINESE)
    font, unicode_range = face_of(data)
    shown = east_asian_text(data)
    assert len(shown) > 50
    assert codes_of(unicode_range) == shown
    assert set(font.getBestCmap()) == shown
    assert font.flavor == "woff2"
    # The stacks name the face right after the theme's own.
    assert f'font-family: "Fira Sans", "{EMBEDDED_FAMILY}", system-ui' in data.decode()
    assert len(data) < 45_000


def test_the_face_keeps_its_copyright_and_licence(seed_episode, default_theme) -> None:
    font, _ = face_of(page(seed_episode, default_theme, ENGLISH))
    names = {record.nameID: record.toUnicode() for record in font["name"].names}
    assert names[1] == "WenQuanYi Micro Hei"
    assert "WenQuanYi Board of Trustees" in names[0]
    assert names[13] == "Licensed under the Apache License, Version 2.0"


def test_the_english_seed_carries_only_the_two_characters_of_its_translation(
    seed_episode, default_theme
) -> None:
    data = page(seed_episode, default_theme, ENGLISH)
    font, unicode_range = face_of(data)
    assert unicode_range == "U+4E2D, U+6587"  # 中文
    assert set(font.getBestCmap()) == {0x4E2D, 0x6587}
    assert len(b64decode(FACE.search(data.decode())["data"])) < 2_500


def test_a_page_without_east_asian_characters_carries_no_face(default_theme) -> None:
    data = page(
        make_episode(takeaways=["Plain ASCII, and é, ß, Ω, ж, → too."]), default_theme, ENGLISH
    )
    assert b"@font-face" not in data
    assert b"data:font" not in data


def test_japanese_and_korean_are_carried_too(default_theme) -> None:
    text = "ひらがな カタカナ 한국어 中文。（全角）"
    data = page(make_episode(takeaways=[text]), default_theme, ENGLISH)
    font, unicode_range = face_of(data)
    wanted = {ord(c) for c in text if c != " "}
    assert set(font.getBestCmap()) == wanted
    assert codes_of(unicode_range) == wanted


def test_characters_the_face_lacks_are_left_to_the_reader_fonts(default_theme) -> None:
    # U+20000 (extension B) is beyond WenQuanYi Micro Hei: not claimed by unicode-range.
    data = page(make_episode(takeaways=["\U00020000 中"]), default_theme, ENGLISH)
    font, unicode_range = face_of(data)
    assert unicode_range == "U+4E2D"
    assert set(font.getBestCmap()) == {0x4E2D}
    # With none of its characters, no face at all (and the cache remembers it).
    cache = DictCache()
    context = RenderContext(date=default_context(None).date, generator="t", cache=cache)
    for _ in range(2):
        data = page(
            make_episode(takeaways=["\U00020000\U00029585"]), default_theme, ENGLISH, context
        )
        assert b"@font-face" not in data
    assert list(cache.entries.values()) == [b"none\n"]


def test_the_same_bytes_with_a_cold_a_warm_and_a_spoilt_cache(seed_episode, default_theme) -> None:
    base = default_context(seed_episode)
    cache = DictCache()
    context = RenderContext(date=base.date, generator=base.generator, cache=cache)
    without = page(seed_episode, default_theme, CHINESE, RenderContext(base.date, base.generator))
    cold = page(seed_episode, default_theme, CHINESE, context)
    (key,) = [key for key in cache.entries if key.startswith("html-cjk-")]
    warm = page(seed_episode, default_theme, CHINESE, context)
    cache.entries[key] = cache.entries[key][:-10] + b"0123456789"
    spoilt = page(seed_episode, default_theme, CHINESE, context)
    cache.entries[key] = b"not an entry at all"
    garbage = page(seed_episode, default_theme, CHINESE, context)
    assert without == cold == warm == spoilt == garbage


def test_an_entry_from_the_cache_is_the_face_subsetting_makes() -> None:
    cache = DictCache()
    made = embedded_face(["关键要点 中文"], cache)
    (entry,) = cache.entries.values()
    read = embedded_face(["关键要点 中文"], cache)
    assert made is not None and read is not None
    assert read.woff2 == made.woff2 and read.codes == made.codes
    assert entry.endswith(made.woff2)
    assert embedded_face(["no such characters"], NoCache()) is None


_EDGES = "".join(
    chr(code)
    for first, last in EAST_ASIAN
    for code in (first - 1, first, last, last + 1)
    if 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
)
"""Each block's first and last characters and their neighbours outside it."""


def _in_blocks(char: str) -> bool:
    return any(first <= ord(char) <= last for first, last in EAST_ASIAN)


@given(st.text(st.characters(codec="utf-8") | st.sampled_from(_EDGES), max_size=60))
def test_the_page_characters_looked_up_are_those_of_the_blocks(text: str) -> None:
    assert _east_asian_chars(text + _EDGES) == {c for c in text + _EDGES if _in_blocks(c)}
