"""Episodes for tests: every text an exporter must carry, builders, and a hypothesis strategy.

Exporter tests read their output back and check ``expected_texts(episode)``
one by one, so a dropped field fails with its name and section.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

from briefing.model import Episode
from briefing.values import format_timestamp


def expected_texts(episode: Episode) -> list[tuple[str, str]]:
    """(where, text) for every piece of episode text a complete document shows."""
    texts: list[tuple[str, str]] = [("title", episode.title)]
    texts += [("category", episode.category)] if episode.category else []
    texts += [("speakers", name) for name in episode.speakers]
    texts += [("takeaways", text) for text in episode.takeaways]
    for segment in episode.segments:
        texts += [("segments", segment.title)]
        texts += [("segments", segment.summary)] if segment.summary else []
    for claim in episode.claims:
        texts += [("claims", claim.claim)]
        texts += [("claims", claim.evidence)] if claim.evidence else []
    for prediction in episode.predictions:
        texts += [("predictions", prediction.statement)]
        texts += [("predictions", prediction.horizon)] if prediction.horizon else []
    for fact in episode.facts:
        texts += [("facts", fact.statement)]
        texts += [("facts", fact.value)] if fact.value else []
    for price in episode.prices:
        texts += [("facts", price.item), ("facts", price.value)]
        texts += [("facts", price.context)] if price.context else []
    for quote in episode.quotes:
        texts += [("quotes", quote.text)]
        texts += [("quotes", quote.speaker)] if quote.speaker else []
    for technology in episode.technologies:
        texts += [("technologies", technology.name)]
        texts += [("technologies", technology.description)] if technology.description else []
    texts += [("companies_and_topics", name) for name in episode.companies]
    texts += [("companies_and_topics", name) for name in episode.topics]
    return texts


def expected_times(episode: Episode) -> list[str]:
    """Every timestamp as printed (``01:05:43``)."""
    times = [format_timestamp(segment.at) for segment in episode.segments]
    times += [format_timestamp(item.at) for _, _, item in episode.timed_items()]
    return times


def squash(text: str) -> str:
    """Whitespace collapsed, so text wrapped across lines still compares equal."""
    return re.sub(r"\s+", " ", text).strip()


def minimal_data(**overrides: Any) -> dict[str, Any]:
    """The smallest valid episode document, with fields replaced as given."""
    data: dict[str, Any] = {"schema_version": 1, "id": "tiny", "title": "Tiny episode"}
    data.update(overrides)
    return data


def make_episode(**overrides: Any) -> Episode:
    return Episode.model_validate(minimal_data(**overrides))


# -- hypothesis ---------------------------------------------------------------

_TEXT_ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=["Cs", "Cc", "Co", "Cn"],
)
texts = st.text(_TEXT_ALPHABET, min_size=1, max_size=120).filter(lambda s: s.strip())
# Long paragraphs and long unbroken words, cheap to generate: a short text repeated.
long_texts = st.one_of(
    texts,
    st.tuples(texts, st.integers(10, 80), st.sampled_from([" ", ""])).map(
        lambda parts: parts[2].join([parts[0]] * parts[1])
    ),
)


def _stamp(seconds: int) -> str:
    return format_timestamp(seconds)


@st.composite
def episode_data(draw: st.DrawFn, max_items: int = 5) -> dict[str, Any]:
    """Valid episode documents: arbitrary Unicode, empty and full sections, optional fields."""
    duration = draw(st.integers(1, 600))
    limit = duration * 60
    times = st.integers(0, limit).map(_stamp)
    segment_starts = sorted(set(draw(st.lists(st.integers(0, limit), max_size=max_items))))
    data: dict[str, Any] = {
        "schema_version": 1,
        "id": draw(
            st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,2}", fullmatch=True).filter(
                lambda s: (
                    s not in {"con", "prn", "aux", "nul", "manifest", "episodes"}
                    and not re.fullmatch(r"(com|lpt)\d", s)
                )
            )
        ),
        "title": draw(texts),
        "duration_minutes": duration,
        "language": draw(st.sampled_from(["en", "zh", "ja", "de"])),
        "speakers": draw(st.lists(texts, max_size=3)),
        "segments": [
            {"at": _stamp(start), "title": draw(texts), "summary": draw(long_texts)}
            for start in segment_starts
        ],
        "prices": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"at": times, "item": texts, "value": texts}, optional={"context": texts}
                ),
                max_size=max_items,
            )
        ),
        "facts": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"at": times, "kind": texts, "statement": long_texts}, optional={"value": texts}
                ),
                max_size=max_items,
            )
        ),
        "claims": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"at": times, "kind": texts, "claim": texts}, optional={"evidence": long_texts}
                ),
                max_size=max_items,
            )
        ),
        "predictions": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"at": times, "statement": texts}, optional={"horizon": texts}
                ),
                max_size=max_items,
            )
        ),
        "technologies": draw(
            st.lists(
                st.fixed_dictionaries({"name": texts}, optional={"description": texts}),
                max_size=max_items,
            )
        ),
        "companies": draw(st.lists(texts, max_size=max_items)),
        "topics": draw(st.lists(texts, max_size=max_items)),
        "quotes": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"text": long_texts}, optional={"speaker": texts, "at": times}
                ),
                max_size=max_items,
            )
        ),
        "takeaways": draw(st.lists(long_texts, max_size=max_items)),
    }
    if draw(st.booleans()):
        data["category"] = draw(texts)
    if draw(st.booleans()):
        video = draw(st.from_regex(r"[A-Za-z0-9_-]{1,40}", fullmatch=True))
        data["watch_url"] = f"https://example.org/watch?v={video}"
    return data


def episodes(max_items: int = 5) -> st.SearchStrategy[Episode]:
    return episode_data(max_items=max_items).map(Episode.model_validate)
