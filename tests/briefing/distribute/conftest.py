"""Shared parts of the distribution tests: a library of three episodes (the seed and two
made from it), a teams file as in the issue, and a real SMTP server (aiosmtpd) on
127.0.0.1 that can answer 451, 550 or drop the connection when a test asks it to."""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from briefing.pipeline import default_registry
from tests.conftest import SEED_JSON

MAIL_PLUGIN = Path(__file__).parent / "mail_plugin"

TEAMS_TOML = """\
[mail]
from = "Briefings <briefings@example.org>"

[teams.research]
to = ["ana@example.org", "raj@example.org"]
formats = ["pdf", "docx"]

[teams.strategy]
to = ["lee@example.org"]
formats = ["xlsx"]
topics = ["AGI Timelines"]
"""


@pytest.fixture(autouse=True)
def mail_format(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real ``html`` format when it is installed; until then the test plugin, whose
    bodies carry the same takeaways, predictions and claims."""
    default_registry.cache_clear()
    if "html" not in default_registry().names():
        monkeypatch.syspath_prepend(str(MAIL_PLUGIN))
        default_registry.cache_clear()
    yield "html" if "html" in default_registry().names() else "mailtest"
    default_registry.cache_clear()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BRIEFING_SMTP_URL", "BRIEFING_SMTP_USER", "BRIEFING_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760659200")


def derived_episode(folder: Path, episode_id: str, title: str, topics: list[str]) -> Path:
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    data.update(id=episode_id, title=title, topics=topics)
    data["takeaways"] = [f"{title}: {text}" for text in data["takeaways"]]
    path = folder / f"{episode_id}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The seed plus two more: research gets all three, strategy (AGI Timelines) two."""
    folder = tmp_path / "episodes"
    folder.mkdir()
    (folder / SEED_JSON.name).write_bytes(SEED_JSON.read_bytes())
    derived_episode(folder, "scaling-laws", "Scaling Laws, Revisited", ["Scaling Laws"])
    derived_episode(folder, "robot-hands", "Robot Hands", ["Robotics", "agi timelines"])
    return folder


@pytest.fixture
def teams_file(tmp_path: Path) -> Path:
    path = tmp_path / "teams.toml"
    path.write_text(TEAMS_TOML, encoding="utf-8")
    return path


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Mailbox:
    """The server's behaviour and what it received, in order."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    """Recipients answered 550 at RCPT."""
    try_later: dict[str, int] = field(default_factory=dict)
    """Recipient -> how many more times its DATA is answered 451."""
    drop: dict[str, int] = field(default_factory=dict)
    """Recipient -> how many more times the connection is dropped at its DATA."""
    accept_at_most: int | None = None
    """After this many messages, every DATA drops the connection (a server going away)."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        first = envelope.rcpt_tos[0]
        if self.try_later.get(first, 0) > 0:
            self.try_later[first] -= 1
            return "451 4.3.0 try again later"
        full = self.accept_at_most is not None and len(self.received) >= self.accept_at_most
        if full or self.drop.get(first, 0) > 0:
            if not full:
                self.drop[first] -= 1
            server.transport.close()
            return "421 4.3.2 going away"
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return f"250 2.0.0 queued as {len(self.received)}"

    def by_recipient(self) -> dict[str, list[Received]]:
        found: dict[str, list[Received]] = {}
        for item in self.received:
            for rcpt in item.rcpt_tos:
                found.setdefault(rcpt, []).append(item)
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    mailbox: Mailbox
    url: str


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(mailbox, f"smtp://127.0.0.1:{controller.port}")
    finally:
        controller.stop()


@dataclass
class TlsServer:
    mailbox: Mailbox
    url: str
    ca_file: Path
    logins: list[str]


@pytest.fixture(scope="session")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


def _authenticator(logins: list[str]) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"mailer",
            b"s3cret!",
        )
        if ok:
            logins.append(data.login.decode())
        # handled=False: aiosmtpd answers (235 or 535) itself.
        return AuthResult(success=ok, handled=False)

    return check


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def starttls_server(certificate_authority: trustme.CA, tmp_path: Path) -> Iterator[TlsServer]:
    """STARTTLS required, AUTH required (and only after STARTTLS), a certificate of a CA made
    for this test run."""
    mailbox, logins = Mailbox(), []
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=_server_context(certificate_authority),
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=_authenticator(logins),
    )
    ca_file = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(ca_file))
    controller.start()
    try:
        url = f"smtp+starttls://127.0.0.1:{controller.port}"
        yield TlsServer(mailbox, url, ca_file, logins)
    finally:
        controller.stop()


@pytest.fixture
def smtps_server(certificate_authority: trustme.CA, tmp_path: Path) -> Iterator[TlsServer]:
    """TLS from the first byte (port 465 style)."""
    mailbox: Mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        ssl_context=_server_context(certificate_authority),
    )
    ca_file = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(ca_file))
    controller.start()
    try:
        yield TlsServer(mailbox, f"smtps://127.0.0.1:{controller.port}", ca_file, [])
    finally:
        controller.stop()
