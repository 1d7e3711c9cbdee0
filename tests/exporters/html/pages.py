"""Pages and mail bodies of the HTML briefing, made once for the tests that read them."""

from __future__ import annotations

from briefing.formats import RenderContext
from briefing.labels import Labels
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.html import HtmlExporter
from styles import Theme

EXPORTER = HtmlExporter()
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "javascript:alert(3)",
    '"><svg onload=alert(4)>',
    "</title></style></textarea><b>bold?</b>",
    "a & b &amp; c &lt;d&gt;",
    "{{ 7 * 7 }} {% raw %}",
]


def page(
    episode: Episode, theme: Theme, labels: Labels, context: RenderContext | None = None
) -> bytes:
    return EXPORTER.render(episode, theme, labels, context or default_context(episode))


def hostile_episode_data() -> dict[str, object]:
    """An episode whose every text field holds something that would act in a browser."""
    text = " | ".join(HOSTILE)
    return {
        "schema_version": 1,
        "id": "hostile",
        "title": f"Title {text}",
        "category": f"Category {text}",
        "duration_minutes": 60,
        "speakers": [f"Speaker {bad}" for bad in HOSTILE],
        "watch_url": "https://example.org/watch?v=1&t=2",
        "segments": [{"at": "00:00", "title": f"Segment {text}", "summary": f"Summary {text}"}],
        "claims": [
            {
                "at": "01:00",
                "kind": f"Kind {text}",
                "claim": f"Claim {text}",
                "evidence": f"Evidence {text}",
            }
        ],
        "predictions": [
            {"at": "02:00", "horizon": f"Horizon {text}", "statement": f"Prediction {text}"}
        ],
        "facts": [
            {"at": "03:00", "kind": "Memory", "statement": f"Fact {text}", "value": f"5 {text}"}
        ],
        "prices": [
            {"at": "04:00", "item": f"Item {text}", "value": "$5", "context": f"Context {text}"}
        ],
        "quotes": [{"at": "05:00", "text": f"Quote {text}", "speaker": f"Quoted {text}"}],
        "technologies": [{"name": f"Tech {text}", "description": f"Description {text}"}],
        "companies": [f"Company {bad}" for bad in HOSTILE],
        "topics": [f"Topic {bad}" for bad in HOSTILE],
        "takeaways": [f"Takeaway {bad}" for bad in HOSTILE],
    }
