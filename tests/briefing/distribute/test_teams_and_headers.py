"""Teams files validated like themes, secrets refused unseen, and headers that episode
text can never extend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from tests.briefing.distribute.conftest import TEAMS_TOML, SmtpServer


def distribute(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["distribute", *map(str, args)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('"lee@example.org"', '"lee@example.org", "not an address"'),
            "teams.strategy.to.1: not an email address",
        ),
        (
            ('formats = ["xlsx"]', 'formats = ["xlsx"]\ncolour = "red"'),
            "teams.strategy.colour: unknown key",
        ),
        (
            ('formats = ["xlsx"]', 'formats = ["pfd"]'),
            "teams.strategy.formats.0: unknown format 'pfd'",
        ),
        (
            ("[teams.strategy]", '[teams."Strategy Team"]'),
            "teams.Strategy Team: a team name is lowercase",
        ),
        (
            ('from = "Briefings', 'subject = "{title.__class__}"\nfrom = "Briefings'),
            "mail.subject: unknown placeholder",
        ),
        (
            ('topics = ["AGI Timelines"]', 'style = "nope"'),
            "teams.strategy.style: unknown style 'nope'",
        ),
    ],
)
def test_a_bad_teams_file_is_one_line_naming_the_key_and_exit_2(
    tmp_path: Path, library: Path, change: tuple[str, str], message: str
) -> None:
    teams = tmp_path / "bad.toml"
    teams.write_text(TEAMS_TOML.replace(*change), encoding="utf-8")
    code, output = distribute(teams, library, "-o", tmp_path / "out")
    assert code == 2
    assert output.splitlines() == [output.splitlines()[0]]
    assert output.startswith(f"briefing: {teams}: {message}")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "secret",
    ['password = "hunter2-secret"', 'smtp = "smtp://me:hunter2-secret@mail.example.org"'],
)
def test_a_secret_in_the_teams_file_is_refused_without_showing_it(
    tmp_path: Path, library: Path, secret: str
) -> None:
    teams = tmp_path / "teams.toml"
    teams.write_text(TEAMS_TOML.replace("[teams.research]", f"{secret}\n\n[teams.research]"))
    code, output = distribute(teams, library)
    assert code == 2
    assert "a secret does not belong in the teams file" in output
    assert "hunter2" not in output


def test_auth_is_refused_over_plain_smtp_to_another_host(
    teams_file: Path, library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_SMTP_USER", "mailer")
    monkeypatch.setenv("BRIEFING_SMTP_PASSWORD", "s3cret!")
    code, output = distribute(teams_file, library, "--send", "--smtp", "smtp://mail.example.org")
    assert code == 2
    assert "refusing to send the password for mailer unencrypted" in output
    assert "s3cret!" not in output


def test_a_hostile_title_cannot_add_a_header(
    tmp_path: Path, library: Path, smtp_server: SmtpServer
) -> None:
    seed = library / "summoning-ghosts.json"
    data = json.loads(seed.read_text(encoding="utf-8"))
    data["title"] = "Hi\r\nBcc: evil@attacker.example\r\n\r\nInjected body \u2028X-Evil: 1"
    seed.write_text(json.dumps(data), encoding="utf-8")
    for other in ("scaling-laws", "robot-hands"):
        (library / f"{other}.json").unlink()
    teams = tmp_path / "teams.toml"
    teams.write_text(TEAMS_TOML)
    code, output = distribute(
        teams, library, "-o", tmp_path / "out", "--send", "--smtp", smtp_server.url
    )
    assert code == 0, output
    assert sorted(smtp_server.mailbox.by_recipient()) == [
        "ana@example.org",
        "lee@example.org",
        "raj@example.org",
    ]
    for item in smtp_server.mailbox.received:
        assert len(item.rcpt_tos) == 1
        message = item.message
        assert message["Bcc"] is None and message["X-Evil"] is None
        assert (
            message["Subject"] == "Briefing: Hi Bcc: evil@attacker.example Injected body X-Evil: 1"
        )
        header_block = item.data.split(b"\r\n\r\n", 1)[0]
        assert b"\r\nBcc:" not in header_block and b"\r\nX-Evil:" not in header_block


def test_status_without_a_ledger_says_nothing_was_sent(tmp_path: Path) -> None:
    code, output = distribute("--status", "-o", tmp_path)
    assert code == 0
    assert "nothing has been sent with it yet" in output


HEADERS = [b"From", b"To", b"Subject", b"Date", b"Message-ID", b"Auto-Submitted"]
HEADERS += [b"X-Auto-Response-Suppress", b"MIME-Version", b"Content-Type"]
"""Every header a message of a team without cc has, once each."""


def test_a_hostile_title_in_a_digest_subject_cannot_add_a_header_either(
    tmp_path: Path, library: Path, smtp_server: SmtpServer
) -> None:
    """Three episodes, so a digest, whose subject lists every title; the .eml of the outbox
    and the message sent hold one Subject and nothing the title tried to add."""
    seed = library / "summoning-ghosts.json"
    data = json.loads(seed.read_text(encoding="utf-8"))
    data["title"] = "Hi\r\nBcc: evil@attacker.example\nX-Evil: 1\r\n\r\n<b>body</b>"
    seed.write_text(json.dumps(data), encoding="utf-8")
    teams = tmp_path / "teams.toml"
    teams.write_text(
        TEAMS_TOML.replace(
            'from = "Briefings', 'digest_subject = "{count}: {titles}"\nfrom = "Briefings'
        )
    )
    outbox = tmp_path / "outbox"
    code, output = distribute(teams, library, "-o", tmp_path / "out", "--outbox", outbox)
    assert code == 0, output
    code, output = distribute(
        teams, library, "-o", tmp_path / "out", "--send", "--smtp", smtp_server.url
    )
    assert code == 0, output
    sent = [item.data for item in smtp_server.mailbox.received]
    written = [path.read_bytes() for path in sorted(outbox.rglob("*.eml"))]
    assert len(sent) == len(written) == 3
    for data in [*sent, *written]:
        header_block = data.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
        names = [
            line.split(b":")[0] for line in header_block.split(b"\n") if line[:1] not in b" \t"
        ]
        assert sorted(names) == sorted(HEADERS)
    research = next(
        item for item in smtp_server.mailbox.received if item.rcpt_tos == ["ana@example.org"]
    )
    assert research.message["Subject"] == (
        "3: Robot Hands; Scaling Laws, Revisited; "
        "Hi Bcc: evil@attacker.example X-Evil: 1 <b>body</b>"
    )
