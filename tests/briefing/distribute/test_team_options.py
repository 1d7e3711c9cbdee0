"""What a team can ask for beyond ``to`` and ``formats``: only some sections, a combined
workbook, open copies (``cc``); the size limit on a message; and the password from a real
keyring (keyrings.alt's file backend, set with the ``keyring`` command as a user would).
Every message is read back from the loopback server with the standard library, its
attachments with python-docx and openpyxl."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from briefing.source import load_episode
from tests import readback
from tests.briefing.distribute.conftest import TEAMS_TOML, SmtpServer, TlsServer, derived_episode
from tests.briefing.distribute.test_distribute import attachments, bodies, run, send, sha256

SEED_ID = "summoning-ghosts"


def teams_with(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "teams.toml"
    path.write_text(text, encoding="utf-8")
    return path


def received_by(server: SmtpServer | TlsServer) -> dict[str, object]:
    by_rcpt = server.mailbox.by_recipient()
    assert all(len(items) == 1 for items in by_rcpt.values()), "something arrived twice"
    return {rcpt: items[0].message for rcpt, items in by_rcpt.items()}


def test_sections_give_the_team_only_those_in_files_and_mail_and_a_change_is_sent_again(
    tmp_path: Path, library: Path, smtp_server: SmtpServer
) -> None:
    toml = TEAMS_TOML.replace(
        'formats = ["pdf", "docx"]', 'formats = ["docx"]\nsections = ["takeaways", "predictions"]'
    )
    teams, out = teams_with(tmp_path, toml), tmp_path / "out"
    result = send(teams, library, out, smtp_server.url)
    assert result.exit_code == 0, result.output
    episodes = [load_episode(path) for path in sorted(library.glob("*.json"))]
    for rcpt in ("ana@example.org", "raj@example.org"):
        message = received_by(smtp_server)[rcpt]
        html, text = bodies(message)
        files = attachments(message)
        assert sorted(files) == sorted(f"{episode.id}.docx" for episode in episodes)
        for episode in episodes:
            report = readback.docx_text(files[f"{episode.id}.docx"])
            assert (
                files[f"{episode.id}.docx"]
                == (out / "research" / f"{episode.id}.docx").read_bytes()
            )
            for kept in [*episode.takeaways, *(p.statement for p in episode.predictions)]:
                assert kept in report and kept in text
            for left_out in [
                *(claim.claim for claim in episode.claims),
                *(segment.title for segment in episode.segments),
                *(quote.text for quote in episode.quotes),
                *(technology.name for technology in episode.technologies),
            ]:
                assert left_out not in report and left_out not in text and left_out not in html

    # The team now wants claims too: the same episodes are new to them, with claims.
    teams.write_text(toml.replace('"predictions"]', '"predictions", "claims"]'), encoding="utf-8")
    smtp_server.mailbox.received.clear()
    again = send(teams, library, out, smtp_server.url)
    assert again.exit_code == 0, again.output
    assert sorted(smtp_server.mailbox.by_recipient()) == ["ana@example.org", "raj@example.org"]
    _, text = bodies(received_by(smtp_server)["ana@example.org"])
    assert all(episode.claims[0].claim in text for episode in episodes)


def predictions_by_episode(workbook: bytes) -> dict[str, int]:
    sheet = load_workbook(io.BytesIO(workbook), read_only=True)["Predictions"]
    rows = list(sheet.iter_rows(values_only=True))
    counts: dict[str, int] = {}
    for row in rows[1:]:
        counts[str(row[0])] = counts.get(str(row[0]), 0) + 1
    return counts


def test_combine_attaches_one_workbook_of_all_the_teams_episodes_to_every_message(
    tmp_path: Path, library: Path, smtp_server: SmtpServer
) -> None:
    toml = TEAMS_TOML.replace('formats = ["xlsx"]', 'formats = ["xlsx", "pdf"]\ncombine = true')
    teams, out = teams_with(tmp_path, toml), tmp_path / "out"
    result = send(teams, library, out, smtp_server.url)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "strategy").glob("*.*")) == [
        "episodes.xlsx",
        "manifest.json",
        "robot-hands.pdf",
        f"{SEED_ID}.pdf",
    ]
    files = attachments(received_by(smtp_server)["lee@example.org"])
    assert sorted(files) == ["episodes.xlsx", "robot-hands.pdf", f"{SEED_ID}.pdf"]
    assert sha256(files["episodes.xlsx"]) == sha256(
        (out / "strategy" / "episodes.xlsx").read_bytes()
    )
    assert predictions_by_episode(files["episodes.xlsx"]) == {"robot-hands": 3, SEED_ID: 3}

    # A new episode goes alone, with its PDF and the workbook, which now holds all three.
    derived_episode(library, "agents-decade", "The Decade of Agents", ["AGI Timelines"])
    smtp_server.mailbox.received.clear()
    again = send(teams, library, out, smtp_server.url)
    assert again.exit_code == 0, again.output
    files = attachments(received_by(smtp_server)["lee@example.org"])
    assert sorted(files) == ["agents-decade.pdf", "episodes.xlsx"]
    assert predictions_by_episode(files["episodes.xlsx"]) == {
        "agents-decade": 3,
        "robot-hands": 3,
        SEED_ID: 3,
    }


def test_cc_is_shown_openly_and_gets_a_message_of_its_own_once(
    tmp_path: Path, library: Path, smtp_server: SmtpServer
) -> None:
    toml = TEAMS_TOML.replace(
        'to = ["ana@example.org", "raj@example.org"]',
        'to = ["ana@example.org", "raj@example.org"]\ncc = ["Boss <boss@example.org>"]',
    )
    teams, out = teams_with(tmp_path, toml), tmp_path / "out"
    result = send(teams, library, out, smtp_server.url)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split()[:2] == ["research", "3"]
    received = received_by(smtp_server)
    assert sorted(received) == [
        "ana@example.org",
        "boss@example.org",
        "lee@example.org",
        "raj@example.org",
    ]
    for item in smtp_server.mailbox.received:
        assert len(item.rcpt_tos) == 1
    for rcpt in ("ana@example.org", "raj@example.org"):
        assert received[rcpt]["To"] == rcpt
        assert received[rcpt]["Cc"] == "Boss <boss@example.org>"
    boss = received["boss@example.org"]
    assert boss["To"] == "undisclosed-recipients:;"
    assert boss["Cc"] == "Boss <boss@example.org>"
    assert "ana@example.org" not in boss.as_string() and "raj@example.org" not in boss.as_string()
    assert sorted(attachments(boss)) == sorted(attachments(received["ana@example.org"]))
    assert "Cc" not in received["lee@example.org"]

    smtp_server.mailbox.received.clear()
    again = send(teams, library, out, smtp_server.url)
    assert again.exit_code == 0, again.output
    assert smtp_server.mailbox.received == []


def test_a_message_over_the_size_limit_is_reported_and_sent_by_a_run_that_allows_it(
    tmp_path: Path, library: Path, smtp_server: SmtpServer
) -> None:
    """Research's messages carry three PDFs (about 0.8 MB encoded), strategy's two workbooks
    (about 0.1 MB): a limit of 0.3 MB keeps research's back, names each and sends the rest."""
    toml = TEAMS_TOML.replace('from = "Briefings', 'max_size_mb = 0.3\nfrom = "Briefings')
    teams, out = teams_with(tmp_path, toml), tmp_path / "out"
    dry = run(teams, library, "-o", out)
    assert dry.exit_code == 1
    result = send(teams, library, out, smtp_server.url)
    assert result.exit_code == 1
    failures = [line for line in result.output.splitlines() if line.startswith("briefing:")]
    assert [line.split(": message is ")[0] for line in failures] == [
        "briefing: research: ana@example.org",
        "briefing: research: raj@example.org",
    ]
    for line in failures:
        size = float(line.split(": message is ")[1].split(" MB")[0])
        assert size > 0.3
        assert line.endswith("the limit is 0.3 MB, so it is not sent")
    assert sorted(smtp_server.mailbox.by_recipient()) == ["lee@example.org"]
    assert "research" in result.output.splitlines()[1]

    bigger = send(teams, library, out, smtp_server.url, "--max-size", "20")
    assert bigger.exit_code == 0, bigger.output
    assert sorted(received_by(smtp_server)) == [
        "ana@example.org",
        "lee@example.org",
        "raj@example.org",
    ]


def test_the_password_comes_from_the_keyring_a_user_set(
    teams_file: Path, library: Path, tmp_path: Path, starttls_server: TlsServer
) -> None:
    """``keyring set briefing-smtp:HOST USER`` as the README says, with keyrings.alt's
    plain-text file backend (a real backend, storing in a file of the test's own); the run
    that sends is a process of its own, which finds the password there."""
    pytest.importorskip("keyring")
    pytest.importorskip("keyrings.alt")
    env = {key: value for key, value in os.environ.items() if not key.startswith("BRIEFING_SMTP")}
    env |= {
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    stored = subprocess.run(
        [sys.executable, "-m", "keyring", "set", "briefing-smtp:127.0.0.1", "mailer"],
        input="s3cret!\n",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert stored.returncode == 0, stored.stderr
    assert list((tmp_path / "data").rglob("keyring_pass.cfg"))

    out = tmp_path / "out"
    command = [sys.executable, "-m", "briefing", "distribute", str(teams_file), str(library)]
    command += ["-o", str(out), "--send", "--smtp", starttls_server.url]
    command += ["--ca-file", str(starttls_server.ca_file)]
    sent = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env | {"BRIEFING_SMTP_USER": "mailer"},
        check=False,
    )
    assert sent.returncode == 0, sent.stderr
    assert "s3cret!" not in sent.stdout + sent.stderr
    assert starttls_server.logins == ["mailer"]
    assert sorted(received_by(starttls_server)) == [
        "ana@example.org",
        "lee@example.org",
        "raj@example.org",
    ]

    # Without the keyring entry the run stops before anything is rendered or sent.
    without = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env | {"BRIEFING_SMTP_USER": "nobody", "XDG_DATA_HOME": str(tmp_path / "empty")},
        check=False,
    )
    assert without.returncode == 2
    assert without.stderr.strip().splitlines() == [
        "briefing: no password for nobody at 127.0.0.1: set BRIEFING_SMTP_PASSWORD "
        "or store it with `keyring set briefing-smtp:127.0.0.1 nobody`"
    ]
