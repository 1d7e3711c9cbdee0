"""SOURCE_DATE_EPOCH: a malformed value stops every dated command before any work, and
no library reads the variable behind our back (reportlab did, into the PDF's /ID)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefing.cli import cli
from briefing.formats import NoCache, Registry, RenderContext
from briefing.labels import ENGLISH
from briefing.model import Episode
from briefing.reproducible import (
    FALLBACK,
    InvalidSourceDateEpoch,
    parse_source_date_epoch,
    source_date_epoch,
)
from exporters.pdf import PdfExporter
from styles import Theme
from tests.conftest import SEED_JSON

FORMATS = Registry.from_metadata().names()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("  ", None),
        ("1700000000", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (" 1700000000\n", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("0", FALLBACK),
        ("-86400", FALLBACK),
    ],
)
def test_whole_seconds_are_read(value: str, expected: datetime | None) -> None:
    assert parse_source_date_epoch(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12x", "got '12x'"),
        ("1.5", "got '1.5'"),
        ("1e9", "got '1e9'"),
        ("١٢٣", "got '١٢٣'"),  # digits, but not the ASCII `date +%s` prints
        ("1\n\u202e2", "got '1\\n\\u202e2'"),
        ("9" * 30, "is past the year 9999"),
    ],
)
def test_anything_else_is_one_line_naming_the_variable(value: str, message: str) -> None:
    with pytest.raises(InvalidSourceDateEpoch) as raised:
        parse_source_date_epoch(value)
    text = str(raised.value)
    assert text.startswith("SOURCE_DATE_EPOCH: ") and message in text
    assert "\n" not in text


DATED_RUNS = [
    *(["export", str(SEED_JSON), "-f", name, "-o", "{out}"] for name in FORMATS),
    ["track", str(SEED_JSON), "-o", "{out}/tracker.xlsx"],
    ["distribute", "{out}/teams.toml", str(SEED_JSON)],
]


@pytest.mark.parametrize("command", DATED_RUNS, ids=lambda command: " ".join(command[:4:3]))
def test_a_malformed_value_is_exit_2_before_any_work(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [part.format(out=out) for part in command])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "briefing: SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 UTC, as "
        "`date +%s` prints them, got 'yesterday'"
    ]
    assert not out.exists()


def _pdf(episode: Episode, theme: Theme) -> bytes:
    context = RenderContext(date=FALLBACK, generator="briefing test", cache=NoCache())
    return PdfExporter().render(episode, theme, ENGLISH, context)


def test_reportlab_does_not_read_the_variable(
    seed_episode: Episode, default_theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same context gives the same PDF, /ID included, whatever the variable holds:
    reportlab's own TimeStamp read it into the signature the /ID is made from (and its
    int() of a malformed value raised in the middle of the build)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    unset = _pdf(seed_episode, default_theme)
    for value in ("315532800", "1700000000", "not a number"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        assert _pdf(seed_episode, default_theme) == unset, value
    trailer_id = PdfReader(io.BytesIO(unset)).trailer["/ID"]
    assert trailer_id[0] == trailer_id[1]


def test_the_variable_still_sets_the_date_the_pipeline_hands_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date_epoch() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
