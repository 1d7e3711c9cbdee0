"""Source pages -> episodes: the seed exactly, and pages it was not fitted to."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.ingest_growth import PATTERNS
from briefing.cli import cli
from briefing.ingest import MAX_PROBLEMS, IngestError, ingest_page, parse_page
from briefing.lines import TIME, split_heading, split_quote
from briefing.source import episode_json
from tests.conftest import ROOT, SEED_JSON, SEED_PAGE

HEADER = """Two Hosts: A Test Page

Category: Tests · Duration: 2 h 5 min · ▶ Watch https://example.org/watch?v=abc

Speakers: Ada · Grace
"""


def page(body: str) -> str:
    return HEADER + "\n" + body


def test_seed_page_ingests_to_exactly_the_bundled_json() -> None:
    episode = ingest_page(SEED_PAGE)
    assert episode_json(episode) == SEED_JSON.read_text(encoding="utf-8")


def test_cli_ingest_prints_the_bundled_json() -> None:
    result = CliRunner().invoke(cli, ["ingest", str(SEED_PAGE)])
    assert result.exit_code == 0
    assert result.stdout == SEED_JSON.read_text(encoding="utf-8")


def test_cli_ingest_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "episode.json"
    result = CliRunner().invoke(cli, ["ingest", str(SEED_PAGE), "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == SEED_JSON.read_text(encoding="utf-8")


def test_any_facts_or_claims_heading_keeps_its_kind() -> None:
    episode = parse_page(
        page(
            "Compute Facts (1)\n\n  • [01:00] Training used a lot.\n    • ~10^26 FLOPs\n\n"
            "Safety Claims (1)\n\n  • [02:00] Alignment is hard.\n    • Evidence: Many tried.\n\n"
            "Memory Facts\n\n  • [03:00] Weights hold little.\n    • 0.075 bits/token\n"
        ),
        "page.txt",
        "two-hosts",
    )
    assert [(fact.kind, fact.number, fact.unit) for fact in episode.facts] == [
        ("Compute", 1e26, "FLOPs"),
        ("Memory", 0.075, "bits/token"),
    ]
    assert [(claim.kind, claim.evidence) for claim in episode.claims] == [("Safety", "Many tried.")]
    assert episode.duration_minutes == 125
    assert episode.watch_url == "https://example.org/watch?v=abc"
    assert episode.speakers == ["Ada", "Grace"]


def test_sections_may_be_missing_or_empty() -> None:
    episode = parse_page(page("Predictions (0)\n\nTakeaways\n\n  • Only this.\n"), "p.txt", "x")
    assert episode.predictions == [] and episode.segments == []
    assert episode.takeaways == ["Only this."]


def test_tab_separated_price_rows_and_horizonless_predictions() -> None:
    episode = parse_page(
        page(
            "Specific Prices (1)\n\nTimestamp\tItem\tValue\tContext\n"
            "10:00\tGPU hour on a big cloud\t€2.50\tQuoted in passing\n\n"
            "Predictions (1)\n\n  • [11:00] Something, some day.\n"
        ),
        "p.txt",
        "x",
    )
    (price,) = episode.prices
    assert (price.item, price.amount, price.currency) == ("GPU hour on a big cloud", 2.5, "EUR")
    assert episode.predictions[0].horizon is None
    assert episode.predictions[0].horizon_class == "unspecified"


def test_chinese_page_is_guessed_as_zh() -> None:
    text = "幽灵的召唤\n\nSpeakers: 卡帕西\n\nSwitch language → English\n\nTakeaways\n\n  • 智能体需要十年。\n"
    episode = parse_page(text, "zh.txt", "zh-episode")
    assert episode.language == "zh"
    assert episode.translations == ["en"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Segments (2)\n\n  • 00:00 · Intro\n",
            "p.txt:7: 'Segments (2)' promises 2 items but 1 were read",
        ),
        (
            "Segments\n\n  • Intro without a time\n",
            "p.txt:9: expected '• MM:SS · Title' in Segments",
        ),
        (
            "Predictions\n\n  • 01:00 no brackets\n",
            "p.txt:9: expected '• [MM:SS, horizon] statement'",
        ),
        ("Takeaways\n\nnot a bullet\n", "p.txt:9: expected a '•' item in Takeaways"),
        (
            "Segments\n\n  • 00:99 · Bad time\n",
            "p.txt:9: segments.0.at: minutes and seconds must be below 60",
        ),
        (
            "Segments\n\n  • 03:00:00 · Too late\n",
            "p.txt:9: segments.0.at: 03:00:00 is past the end",
        ),
        ("Specific Prices\n\n10:00 Priceless nothing here\n", "p.txt:9: expected a price row"),
    ],
)
def test_malformed_pages_name_the_line(body: str, expected: str) -> None:
    with pytest.raises(IngestError) as error:
        parse_page(page(body), "p.txt", "x")
    assert any(line.startswith(expected) for line in error.value.lines), error.value.lines


def test_unknown_header_line_is_reported() -> None:
    with pytest.raises(IngestError, match=r"p\.txt:3: expected a header"):
        parse_page("Title\n\nMystery line\n", "p.txt", "x")


def test_cli_ingest_of_a_bad_page_exits_1_with_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(page("Segments (3)\n\n  • 00:00 · Intro\n"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:7: 'Segments (3)' promises 3 items")
    assert "Traceback" not in result.output


def test_empty_page_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(IngestError, match="empty page"):
        ingest_page(empty)


def test_a_padded_duration_line_is_read_in_linear_time() -> None:
    """Three adjacent \\s* made this cubic: 4,000 spaces took two minutes."""
    page = "T\n\nCategory: x · Duration:" + " " * 100_000 + "x\n"
    with pytest.raises(IngestError) as raised:
        parse_page(page, "p.txt", "x")
    assert raised.value.lines[0].startswith("p.txt:3: expected 'Duration: N min'")


def test_a_padded_price_row_is_read_in_linear_time() -> None:
    """Overlapping runs of spaces around the item were cubic: 2,000 spaces took 133 s."""
    page = "T\n\nPrices\n00:00" + " " * 100_000 + "y\n"
    with pytest.raises(IngestError) as raised:
        parse_page(page, "p.txt", "x")
    assert raised.value.lines[0].startswith("p.txt:4: expected a price row")


def test_a_count_of_thousands_of_digits_is_one_line() -> None:
    page = "T\n\nSegments (" + "9" * 5_000 + ")\n"
    with pytest.raises(IngestError) as raised:
        parse_page(page, "p.txt", "x")
    assert raised.value.lines == ["p.txt:3: 'Segments' has a count of 5,000 digits"]


WORST_LINES_SCRIPT = """
import json, sys
from benchmarks.ingest_growth import PATTERNS
from briefing.ingest import IngestError, parse_page
found = {}
for name, make in PATTERNS.items():
    try:
        episode = parse_page(make(100_000), "p.txt", "padded")
    except IngestError as error:
        found[name] = error.lines
    else:
        found[name] = [f"quotes: {len(episode.quotes)}"]
print(json.dumps(found))
"""


def test_the_worst_lines_of_100k_characters_are_read_at_once() -> None:
    """Every pattern of the benchmark's ingest growth series, at its largest size, in a
    process of its own: the quote pattern this replaced was cubic around a dash (4,000
    spaces took two minutes; 100,000 would take days), the heading pattern made 61
    passes over a padded line. Milliseconds now; the timeout only stops a regression."""
    done = subprocess.run(
        [sys.executable, "-c", WORST_LINES_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=True,
    )
    found = json.loads(done.stdout)
    assert len(found) == len(PATTERNS)
    for name, lines in found.items():
        # One short line each: the line's text is quoted, cut, with its length.
        assert 1 <= len(lines) <= 2, name
        assert all(len(line) < 400 for line in lines), (name, lines)
    assert found["quote, spaces around a dash, no time"] == ["quotes: 1"]
    assert found["header, separators only"][0].startswith("p.txt:3: expected a header")
    assert found["header, separators only"][0].endswith("(and 33,332 more parts)")


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("Plain words.", ("Plain words.", "", "")),
        ("Said well. — Ada @ 01:02", ("Said well.", "Ada", "01:02")),
        ("Said well. – Ada", ("Said well.", "Ada", "")),
        ("Said well. @ 1:02:03", ("Said well.", "", "1:02:03")),
        # The speaker is after the last dash; an earlier one stays in the text.
        ("A — B — Ada @ 01:02", ("A — B", "Ada", "01:02")),
        # A dash or an at sign without spaces around it is part of the text.
        ("Self—made @noon", ("Self—made @noon", "", "")),
        ("Mail ada@example.org — Ada", ("Mail ada@example.org", "Ada", "")),
        # A speaker holds no @, and a time is a time.
        ("A — Ada @ noon", ("A — Ada @ noon", "", "")),
        ("A   —   Ada   @   01:02", ("A", "Ada", "01:02")),
        ("— Ada", ("— Ada", "", "")),
    ],
)
def test_a_quote_line_splits_into_text_speaker_and_time(
    line: str, parts: tuple[str, str, str]
) -> None:
    assert split_quote(line) == parts


def test_a_page_of_many_bad_lines_lists_a_hundred_and_counts_the_rest() -> None:
    page = "T\n\nKey Topics\n" + "".join(f"x{n}\n" for n in range(3)) + "Takeaways\n"
    page += "".join(f"not a bullet {n}\n" for n in range(250))
    with pytest.raises(IngestError) as raised:
        parse_page(page, "p.txt", "x")
    assert len(raised.value.lines) == MAX_PROBLEMS + 1
    assert (
        raised.value.lines[0] == "p.txt:8: expected a '•' item in Takeaways, got 'not a bullet 0'"
    )
    assert raised.value.lines[-1] == "p.txt: and 150 more problems"


# The patterns the hand-written splits replaced: the reference they must read alike.
OLD_QUOTE = re.compile(
    rf"(?P<text>.+?)(?:\s+[—–]\s+(?P<speaker>[^—–@]+?))?(?:\s+@\s+(?P<at>{TIME}))?"
)
OLD_HEADING = re.compile(r"^(?P<name>[^\W\d_][\w&'’ -]{0,60}?)(?:\s*\((?P<count>\d+)\))?$")


def _random_lines(pieces: list[str], seed: int, count: int = 20_000) -> list[str]:
    chooser = random.Random(seed)
    lines = ("".join(chooser.choices(pieces, k=chooser.randint(1, 10))) for _ in range(count))
    return [line.strip() for line in lines if line.strip()]


def test_quotes_split_as_the_pattern_they_replaced_read() -> None:
    pieces = ["a", " ", "  ", "—", "–", "@", "0", "1", ":", "01:00", "\t", "Ada"]
    for line in _random_lines(pieces, seed=1):
        match = OLD_QUOTE.fullmatch(line)
        assert match is not None
        expected = (match["text"], match["speaker"] or "", match["at"] or "")
        assert split_quote(line) == expected, line


def test_headings_split_as_the_pattern_they_replaced_read() -> None:
    pieces = ["S", "a", " ", "(", ")", "1", "22", "\t", "-", "é", "٣", "x" * 30, "&"]
    for line in _random_lines(pieces, seed=2):
        match = OLD_HEADING.match(line)
        expected = (match["name"].strip(), match["count"]) if match else None
        assert split_heading(line) == expected, line
