"""Every word an exporter prints that does not come from the episode, per language.

The words live in gettext catalogs, ``briefing/locale/<lang>/LC_MESSAGES/briefing.po``
(the Python convention; Sphinx keeps its labels the same way), with the English text
as the message id and the ``Labels`` field name as its context. A catalog is compiled
with Babel when a language is first used; counts go through ``npgettext`` with the
plural rule Babel writes into each catalog from CLDR (French: 0 and 1 are singular;
Chinese and Japanese: one form), and numbers and dates are formatted by the locale.

The episode's ``language`` picks the labels and ``--lang`` overrides it. A language
without a catalog falls back to English (``has_catalog`` tells the caller, which says
so in one line). Adding a language is adding one ``.po`` file: see the README.
"""

from __future__ import annotations

import functools
import gettext
import io
import logging
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from briefing.values import HorizonClass

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "briefing"

# The English text of every label: the message ids of the catalogs.
ENGLISH_TEXT: dict[str, str] = {
    "category": "Category",
    "duration": "Duration",
    "minutes": "min",
    "speakers": "Speakers",
    "language_label": "Language",
    "translations": "Translations",
    "watch": "Watch",
    "published": "Published",
    "at_a_glance": "At a glance",
    "timeline": "Timeline",
    "contents": "Contents",
    "takeaways": "Takeaways",
    "segments": "Segments",
    "claims": "Claims",
    "predictions": "Predictions",
    "facts": "Facts and figures",
    "quotes": "Notable quotes",
    "technologies": "Key technologies",
    "companies": "Companies",
    "topics": "Topics",
    "companies_and_topics": "Companies and topics",
    "time": "Time",
    "title": "Title",
    "summary": "Summary",
    "segment": "Segment",
    "kind": "Kind",
    "claim": "Claim",
    "evidence": "Evidence",
    "horizon": "Horizon",
    "years": "Years",
    "horizon_class": "Class",
    "statement": "Statement",
    "value": "Value",
    "number": "Number",
    "unit": "Unit",
    "range_high": "Range high",
    "item": "Item",
    "amount": "Amount",
    "currency": "Currency",
    "context": "Context",
    "quote": "Quote",
    "speaker": "Speaker",
    "term": "Term",
    "definition": "Definition",
    "episode_id": "Episode",
    "episode_title": "Episode title",
    "price": "Price",
    "prices": "Prices",
    "count": "Count",
    "page_of": "Page {page} of {pages}",
    "truncated": (
        "[cut at Excel's cell limit; full text of {chars:,} characters in the PDF and Word report]"
    ),
    "horizon_near": "near",
    "horizon_medium": "medium",
    "horizon_long": "long",
    "horizon_unspecified": "unspecified",
    "generated_by": "Made with briefing",
}
# Counts, singular and plural in English: "1 claim", "3 claims" (context ``count:<key>``).
COUNTS: dict[str, tuple[str, str]] = {
    "segments": ("{n} segment", "{n} segments"),
    "claims": ("{n} claim", "{n} claims"),
    "predictions": ("{n} prediction", "{n} predictions"),
    "facts": ("{n} fact", "{n} facts"),
    "prices": ("{n} price", "{n} prices"),
    "quotes": ("{n} notable quote", "{n} notable quotes"),
    "takeaways": ("{n} takeaway", "{n} takeaways"),
    "technologies": ("{n} key technology", "{n} key technologies"),
    "more": ("and {n} more in the attachments", "and {n} more in the attachments"),
}
# The noun under a large count (the PDF's and the page's at a glance): "1 / Claim".
CAPTIONS: dict[str, tuple[str, str]] = {
    "segments": ("Segment", "Segments"),
    "claims": ("Claim", "Claims"),
    "predictions": ("Prediction", "Predictions"),
    "quotes": ("Notable quote", "Notable quotes"),
}


class Labels(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str
    # Masthead
    category: str
    duration: str
    minutes: str
    speakers: str
    language_label: str
    translations: str
    watch: str
    published: str
    # Sections, in the order every format prints them
    at_a_glance: str
    timeline: str
    contents: str
    takeaways: str
    segments: str
    claims: str
    predictions: str
    facts: str
    quotes: str
    technologies: str
    companies: str
    topics: str
    companies_and_topics: str
    # Columns and small words
    time: str
    title: str
    summary: str
    segment: str
    kind: str
    claim: str
    evidence: str
    horizon: str
    years: str
    horizon_class: str
    statement: str
    value: str
    number: str
    unit: str
    range_high: str
    item: str
    amount: str
    currency: str
    context: str
    quote: str
    speaker: str
    term: str
    definition: str
    episode_id: str
    episode_title: str
    price: str
    prices: str
    count: str
    page_of: str
    """``{page}`` and ``{pages}`` are filled in: 'Page 3 of 9'."""
    truncated: str
    """Appended where a spreadsheet cell had to be cut; ``{chars}`` is the full length."""
    horizon_near: str
    horizon_medium: str
    horizon_long: str
    horizon_unspecified: str
    generated_by: str

    def horizon_name(self, horizon_class: HorizonClass) -> str:
        return getattr(self, f"horizon_{horizon_class}")

    def page(self, page: int, pages: int) -> str:
        return self.page_of.format(page=page, pages=pages)

    def how_many(self, key: str, count: int) -> str:
        """``3 claims``, ``1 claim``, ``1 affirmation``, ``0 affirmation``, ``3 条论断``."""
        singular, plural = COUNTS[key]
        text = _translations(self.language).npgettext(f"count:{key}", singular, plural, count)
        return text.format(n=self.format_number(count))

    def caption(self, key: str, count: int) -> str:
        """The section's noun under a count of ``count``: Claim for 1, Claims for 3."""
        singular, plural = CAPTIONS[key]
        return _translations(self.language).npgettext(f"caption:{key}", singular, plural, count)

    def format_number(self, number: float) -> str:
        """``1,234.5`` in English, ``1.234,5`` in German, ``1 234,5`` in French (CLDR)."""
        from babel.numbers import format_decimal

        return format_decimal(number, locale=_locale_tag(self.language))

    def format_date(self, day: date) -> str:
        """``17 October 2025`` as the locale writes a date in full (``17. Oktober 2025``)."""
        from babel.dates import format_date

        return format_date(day, format="long", locale=_locale_tag(self.language))

    def format_minutes(self, minutes: int) -> str:
        """A duration in minutes: ``60 min``, ``60 Min.``, ``60 分钟``."""
        return f"{self.format_number(minutes)} {self.minutes}"


def _locale_tag(language: str) -> str:
    return language.replace("-", "_")


def catalog_languages() -> tuple[str, ...]:
    """The languages with a catalog, English (the message ids) first."""
    found = sorted(path.parent.parent.name for path in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    return ("en", *found)


def has_catalog(language: str) -> bool:
    return _primary(language) in catalog_languages()


def _primary(language: str) -> str:
    return language.split("-")[0].split("_")[0].lower()


@functools.lru_cache(maxsize=32)
def _translations(language: str) -> gettext.NullTranslations:
    """The language's catalog compiled with Babel (read_po, write_mo), or none for English."""
    primary = _primary(language)
    po = LOCALE_DIR / primary / "LC_MESSAGES" / f"{DOMAIN}.po"
    if primary == "en" or not po.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source, locale=primary, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@functools.lru_cache(maxsize=32)
def _labels(primary: str) -> Labels:
    translations = _translations(primary)
    texts = {key: translations.pgettext(key, english) for key, english in ENGLISH_TEXT.items()}
    return Labels(language=primary, **texts)


def labels_for(language: str) -> Labels:
    """Labels for a BCP-47 tag, by its primary subtag; English when there is no catalog."""
    primary = _primary(language)
    return _labels(primary if primary in catalog_languages() else "en")


def labels_saying_so(language: str) -> Labels:
    """``labels_for``, and one line on stderr (once per language and process) when the
    language has no catalog and English stands in for it."""
    if not has_catalog(language):
        _say_english_instead(_primary(language))
    return labels_for(language)


@functools.lru_cache(maxsize=64)
def _say_english_instead(primary: str) -> None:
    # logging's last-resort handler prints the bare message on stderr when the program
    # set no handler up (the CLI does not); a program that did gets it as a warning.
    logging.getLogger("briefing").warning(
        "briefing: no labels in %r yet; English labels are used (see README, Languages)",
        primary,
    )


class _Catalogs(Mapping[str, Labels]):
    """Every language with a catalog -> its labels, each compiled when first asked for."""

    def __getitem__(self, language: str) -> Labels:
        if language not in catalog_languages():
            raise KeyError(language)
        return _labels(language)

    def __iter__(self) -> Iterator[str]:
        return iter(catalog_languages())

    def __len__(self) -> int:
        return len(catalog_languages())


LABELS: Mapping[str, Labels] = _Catalogs()
ENGLISH = _labels("en")


def __getattr__(name: str) -> Labels:
    # CHINESE and the like, compiled on first use rather than at import.
    tags = {"CHINESE": "zh", "GERMAN": "de", "FRENCH": "fr", "SPANISH": "es", "JAPANESE": "ja"}
    if name in tags:
        return _labels(tags[name])
    raise AttributeError(name)


# Shown for the episode's language and its translations.
LANGUAGE_NAMES = {
    "en": "English",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "pt": "Português",
    "it": "Italiano",
    "ru": "Русский",
    "ar": "العربية",
    "hi": "हिन्दी",
}


def language_name(tag: str) -> str:
    """``zh`` -> ``中文``; a tag we have no name for is shown as itself."""
    return LANGUAGE_NAMES.get(tag.split("-")[0].lower(), tag)
