"""The HTML page read back with html5lib: its structure, every item of the seed with its
time and segment, hostile text kept as text, themes and template overrides, and bytes
that do not change between runs."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from briefing.formats import FormatError
from briefing.labels import CHINESE, ENGLISH
from briefing.model import Episode
from briefing.pipeline import default_context
from briefing.sections import present_sections
from briefing.values import format_timestamp
from exporters.html.palette import AA_TEXT, contrast, dark_scheme, light_scheme
from styles import ThemeError, load_theme
from tests import readback
from tests.episodes import expected_texts, make_episode
from tests.exporters.html.pages import HOSTILE, hostile_episode_data, page


def tree(data: bytes):
    return readback.html_tree(data).getroot()


def text_of(element) -> str:
    return "".join(element.itertext())


def test_page_structure(seed_episode, default_theme) -> None:
    root = tree(page(seed_episode, default_theme, ENGLISH))
    assert root.get("lang") == "en"
    assert root.findtext("head/title") == seed_episode.title
    policy = root.find("head/meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "script-src 'none'" in policy and "default-src 'none'" in policy
    body = root.find("body")
    assert [child.tag for child in body] == ["header", "nav", "main", "footer"]
    assert [text_of(h1) for h1 in root.iter("h1")] == [seed_episode.title]
    sections = body.findall("main/section")
    keys = [section.get("id") for section in sections]
    expected = ["at-a-glance", "takeaways", "timeline"] + [
        key.replace("_", "-") for key in present_sections(seed_episode) if key != "takeaways"
    ]
    assert keys == expected
    for section in sections:
        headings = section.findall("h2")
        assert len(headings) == 1
        assert section.get("aria-labelledby") == headings[0].get("id")
    # The table of contents links to every section, in order.
    links = [a.get("href") for a in body.find("nav").iter("a")]
    assert links == [f"#{key}" for key in keys]
    for table in root.iter("table"):
        assert table.find("caption") is not None and text_of(table.find("caption"))
        assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))
    figure = body.find("main/section[@id='timeline']/figure")
    svg = figure.find(".//svg")
    assert svg.get("role") == "img"
    assert svg.find("title").text == ENGLISH.timeline
    assert ENGLISH.claims in svg.find("desc").text
    assert ENGLISH.segments in text_of(figure.find("figcaption"))
    # Every lane has one marker per item, after its legend marker.
    lane = svg.find("g[@class='lane lane-claims']")
    assert len(lane.findall("polygon")) == len(seed_episode.claims) + 1


def test_every_seed_item_is_on_the_page(seed_episode, default_theme) -> None:
    text = readback.html_text(page(seed_episode, default_theme, ENGLISH))
    missing = [(where, t) for where, t in expected_texts(seed_episode) if t not in text]
    assert missing == []


def _moments(container) -> list[tuple[str, str]]:
    """(time, segment) of each item: a <time> and the segment beside it."""
    found = []
    for when in container.iter("p", "figcaption"):
        time = when.find("time")
        if time is not None:
            segment = when.find("span[@class='segment']")
            found.append((time.text, segment.text if segment is not None else ""))
    return found


def test_every_timed_item_has_its_time_and_segment(seed_episode, default_theme) -> None:
    main = tree(page(seed_episode, default_theme, ENGLISH)).find("body/main")

    def expected(items) -> list[tuple[str, str]]:
        return [(format_timestamp(i.at), i.segment.title if i.segment else "") for i in items]

    assert _moments(main.find("section[@id='claims']")) == expected(seed_episode.claims)
    facts = [*seed_episode.facts, *seed_episode.prices]
    assert _moments(main.find("section[@id='facts']")) == expected(facts)
    quotes = [q for q in seed_episode.quotes if q.at is not None]
    assert _moments(main.find("section[@id='quotes']")) == expected(quotes)
    rows = main.findall("section[@id='predictions']//tbody/tr")
    assert [(text_of(r[0]), text_of(r[-1])) for r in rows] == expected(seed_episode.predictions)
    rows = main.findall("section[@id='segments']//tbody/tr")
    assert [(text_of(r[1]), text_of(r[2])) for r in rows] == [
        (format_timestamp(s.at), s.title) for s in seed_episode.segments
    ]
    for time in main.iter("time"):
        assert time.get("datetime").startswith("PT")


def test_hostile_text_stays_text(default_theme) -> None:
    episode = Episode.model_validate(hostile_episode_data())
    data = page(episode, default_theme, ENGLISH)
    root = tree(data)
    assert list(root.iter("script", "img", "iframe", "object", "embed", "b", "textarea")) == []
    # No element carries an event handler; the only svg is the exporter's timeline.
    for element in root.iter():
        if isinstance(element.tag, str):
            assert not [name for name in element.attrib if name.lower().startswith("on")]
    assert len(list(root.iter("svg"))) == 1
    hooks = readback.html_hooks(data)
    addresses = {hook.value for hook in hooks if hook.attribute == "href"}
    assert {a for a in addresses if not a.startswith("#")} == {episode.watch_url}
    assert [h for h in hooks if h.attribute not in ("href", "http-equiv")] == []
    text = readback.html_text(data)
    assert [(w, t) for w, t in expected_texts(episode) if t not in text] == []
    for bad in HOSTILE:
        assert f"Takeaway {bad}" in text
    # Jinja syntax in episode text is printed, never evaluated.
    assert "{{ 7 * 7 }}" in text and "49" not in text


def test_line_breaks_and_spaces_in_text_are_kept(default_theme) -> None:
    episode = make_episode(takeaways=["one\nline  two\tthree"])
    data = page(episode, default_theme, ENGLISH)
    assert "one\nline  two\tthree" in readback.html_text(data)
    assert b"white-space: pre-wrap" in data


def test_the_same_input_gives_the_same_bytes(seed_episode, default_theme) -> None:
    context = default_context(seed_episode)
    first = page(seed_episode, default_theme, ENGLISH, context)
    assert page(seed_episode, default_theme, ENGLISH, context) == first
    later = dataclasses.replace(context, generator="briefing 9.9")
    assert b"briefing 9.9" in page(seed_episode, default_theme, ENGLISH, later)


def test_render_date_and_generator_come_from_the_context(seed_episode, default_theme) -> None:
    context = default_context(seed_episode)
    root = tree(page(seed_episode, default_theme, ENGLISH, context))
    assert root.find("head/meta[@name='generator']").get("content") == context.generator
    footer_time = root.find("body/footer//time")
    assert footer_time.get("datetime") == context.date.date().isoformat()


def test_chinese_labels(seed_episode, default_theme) -> None:
    root = tree(page(seed_episode, default_theme, CHINESE))
    assert root.get("lang") == "zh"
    headings = [text_of(h2) for h2 in root.find("body/main").iter("h2")]
    assert headings[:3] == [CHINESE.at_a_glance, CHINESE.takeaways, CHINESE.timeline]
    assert root.find("body/header").get("lang") == "en"


def test_nothing_is_requested_from_elsewhere(seed_episode, default_theme) -> None:
    data = page(seed_episode, default_theme, ENGLISH)
    # The one url() is the CJK face, in the page itself (test_fonts.py).
    assert data.count(b"url(") == data.count(b"url(data:font/woff2;base64,") == 1
    assert b"@import" not in data and b"<link" not in data
    # The only absolute address is the SVG namespace, which is a name, not a request.
    assert data.count(b"http://") == data.count(b'xmlns="http://www.w3.org/2000/svg"')
    assert b"https://" not in data


@pytest.mark.parametrize("theme_name", ["default", "print"])
def test_text_colours_pass_aa_in_light_and_dark(theme_name) -> None:
    theme = load_theme(theme_name)
    for scheme in (light_scheme(theme), dark_scheme(theme)):
        grounds = (scheme.background, scheme.panel, scheme.band)
        for colour in (scheme.text, scheme.muted, scheme.heading, scheme.link):
            assert min(contrast(colour, ground) for ground in grounds) >= AA_TEXT
        assert contrast(scheme.header_text, scheme.header_background) >= AA_TEXT


def test_css_comes_from_the_theme(seed_episode, tmp_path) -> None:
    theme_file = tmp_path / "pink.toml"
    theme_file.write_text(
        'extends = "print"\n[colours]\naccent = "#C2185B"\n[fonts]\nbody = "Gentium</style>"\n',
        encoding="utf-8",
    )
    data = page(seed_episode, load_theme(str(theme_file)), ENGLISH).decode()
    style = data.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "--accent: #C2185B" in style
    assert '"Gentiumstyle"' in style  # a font name cannot close the style sheet
    assert "@media (prefers-color-scheme: dark)" in style and "@media print" in style
    assert "size: Letter" in style and "margin: 22mm 25mm 20mm 25mm" in style


def _override_theme(folder: Path, template: str) -> Path:
    (folder / "mine").mkdir(parents=True)
    (folder / "mine" / "page.html.j2").write_text(textwrap.dedent(template), encoding="utf-8")
    theme_file = folder / "mine.toml"
    theme_file.write_text('extends = "default"\n[html]\ntemplates = "mine"\n', encoding="utf-8")
    return theme_file


def test_a_theme_overrides_the_masthead_block(
    seed_episode, default_theme, tmp_path, monkeypatch
) -> None:
    theme_file = _override_theme(
        tmp_path,
        """\
        {% extends "builtin/page.html.j2" %}
        {% block masthead %}
        <header class="masthead"><p class="brand">Acme research</p><h1>{{ episode.title }}</h1></header>
        {% endblock %}
        """,
    )
    monkeypatch.chdir("/")  # the folder is found relative to the theme file, not the cwd
    theme = load_theme(str(theme_file))
    assert theme.html.templates == str((tmp_path / "mine").resolve())
    root = tree(page(seed_episode, theme, ENGLISH))
    header = root.find("body/header")
    assert header.find("p").text == "Acme research"
    assert header.find("dl") is None
    # Everything else is the built-in page.
    plain = tree(page(seed_episode, default_theme, ENGLISH))
    assert [s.get("id") for s in root.iter("section")] == [
        s.get("id") for s in plain.iter("section")
    ]


def test_a_missing_template_folder_is_the_themes_error(tmp_path) -> None:
    theme_file = tmp_path / "mine.toml"
    theme_file.write_text('[html]\ntemplates = "nowhere"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match=r"mine\.toml: html\.templates: no folder"):
        load_theme(str(theme_file))


def test_a_broken_template_is_one_line(seed_episode, tmp_path) -> None:
    theme = load_theme(str(_override_theme(tmp_path, "{% block masthead %}{% endblok %}")))
    with pytest.raises(FormatError, match=r"^html template .*page\.html\.j2:1: "):
        page(seed_episode, theme, ENGLISH)


def test_an_episode_without_sections_is_a_masthead_and_a_glance(default_theme) -> None:
    root = tree(page(make_episode(), default_theme, ENGLISH))
    assert [s.get("id") for s in root.iter("section")] == ["at-a-glance"]
    assert list(root.iter("svg")) == []


def test_only_cells_with_a_word_too_long_for_a_column_break_it_anywhere(default_theme) -> None:
    """A word of more than 20 characters would set its column's least width, and a table
    wider than the page is cut off in print: its cell may break it anywhere (``long``)."""
    url = "https://example.org/" + "a" * 40
    episode = make_episode(
        duration_minutes=5,
        segments=[
            {"at": "00:00", "title": "Opening", "summary": f"See {url} for more."},
            {"at": "01:00", "title": "Internationalization", "summary": "Short words only."},
        ],
        predictions=[{"at": "01:30", "horizon": "x" * 21, "statement": "Long horizon."}],
    )
    root = tree(page(episode, default_theme, ENGLISH))
    cells = {
        text_of(cell): cell.get("class")
        for table in root.iter("table")
        for cell in table.find("tbody").iter("td", "th")
    }
    assert {text for text, kind in cells.items() if kind == "long"} == {
        f"See {url} for more.",
        "x" * 21,
    }
    assert cells["Internationalization"] is None  # 20 letters: breaks at spaces only
    assert "td.long, th.long { overflow-wrap: anywhere; }" in text_of(root.find("head/style"))
