"""Mail bodies: CSS inlined, table layout, no SVG, under Gmail's 102 KB for one episode and
for a digest of three, lists cut with a visible line when they must be, and a plain-text
alternative with the same takeaways, predictions and claims."""

from __future__ import annotations

import json

import pytest

from briefing.formats import MailBody, MailingExporter
from briefing.labels import ENGLISH
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.html.mail import BUDGET
from tests import readback
from tests.conftest import SEED_JSON
from tests.episodes import expected_texts
from tests.exporters.html.pages import EXPORTER, HOSTILE, hostile_episode_data

GMAIL_CLIPS_AT = 102 * 1000
"""Gmail clips a message body over about 102 KB; we stay below the lower reading."""


def seed_like(number: int) -> Episode:
    """The seed under another id and title: a seed-sized episode."""
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    data["id"] = f"episode-{number}"
    data["title"] = f"{data['title']} (part {number})"
    return Episode.model_validate(data)


def mail(episodes: list[Episode]) -> MailBody:
    from styles import load_theme

    return EXPORTER.render_mail(
        episodes, load_theme(), ENGLISH, default_context(episodes[0] if episodes else None)
    )


def html_of(body: MailBody) -> bytes:
    return body.html.encode("utf-8")


def test_the_exporter_is_a_mailing_exporter() -> None:
    assert isinstance(EXPORTER, MailingExporter)


def test_one_episode_is_its_whole_briefing_in_a_mail_body() -> None:
    episode = seed_like(1)
    body = mail([episode])
    data = html_of(body)
    assert len(data) < GMAIL_CLIPS_AT
    root = readback.html_tree(data).getroot()
    assert list(root.iter("svg", "script", "style", "link", "img")) == []
    # Layout by tables, style in attributes.
    assert root.find("body/table").get("role") == "presentation"
    assert root.find(".//h1").get("style")
    text = readback.html_text(data)
    assert [(w, t) for w, t in expected_texts(episode) if t not in text] == []
    assert "more in the attachments" not in text
    for t in [*episode.takeaways, *(c.claim for c in episode.claims)]:
        assert t in body.text
    for prediction in episode.predictions:
        assert prediction.statement in body.text


def test_a_digest_of_three_summarises_each_episode() -> None:
    episodes = [seed_like(n) for n in (1, 2, 3)]
    body = mail(episodes)
    assert len(html_of(body)) < GMAIL_CLIPS_AT
    text = readback.html_text(html_of(body))
    for episode in episodes:
        assert episode.title in text and episode.title in body.text
        for item in [
            *episode.takeaways,
            *(c.claim for c in episode.claims),
            *(p.statement for p in episode.predictions),
        ]:
            assert item in text
            assert item in body.text
    # The rest is in the attachments: no segment summaries, no quotes.
    assert episodes[0].segments[1].summary not in text
    assert episodes[0].quotes[0].text not in text


def _big(number: int, items: int) -> Episode:
    words = "a long sentence of the kind speakers say when they think aloud " * 3
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    data["id"] = f"big-{number}"
    data["takeaways"] = [f"Takeaway {i}: {words}" for i in range(items)]
    data["claims"] = [
        {"at": "10:00", "kind": "Bottleneck", "claim": f"Claim {i}: {words}", "evidence": words}
        for i in range(items)
    ]
    data["predictions"] = [
        {"at": "20:00", "horizon": "10 years", "statement": f"Prediction {i}: {words}"}
        for i in range(items)
    ]
    return Episode.model_validate(data)


@pytest.mark.parametrize("count", [1, 3])
def test_too_much_is_cut_with_a_line_that_says_so(count: int) -> None:
    episodes = [_big(n, 400) for n in range(count)]
    body = mail(episodes)
    data = html_of(body)
    assert len(data) <= BUDGET
    text = readback.html_text(data)
    for episode in episodes:
        shown = [t for t in episode.takeaways if t in text]
        assert 0 < len(shown) < len(episode.takeaways)
        line = f"and {len(episode.takeaways) - len(shown)} more in the attachments"
        assert line in text and line in body.text
        # The plain text has exactly the items the HTML has.
        assert [t for t in episode.takeaways if t in body.text] == shown
        claims = [c.claim for c in episode.claims if c.claim in text]
        assert [c.claim for c in episode.claims if c.claim in body.text] == claims


def test_hostile_text_in_a_mail_stays_text() -> None:
    episode = Episode.model_validate(hostile_episode_data())
    body = mail([episode, episode])
    root = readback.html_tree(html_of(body)).getroot()
    assert list(root.iter("script", "img", "svg", "b", "textarea")) == []
    hooks = readback.html_hooks(html_of(body))
    assert {h.value for h in hooks} == {episode.watch_url}
    text = readback.html_text(html_of(body))
    for bad in HOSTILE:
        assert f"Takeaway {bad}" in text and f"Takeaway {bad}" in body.text


def test_mail_bodies_are_the_same_every_time() -> None:
    episodes = [seed_like(1), seed_like(2)]
    assert mail(episodes) == mail(episodes)


def test_a_mail_needs_an_episode() -> None:
    with pytest.raises(ValueError, match="at least one episode"):
        mail([])
