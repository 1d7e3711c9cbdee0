"""The sections of the PDF briefing: every timed item names the segment it falls in."""

from __future__ import annotations

from briefing.labels import labels_for
from tests.episodes import make_episode, squash
from tests.exporters.pdf.reading import page_texts, read, render


def _segment_notes(text: str, label: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith(f"{label}: ")]


def test_every_timed_item_names_its_segment(default_theme):
    episode = make_episode(
        duration_minutes=30,
        segments=[
            {"at": "00:00", "title": "Opening words"},
            {"at": "10:00", "title": "The middle part"},
        ],
        claims=[{"at": "01:00", "kind": "K", "claim": "A claim."}],
        predictions=[{"at": "11:00", "horizon": "5 years", "statement": "A prediction."}],
        facts=[{"at": "02:00", "kind": "F", "statement": "A fact.", "value": "3 kg"}],
        prices=[{"at": "12:00", "item": "A thing", "value": "$5"}],
        quotes=[
            {"text": "Said early.", "speaker": "Ann", "at": "03:00"},
            {"text": "Said late.", "speaker": "Bo", "at": "13:00"},
            {"text": "Said at no time.", "speaker": "Cy"},
        ],
    )
    labels = labels_for("en")
    text = "\n".join(page_texts(read(render(episode, default_theme))))
    notes = _segment_notes(text, labels.segment)
    # claim, prediction, fact, price, two timed quotes; the untimed quote names none.
    assert [squash(note) for note in notes] == [
        "Segment: Opening words",
        "Segment: The middle part",
        "Segment: Opening words",
        "Segment: The middle part",
        "Segment: Opening words",
        "Segment: The middle part",
    ]
    late_quote = text.index("Said late.")
    assert text.index("Segment: The middle part", late_quote) < text.index("Said at no time.")
