"""The labels: gettext catalogs complete in every language, plurals by CLDR, every format."""

from __future__ import annotations

import json
import logging
import re
from datetime import date

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from briefing.labels import (
    CAPTIONS,
    COUNTS,
    ENGLISH_TEXT,
    LABELS,
    LOCALE_DIR,
    Labels,
    has_catalog,
    labels_for,
    labels_saying_so,
)
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.docx import DocxExporter
from exporters.html import HtmlExporter
from exporters.markdown import MarkdownExporter
from exporters.pdf import PdfExporter
from exporters.xlsx import XlsxExporter
from styles import load_theme
from tests.conftest import SEED_JSON
from tests.readback import docx_text, html_tree, markdown_text, pdf_text, xlsx_text

LANGUAGES = ("de", "fr", "es", "ja", "zh")
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def template_ids() -> dict[str | None, object]:
    with (LOCALE_DIR / "briefing.pot").open("rb") as source:
        template = read_po(source)
    return {message.context: message.id for message in template if message.id}


def test_the_template_lists_every_label_count_and_caption() -> None:
    expected: dict[str | None, object] = dict(ENGLISH_TEXT)
    expected |= {f"count:{key}": forms for key, forms in COUNTS.items()}
    expected |= {f"caption:{key}": forms for key, forms in CAPTIONS.items()}
    assert template_ids() == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_is_complete_with_cldr_plural_forms(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "briefing.po").open("rb") as source:
        catalog = read_po(source, locale=language)
    plural = get_plural(language)
    assert catalog.num_plurals == plural.num_plurals
    assert catalog.plural_expr == plural.plural_expr
    messages = {message.context: message for message in catalog if message.id}
    assert set(messages) == set(template_ids())
    for context, message in messages.items():
        assert not message.fuzzy, context
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (plural.num_plurals if isinstance(message.id, tuple) else 1)
        assert all(strings), f"{language}: {context} is not translated"
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, (language, context, string)


@pytest.mark.parametrize(
    ("language", "count", "text"),
    [
        ("en", 1, "1 claim"),
        ("en", 0, "0 claims"),
        ("en", 3, "3 claims"),
        ("en", 1234, "1,234 claims"),
        ("de", 1, "1 These"),
        ("de", 2, "2 Thesen"),
        ("de", 1234, "1.234 Thesen"),
        ("fr", 0, "0 affirmation"),
        ("fr", 1, "1 affirmation"),
        ("fr", 2, "2 affirmations"),
        ("fr", 1234, "1\u202f234 affirmations"),
        ("es", 1, "1 afirmación"),
        ("es", 5, "5 afirmaciones"),
        ("zh", 1, "1 条论断"),
        ("ja", 2, "2 件の主張"),
    ],
)
def test_counts_follow_each_languages_plural_rule(language: str, count: int, text: str) -> None:
    assert labels_for(language).how_many("claims", count) == text


def test_captions_and_quotes_are_singular_for_one() -> None:
    english = labels_for("en")
    assert english.how_many("quotes", 1) == "1 notable quote"
    assert english.caption("quotes", 1) == "Notable quote"
    assert english.caption("quotes", 2) == "Notable quotes"
    assert labels_for("de").caption("claims", 1) == "These"


def test_dates_and_durations_by_the_locale() -> None:
    day = date(2025, 10, 17)
    assert labels_for("en").format_date(day) == "October 17, 2025"
    assert labels_for("de").format_date(day) == "17. Oktober 2025"
    assert labels_for("fr").format_date(day) == "17 octobre 2025"
    assert labels_for("zh").format_date(day) == "2025年10月17日"
    assert labels_for("ja").format_date(day) == "2025年10月17日"
    assert labels_for("de").format_minutes(1200) == "1.200 Min."


def test_a_region_picks_its_language_and_a_language_without_catalog_is_english(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert labels_for("de-AT").language == "de"
    assert set(LABELS) == {"en", *LANGUAGES}
    assert not has_catalog("ko")
    with caplog.at_level(logging.WARNING, logger="briefing"):
        assert labels_saying_so("ko").language == "en"
        labels_saying_so("ko")
    assert [record.getMessage() for record in caplog.records] == [
        "briefing: no labels in 'ko' yet; English labels are used (see README, Languages)"
    ]


def episode_in(language: str) -> Episode:
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    return Episode.model_validate(
        data | {"language": language, "claims": data["claims"][:1], "published": "2024-03-01"}
    )


def section_words(labels: Labels) -> list[str]:
    """The section titles; the first, at a glance, is in the PDF, page and Markdown only."""
    return [
        labels.at_a_glance,
        labels.takeaways,
        labels.segments,
        labels.claims,
        labels.predictions,
        labels.facts,
        labels.quotes,
        labels.technologies,
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_format_speaks_the_episodes_language(language: str) -> None:
    # No --lang: the episode's language picks the labels, and every format shows them.
    episode = episode_in(language)
    labels = labels_saying_so(episode.language)
    assert labels.language == language
    theme, context = load_theme("default"), default_context(episode)
    texts = {
        "md": markdown_text(MarkdownExporter().render(episode, theme, labels, context)),
        "html": "".join(
            html_tree(HtmlExporter().render(episode, theme, labels, context)).getroot().itertext()
        ),
        "docx": docx_text(DocxExporter().render(episode, theme, labels, context)),
        "xlsx": xlsx_text(XlsxExporter().render(episode, theme, labels, context)),
    }
    if language in ("de", "fr", "es"):
        # Extracted text of CJK faces is no reliable reading; Latin text is.
        texts["pdf"] = pdf_text(PdfExporter().render(episode, theme, labels, context))
    squashed = {name: " ".join(text.split()) for name, text in texts.items()}
    for name, text in squashed.items():
        for word in section_words(labels)[name in ("docx", "xlsx") :]:
            assert word in text, f"{language} {name}: {word!r} missing"
        for english in ("Key technologies", "Notable quotes", "At a glance"):
            assert english not in text, f"{language} {name}: English {english!r}"
    assert labels.how_many("claims", 1) in squashed["md"]
    for name in ("md", "html", "docx"):
        assert labels.format_date(date(2024, 3, 1)) in squashed[name], name


def test_lang_offers_every_catalog_and_overrides_the_episodes_language(tmp_path) -> None:
    from click.testing import CliRunner

    from briefing.cli import cli

    result = CliRunner().invoke(
        cli, ["export", str(SEED_JSON), "-f", "md", "--lang", "es", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("*.md")
    text = written.read_text(encoding="utf-8")
    assert "## Afirmaciones" in text and "## Claims" not in text
    bad = CliRunner().invoke(cli, ["export", str(SEED_JSON), "--lang", "ko"])
    assert bad.exit_code == 2
