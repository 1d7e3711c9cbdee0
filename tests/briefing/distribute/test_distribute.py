"""``briefing distribute`` end to end: the seed plus two episodes, the two teams of the
issue, a dry run, an outbox and a send to a real SMTP server on loopback; reruns,
failures part-way and the ledger."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from click.testing import CliRunner, Result

from briefing.cli import cli
from briefing.source import load_episode
from tests.briefing.distribute.conftest import Mailbox, SmtpServer, TlsServer

RESEARCH = {"ana@example.org", "raj@example.org"}
ALL = sorted([*RESEARCH, "lee@example.org"])
SEED_ID = "summoning-ghosts"


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["distribute", *map(str, args)], env=env)


def send(teams: Path, library: Path, out: Path, url: str, *more: str) -> Result:
    return run(teams, library, "-o", out, "--send", "--smtp", url, "--retry-delay", "0", *more)


def attachments(message: EmailMessage) -> dict[str, bytes]:
    found = {}
    for part in message.iter_attachments():
        name = part.get_filename()
        assert name is not None
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found[name] = payload
    return found


def bodies(message: EmailMessage) -> tuple[str, str]:
    alternative = next(
        part for part in message.walk() if part.get_content_type() == "multipart/alternative"
    )
    parts = {part.get_content_type(): part.get_content() for part in alternative.iter_parts()}
    return parts["text/html"], parts["text/plain"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_dry_run_renders_each_teams_files_prints_the_plan_and_sends_nothing(
    teams_file: Path, library: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    out = tmp_path / "teams-out"
    result = run(teams_file, library, "-o", out, env={"BRIEFING_SMTP_URL": smtp_server.url})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["team", "recipients", "episodes", "attachments", "total", "size"]
    research, strategy = lines[1].split(), lines[2].split()
    assert research[:4] == ["research", "2", "3", "6"]
    assert strategy[:4] == ["strategy", "1", "2", "2"]
    assert research[5] == strategy[5] == "MB"
    assert "Dry run: nothing sent" in result.output
    assert sorted(p.name for p in (out / "research").iterdir()) == sorted(
        [f"{e}.{s}" for e in ("robot-hands", "scaling-laws", SEED_ID) for s in ("pdf", "docx")]
        + ["manifest.json"]
    )
    assert sorted(p.name for p in (out / "strategy").glob("*.xlsx")) == [
        "robot-hands.xlsx",
        f"{SEED_ID}.xlsx",
    ]
    assert smtp_server.mailbox.received == []
    assert not (out / "ledger.sqlite").exists()


def test_outbox_writes_one_eml_per_recipient_and_sends_nothing(
    teams_file: Path, library: Path, tmp_path: Path
) -> None:
    out, outbox = tmp_path / "out", tmp_path / "outbox"
    result = run(teams_file, library, "-o", out, "--outbox", outbox)
    assert result.exit_code == 0, result.output
    files = sorted(path.relative_to(outbox).as_posix() for path in outbox.rglob("*.eml"))
    assert files == [
        "research/ana@example.org.eml",
        "research/raj@example.org.eml",
        "strategy/lee@example.org.eml",
    ]
    for path in outbox.rglob("*.eml"):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        assert message["To"] == path.stem
        for name, data in attachments(message).items():
            assert data == (out / path.parent.name / name).read_bytes()
    assert not (out / "ledger.sqlite").exists()


def check_delivery(mailbox: Mailbox, out: Path, library: Path) -> None:
    """Every recipient got exactly one message, addressed to them alone, with the right
    bodies and attachments that are the bundle's files byte for byte."""
    by_rcpt = mailbox.by_recipient()
    assert sorted(by_rcpt) == ALL
    assert all(len(items) == 1 for items in by_rcpt.values()), "something arrived twice"
    ids = [message.message["Message-ID"] for message in mailbox.received]
    assert len(set(ids)) == len(ids)
    titles = {path.stem: load_episode(path).title for path in library.glob("*.json")}
    for rcpt, (item,) in by_rcpt.items():
        message = item.message
        team = "research" if rcpt in RESEARCH else "strategy"
        assert item.mail_from == "briefings@example.org"
        assert item.rcpt_tos == [rcpt]
        assert message["To"] == rcpt
        assert message["Cc"] is None and message["Bcc"] is None
        assert message.get_content_type() == "multipart/mixed"
        html, text = bodies(message)
        expected = {
            "research": ["robot-hands", "scaling-laws", SEED_ID],
            "strategy": ["robot-hands", SEED_ID],
        }[team]
        for episode_id in expected:
            episode = load_episode(library / f"{episode_id}.json")
            assert episode.takeaways[0] in text
            assert episode.predictions[0].statement in text
            assert episode.claims[0].claim in text
            assert titles[episode_id].replace("&", "&amp;") in html
        assert len(html.encode("utf-8")) < 102_000
        assert message["Subject"] == f"Briefing digest: {len(expected)} episodes"
        files = attachments(message)
        suffixes = ("pdf", "docx") if team == "research" else ("xlsx",)
        assert sorted(files) == sorted(f"{e}.{s}" for e in expected for s in suffixes)
        for name, data in files.items():
            assert sha256(data) == sha256((out / team / name).read_bytes())


def test_send_delivers_each_recipient_exactly_once_and_a_rerun_sends_nothing(
    teams_file: Path, library: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    out = tmp_path / "out"
    result = send(teams_file, library, out, smtp_server.url)
    assert result.exit_code == 0, result.output
    assert "Sent 3 of 3 messages." in result.output
    check_delivery(smtp_server.mailbox, out, library)

    again = send(teams_file, library, out, smtp_server.url)
    assert again.exit_code == 0, again.output
    assert "Sent 0 of 0 messages." in again.output
    assert again.output.splitlines()[1].split()[1:5] == ["0", "of", "2", "0"]
    check_delivery(smtp_server.mailbox, out, library)

    status = run("--status", "-o", out)
    assert status.exit_code == 0, status.output
    rows = status.output.splitlines()[1:]
    assert len(rows) == 3
    assert all(" sent " in row and "250 2.0.0 queued as" in row for row in rows)
    assert any("lee@example.org" in row and f"robot-hands {SEED_ID}" in row for row in rows)


def test_a_new_episode_goes_alone_to_those_who_have_the_others(
    teams_file: Path, library: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    out = tmp_path / "out"
    (library / "robot-hands.json").rename(tmp_path / "robot-hands.json")
    assert send(teams_file, library, out, smtp_server.url).exit_code == 0
    (tmp_path / "robot-hands.json").rename(library / "robot-hands.json")
    smtp_server.mailbox.received.clear()
    result = send(teams_file, library, out, smtp_server.url)
    assert result.exit_code == 0, result.output
    assert len(smtp_server.mailbox.received) == 3
    for item in smtp_server.mailbox.received:
        message = item.message
        assert message["Subject"] == "Briefing: Robot Hands"
        assert all(name.startswith("robot-hands.") for name in attachments(message))


def test_a_451_is_retried_in_the_run_and_arrives_once(
    teams_file: Path, library: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    smtp_server.mailbox.try_later["raj@example.org"] = 2
    out = tmp_path / "out"
    result = send(teams_file, library, out, smtp_server.url)
    assert result.exit_code == 0, result.output
    check_delivery(smtp_server.mailbox, out, library)


def test_a_550_for_one_recipient_stops_no_one_else_and_the_next_run_sends_only_it(
    teams_file: Path, library: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    smtp_server.mailbox.refuse.add("ana@example.org")
    out = tmp_path / "out"
    result = send(teams_file, library, out, smtp_server.url)
    assert result.exit_code == 1
    failures = [line for line in result.output.splitlines() if line.startswith("briefing:")]
    assert failures == [
        "briefing: research: ana@example.org: recipient refused: 550 5.1.1 no such user here"
    ]
    assert sorted(smtp_server.mailbox.by_recipient()) == ["lee@example.org", "raj@example.org"]

    smtp_server.mailbox.refuse.clear()
    again = send(teams_file, library, out, smtp_server.url)
    assert again.exit_code == 0, again.output
    assert "Sent 1 of 1 message." in again.output
    check_delivery(smtp_server.mailbox, out, library)
    statuses = Counter(row.split()[3] for row in run("--status", "-o", out).output.splitlines()[1:])
    assert statuses == {"sent": 3, "failed": 1}


def test_a_connection_dropped_part_way_is_finished_by_the_next_run_without_duplicates(
    teams_file: Path, library: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    smtp_server.mailbox.accept_at_most = 1
    out = tmp_path / "out"
    result = send(teams_file, library, out, smtp_server.url, "--retries", "1")
    assert result.exit_code == 1
    failures = [line for line in result.output.splitlines() if line.startswith("briefing:")]
    assert len(failures) == 2
    assert all("connection lost" in line for line in failures)
    assert len(smtp_server.mailbox.received) == 1

    smtp_server.mailbox.accept_at_most = None
    again = send(teams_file, library, out, smtp_server.url)
    assert again.exit_code == 0, again.output
    assert "Sent 2 of 2 messages." in again.output
    check_delivery(smtp_server.mailbox, out, library)


def test_one_dropped_connection_is_retried_on_a_new_one(
    teams_file: Path, library: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    smtp_server.mailbox.drop["ana@example.org"] = 1
    out = tmp_path / "out"
    result = send(teams_file, library, out, smtp_server.url)
    assert result.exit_code == 0, result.output
    check_delivery(smtp_server.mailbox, out, library)


def test_resend_sends_again_on_purpose_with_new_message_ids(
    teams_file: Path, library: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    out = tmp_path / "out"
    assert send(teams_file, library, out, smtp_server.url).exit_code == 0
    first = {item.rcpt_tos[0]: item.message["Message-ID"] for item in smtp_server.mailbox.received}
    smtp_server.mailbox.received.clear()
    result = send(teams_file, library, out, smtp_server.url, "--resend")
    assert result.exit_code == 0, result.output
    second = {item.rcpt_tos[0]: item.message["Message-ID"] for item in smtp_server.mailbox.received}
    assert sorted(second) == ALL
    assert all(first[rcpt] != second[rcpt] for rcpt in ALL)
    check_delivery(smtp_server.mailbox, out, library)


def test_starttls_with_auth_and_a_certificate_made_for_the_test(
    teams_file: Path, library: Path, tmp_path: Path, starttls_server: TlsServer
) -> None:
    out = tmp_path / "out"
    env = {"BRIEFING_SMTP_USER": "mailer", "BRIEFING_SMTP_PASSWORD": "s3cret!"}
    untrusted = run(
        teams_file,
        library,
        "-o",
        out,
        "--send",
        "--smtp",
        starttls_server.url,
        "--retries",
        "0",
        env=env,
    )
    assert untrusted.exit_code == 1
    assert "certificate" in untrusted.output and "s3cret!" not in untrusted.output
    assert starttls_server.mailbox.received == []

    result = run(
        teams_file,
        library,
        "-o",
        out,
        "--send",
        "--smtp",
        starttls_server.url,
        "--ca-file",
        starttls_server.ca_file,
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert starttls_server.logins == ["mailer"]
    check_delivery(starttls_server.mailbox, out, library)


def test_a_wrong_password_is_reported_once_and_not_tried_for_every_message(
    teams_file: Path, library: Path, tmp_path: Path, starttls_server: TlsServer
) -> None:
    env = {"BRIEFING_SMTP_USER": "mailer", "BRIEFING_SMTP_PASSWORD": "wrong"}
    result = run(
        teams_file,
        library,
        "-o",
        tmp_path / "out",
        "--send",
        "--smtp",
        starttls_server.url,
        "--ca-file",
        starttls_server.ca_file,
        "--retry-delay",
        "0",
        env=env,
    )
    assert result.exit_code == 1
    failures = [line for line in result.output.splitlines() if line.startswith("briefing:")]
    assert len(failures) == 3
    assert "refused the login: 535" in failures[0]
    assert all("not sent:" in line for line in failures[1:])
    assert starttls_server.logins == []


def test_smtps_with_verified_certificate(
    teams_file: Path, library: Path, tmp_path: Path, smtps_server: TlsServer
) -> None:
    out = tmp_path / "out"
    result = run(
        teams_file,
        library,
        "-o",
        out,
        "--send",
        "--smtp",
        smtps_server.url,
        "--ca-file",
        smtps_server.ca_file,
    )
    assert result.exit_code == 0, result.output
    check_delivery(smtps_server.mailbox, out, library)


def test_the_ledger_records_recipient_digest_message_id_and_answer(
    teams_file: Path, library: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    ledger = tmp_path / "elsewhere" / "sent.sqlite"
    out = tmp_path / "out"
    assert send(teams_file, library, out, smtp_server.url, "--ledger", ledger).exit_code == 0
    assert not (out / "ledger.sqlite").exists()
    with sqlite3.connect(ledger) as db:
        rows = db.execute(
            "SELECT recipient, digest, message_id, status, answer FROM messages ORDER BY recipient"
        ).fetchall()
    ids = {item.rcpt_tos[0]: item.message["Message-ID"] for item in smtp_server.mailbox.received}
    assert [row[0] for row in rows] == ALL
    for recipient, digest, message_id, status, answer in rows:
        assert len(digest) == 64 and status == "sent"
        assert message_id == ids[recipient]
        assert answer.startswith("250 2.0.0 queued as")
    research = [row[1] for row in rows if row[0] in RESEARCH]
    assert research[0] == research[1], "the same content has the same digest"


def without_date(data: bytes) -> bytes:
    """A message's bytes without its Date header, the one thing that differs between an
    outbox written now and the same message sent a moment later."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.startswith(b"Date:")]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def test_done_when_dry_run_outbox_then_starttls_send_broken_part_way_finished_and_rerun(
    teams_file: Path, library: Path, tmp_path: Path, starttls_server: TlsServer
) -> None:
    """The issue's "done when", in order, over STARTTLS with AUTH: the seed plus two more
    episodes, the two teams of the example."""
    out, outbox = tmp_path / "out", tmp_path / "outbox"
    env = {"BRIEFING_SMTP_USER": "mailer", "BRIEFING_SMTP_PASSWORD": "s3cret!"}
    tls = ["--smtp", starttls_server.url, "--ca-file", str(starttls_server.ca_file)]
    tls += ["--retry-delay", "0"]

    dry = run(teams_file, library, "-o", out, env=env)
    assert dry.exit_code == 0 and "Dry run: nothing sent" in dry.output
    written = run(teams_file, library, "-o", out, "--outbox", outbox, env=env)
    assert written.exit_code == 0, written.output
    assert len(list(outbox.rglob("*.eml"))) == 3
    assert starttls_server.mailbox.received == [] and starttls_server.logins == []

    # The server goes away after the first message: two are left for the next run.
    starttls_server.mailbox.accept_at_most = 1
    broken = run(teams_file, library, "-o", out, "--send", *tls, "--retries", "1", env=env)
    assert broken.exit_code == 1
    assert len(starttls_server.mailbox.received) == 1
    starttls_server.mailbox.accept_at_most = None
    finished = run(teams_file, library, "-o", out, "--send", *tls, env=env)
    assert finished.exit_code == 0, finished.output
    assert "Sent 2 of 2 messages." in finished.output
    check_delivery(starttls_server.mailbox, out, library)

    rerun = run(teams_file, library, "-o", out, "--send", *tls, env=env)
    assert rerun.exit_code == 0, rerun.output
    assert "Sent 0 of 0 messages." in rerun.output
    check_delivery(starttls_server.mailbox, out, library)
    assert set(starttls_server.logins) == {"mailer"}

    # What arrived is what the outbox showed for review, Message-ID included.
    for item in starttls_server.mailbox.received:
        (rcpt,) = item.rcpt_tos
        team = "research" if rcpt in RESEARCH else "strategy"
        eml = (outbox / team / f"{rcpt}.eml").read_bytes()
        assert without_date(item.data.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")) == (
            without_date(eml)
        )
