"""The PDF's fonts: a glyph for every character, emoji and other planes in the text
layer, characters no font has, right-to-left text, and the theme's faces."""

from __future__ import annotations

import re
import zlib

import pytest

from briefing.model import Episode
from exporters.pdf.fonts import is_default_ignorable
from tests.episodes import expected_texts, make_episode, squash
from tests.exporters.pdf.reading import drawn_characters, page_texts, read, render

ZH_EPISODE = {
    "id": "zh-sample",
    "title": "人工智能的十年：与安德烈·卡帕西对话",
    "category": "专家访谈",
    "duration_minutes": 90,
    "language": "zh",
    "translations": ["en"],
    "speakers": ["安德烈·卡帕西", "德瓦克什·帕特尔"],
    "segments": [
        {"at": "00:00", "title": "开场", "summary": "节目简介与精彩片段。"},
        {
            "at": "10:00",
            "title": "智能体的十年",
            "summary": "我们正在进入智能体的十年，而不是一年。",
        },
    ],
    "facts": [
        {
            "at": "12:00",
            "kind": "记忆",
            "statement": "每个词元的信息量很小。",
            "value": "0.075 比特/词元",
        }
    ],
    "claims": [
        {
            "at": "15:00",
            "kind": "瓶颈",
            "claim": "智能体缺乏持续学习。",
            "evidence": "它们记不住过去。",
        }
    ],
    "predictions": [{"at": "30:00", "horizon": "10 年", "statement": "实现智能体大约需要十年。"}],
    "technologies": [{"name": "强化学习", "description": "通过奖励来训练模型。"}],
    "companies": ["OpenAI", "特斯拉"],
    "topics": ["智能体", "教育"],
    "quotes": [{"text": "我们是在创造幽灵。", "speaker": "安德烈·卡帕西", "at": "09:24"}],
    "takeaways": ["从零开始构建模型对于深入理解至关重要。"],
}


@pytest.fixture(scope="module")
def zh_episode() -> Episode:
    return make_episode(**ZH_EPISODE)


def _needs_outline(char: str) -> bool:
    return not (char.isspace() or is_default_ignorable(ord(char)))


def _episode_characters(episode: Episode) -> set[str]:
    return {char for _where, text in expected_texts(episode) for char in text}


@pytest.mark.parametrize("theme_name", ["default", "print"])
def test_every_seed_character_has_a_glyph(seed_episode, theme_name, request):
    theme = request.getfixturevalue(f"{theme_name}_theme")
    outlined, _mapped, names = drawn_characters(read(render(seed_episode, theme)))
    characters = _episode_characters(seed_episode) | set("·—‘’•→中文")
    missing = {char for char in characters if _needs_outline(char) and char not in outlined}
    assert not missing
    assert all("+" in name for name in names)  # every font an embedded subset: no Helvetica
    body = "FiraSans-Regular" if theme_name == "default" else "IBMPlexSerif-Regular"
    assert any(body in name for name in names)


def test_every_chinese_character_has_a_glyph_and_labels_are_chinese(zh_episode, default_theme):
    reader = read(render(zh_episode, default_theme))
    outlined, _mapped, _names = drawn_characters(reader)
    missing = {
        c for c in _episode_characters(zh_episode) if _needs_outline(c) and c not in outlined
    }
    assert not missing
    assert [item.title for item in reader.outline][:3] == ["概览", "时间线", "要点"]
    text = "".join(page_texts(reader))
    flat = re.sub(r"\s+", "", text)
    for _where, expected in expected_texts(zh_episode):
        assert re.sub(r"\s+", "", expected) in flat, expected
    assert f"第 1 页，共 {len(reader.pages)} 页" in text


def test_emoji_and_other_planes_come_back_out_of_the_text_layer(default_theme):
    episode = make_episode(
        title="Whales 🐳 and hugs 🤗",
        takeaways=["Ancient 𓀀 and math 𝔸 and family 👩‍👩‍👧 and flag 🇩🇪 and ☕️ and ▶ play"],
    )
    reader = read(render(episode, default_theme))
    text = "".join(page_texts(reader))
    assert "Whales 🐳 and hugs 🤗" in text
    assert squash(episode.takeaways[0]) in squash(text)
    cmaps = "".join(
        font.get_object()["/ToUnicode"].get_object().get_data().decode()
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    )
    assert "<D83DDC33>" in cmaps  # U+1F433 as its UTF-16 surrogate pair
    assert not re.search(r"<[0-9A-F]{2}> <[0-9A-F]{5}>", cmaps)


def test_characters_no_font_has_stay_in_the_text_layer_and_draw_no_box(default_theme):
    invisible = "a\u200db\u200cc\u2067d\u2069e\ufe0ff\U000e0061g"
    episode = make_episode(takeaways=[invisible, "Linear B 𐀀 and Vai ꔀ"])
    outlined, mapped, _names = drawn_characters(read(render(episode, default_theme)))
    assert {"\u200d", "\u200c", "\u2067", "\u2069", "\ufe0f", "\U000e0061"} <= mapped
    assert {"𐀀", "ꔀ"} <= outlined  # the replacement glyph, never .notdef


def test_right_to_left_text_reads_in_logical_order(default_theme):
    episode = make_episode(takeaways=["Shalom: שלום עולם and salam: مرحبا بالعالم."])
    text = squash("".join(page_texts(read(render(episode, default_theme)))))
    assert "שלום עולם" in text
    assert "مرحبا بالعالم" in text


def test_theme_drives_page_size_and_fonts(seed_episode, default_theme, print_theme):
    default = read(render(seed_episode, default_theme))
    printed = read(render(seed_episode, print_theme))
    assert [round(float(v)) for v in default.pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(v)) for v in printed.pages[0].mediabox[2:]] == [612, 792]
    assert not any("IBMPlex" in name for name in drawn_characters(default)[2])
    assert any("IBMPlexSerif" in name for name in drawn_characters(printed)[2])


def test_every_embedded_subset_has_its_own_tag(seed_episode, default_theme):
    """Six capital letters, different for every subset (the PDF specification's rule),
    and the same in every render: they come from the face and its characters."""
    names = []
    for _ in range(2):
        reader = read(render(seed_episode, default_theme))
        fonts = {
            str(font["/BaseFont"])
            for page in reader.pages
            for font in (ref.get_object() for ref in page["/Resources"]["/Font"].values())
        }
        names.append(sorted(fonts))
    assert names[0] == names[1]
    tags = [name.lstrip("/").split("+")[0] for name in names[0]]
    assert len(tags) >= 5 and len(set(tags)) == len(tags)
    assert all(re.fullmatch("[A-Z]{6}", tag) for tag in tags)
    assert "AAAAAA" not in tags


KANA_AND_HANGUL = [
    *range(0x3041, 0x3095),  # hiragana ぁ-ゔ (the face lacks only the small ゕ ゖ)
    *range(0x3099, 0x309F),  # voicing marks, iteration marks
    *range(0x30A1, 0x30F7),  # katakana ァ-ヶ (it lacks the rare ヷ ヸ ヹ ヺ)
    *range(0x30FB, 0x30FF),  # middle dot, prolonged sound mark, iteration marks
    *range(0xFF61, 0xFFA0),  # halfwidth katakana and punctuation
    *range(0x3131, 0x318F),  # Hangul compatibility jamo
    *range(0xAC00, 0xD7A4),  # every modern Hangul syllable, 11,172
]
"""What modern Japanese and Korean are written with. Not in the face: the conjoining jamo
(U+1100-11FF: old Hangul, or text decomposed to NFD) and the Ainu katakana extensions
(U+31F0-31FF); those are drawn as the replacement glyph, their text layer intact."""


def test_the_cjk_face_has_every_kana_and_hangul_syllable() -> None:
    from fontTools.ttLib import TTFont

    from exporters.pdf import fonts

    with TTFont(str(fonts._CJK_FILE), fontNumber=0, lazy=True) as face:
        cmap = face.getBestCmap()
    assert [hex(code) for code in KANA_AND_HANGUL if code not in cmap] == []


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("ja", ["ひらがなとカタカナと漢字の文、ｶﾀｶﾅもー。", "ヴァイオリンを弾く"]),
        ("ko", ["한국어 문장입니다. 훈민정음", "ㄱㄴㄷ 똠방각하 뷁"]),
    ],
)
def test_japanese_and_korean_are_drawn_in_the_cjk_face(default_theme, language, texts) -> None:
    episode = make_episode(title=texts[0], language=language, takeaways=texts)
    reader = read(render(episode, default_theme))
    outlined, _mapped, names = drawn_characters(reader)
    assert {char for char in "".join(texts) if _needs_outline(char)} - outlined == set()
    assert any("WenQuanYi" in name for name in names), names
    text = squash("".join(page_texts(reader)))
    assert all(squash(expected) in text for expected in texts)


def test_a_kept_subset_program_is_the_one_cutting_gives(seed_episode, default_theme):
    from exporters.pdf.fonts import face

    body = face("Fira Sans")
    body._programs.clear()
    first = render(seed_episode, default_theme)  # cuts every subset
    assert body._programs
    subset = list(range(0x20, 0x7F))
    program, compressed = body._program(subset)
    assert program == body.face.makeSubset(subset)
    assert zlib.decompress(compressed) == program
    assert body._program(subset)[0] is program  # kept
    assert render(seed_episode, default_theme) == first  # from the kept programs
