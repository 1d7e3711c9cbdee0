"""The bundled episode and the model's own rules."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from briefing.model import Episode
from briefing.source import episode_json
from tests.conftest import SEED_JSON
from tests.episodes import make_episode, minimal_data


def test_seed_has_every_item_of_the_source_page(seed_episode: Episode) -> None:
    counts = {
        "speakers": 2,
        "segments": 14,
        "prices": 1,
        "facts": 2,
        "claims": 3,
        "predictions": 3,
        "technologies": 4,
        "companies": 5,
        "quotes": 3,
        "topics": 7,
        "takeaways": 5,
    }
    assert {name: len(getattr(seed_episode, name)) for name in counts} == counts
    assert seed_episode.title == "Dwarkesh + Andrej Karpathy: Summoning Ghosts"
    assert seed_episode.category == "Expert Interviews"
    assert seed_episode.duration_minutes == 146
    assert seed_episode.language == "en"
    assert seed_episode.translations == ["zh"]
    assert all(quote.speaker == "Andrej Karpathy" for quote in seed_episode.quotes)


def test_seed_derived_values(seed_episode: Episode) -> None:
    memory, kv_cache = seed_episode.facts
    assert (memory.number, memory.unit, memory.kind) == (0.075, "bits/token", "Memory")
    assert (kv_cache.number, kv_cache.unit) == (320, "kB per token")
    (nanogpt,) = seed_episode.prices
    assert (nanogpt.amount, nanogpt.currency) == (100, "USD")
    assert nanogpt.segment is not None and nanogpt.segment.title.startswith("NanoGPT")
    horizons = [(p.horizon_years, p.horizon_class) for p in seed_episode.predictions]
    assert horizons == [(10, "long"), (None, "near"), (None, "long")]
    assert [claim.segment.title for claim in seed_episode.claims if claim.segment] == [
        "The Decade of Agents",
        "Automating AI Engineering",
        "AI in Education",
    ]


def test_seed_json_is_canonical(seed_episode: Episode) -> None:
    """Stored JSON round-trips through the model unchanged: nothing derived is stored."""
    assert episode_json(seed_episode) == SEED_JSON.read_text(encoding="utf-8")
    stored = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    assert "number" not in stored["facts"][0] and "horizon_years" not in stored["predictions"][0]


def test_text_is_normalised_on_the_way_in() -> None:
    episode = make_episode(title="  Cafe\u0301 \x00talk\ufffe ", takeaways=["line one\r\nline two"])
    assert episode.title == "Café talk"
    assert episode.takeaways == ["line one\nline two"]


def test_segment_of_an_item_is_the_last_one_started() -> None:
    episode = make_episode(
        duration_minutes=60,
        segments=[{"at": "00:00", "title": "A"}, {"at": "10:00", "title": "B"}],
        claims=[
            {"at": "09:59", "kind": "K", "claim": "in A"},
            {"at": "10:00", "kind": "K", "claim": "in B"},
        ],
        quotes=[{"text": "no time"}],
    )
    assert [claim.segment.title for claim in episode.claims if claim.segment] == ["A", "B"]
    assert episode.quotes[0].segment is None


def test_items_before_the_first_segment_have_none() -> None:
    episode = make_episode(
        segments=[{"at": "05:00", "title": "Late start"}],
        facts=[{"at": "01:00", "kind": "K", "statement": "early"}],
    )
    assert episode.facts[0].segment is None


def test_published_date_anchors_by_year_horizons() -> None:
    episode = make_episode(
        published="2025-10-17",
        predictions=[{"at": "00:10", "horizon": "by 2030", "statement": "x"}],
    )
    assert (episode.predictions[0].horizon_years, episode.predictions[0].horizon_class) == (
        5,
        "medium",
    )


def test_last_minute_of_the_duration_is_inside() -> None:
    make_episode(duration_minutes=10, segments=[{"at": "10:59", "title": "Outro"}])
    with pytest.raises(ValidationError, match="past the end"):
        make_episode(duration_minutes=10, segments=[{"at": "11:00", "title": "Outro"}])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "UPPER"),
        ("id", "a" * 81),
        ("id", "a--b"),
        ("id", "lpt1"),
        ("duration_minutes", 0),
        ("duration_minutes", 1.5),
        ("translations", ["not a tag!"]),
        ("companies", [""]),
        ("watch_url", "ftp://example.org/x"),
    ],
)
def test_invalid_fields_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as error:
        Episode.model_validate(minimal_data(**{field: value}))
    assert error.value.errors()[0]["loc"][0] == field


def test_episodes_are_immutable(seed_episode: Episode) -> None:
    with pytest.raises(ValidationError):
        seed_episode.title = "changed"  # type: ignore[misc]
