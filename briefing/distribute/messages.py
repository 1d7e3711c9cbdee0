"""One message per recipient, built by ``email.message.EmailMessage`` with the SMTP policy.

Structure: ``multipart/mixed`` holding a ``multipart/alternative`` (plain text, then
HTML: clients show the last one they can) and the team's files as attachments under
their own names and media types (names that are not ASCII are written the RFC 2231
way by the email package). Bodies are quoted-printable and attachments base64, so the
message is 7-bit clean and needs no 8BITMIME from the server.

Every header value goes through the email package's header objects, which refuse a
line break; text that comes from episodes (a title in the subject) has every line
break and control character turned into a space first, so a title like
``Hi\\r\\nBcc: x@example.org`` stays one subject and never adds a header.

MIME boundaries are made from the content digest rather than at random, so an
outbox's ``.eml`` and the message sent later are the same bytes but for the Date.

The content digest covers everything a recipient reads (sender, subject, bodies,
attachment names and bytes, the Cc line) but not the Date, the Message-ID or the
recipient: two recipients of a team who get the same episodes get the same digest.
The Message-ID is derived from the digest, the recipient and how many times this
content already went to them, so sending again after a failure uses the same id (a
receiving system that saw it can tell) and ``--resend`` a new one.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from briefing.distribute.bundles import Attachment
from briefing.distribute.teams import Mail, Team, parse_address
from briefing.formats import MailBody
from briefing.model import Episode

UNDISCLOSED = "undisclosed-recipients:;"
GMAIL_CLIP_BYTES = 102 * 1000


def header_text(text: str) -> str:
    """Text for a header: line breaks, tabs and control characters become single spaces."""
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    return " ".join(cleaned.split())


@dataclass(frozen=True)
class Outgoing:
    """One message for one recipient, ready to be written or sent."""

    team: str
    recipient: str
    """As in the teams file (it may carry a name)."""
    address: str
    """The addr-spec the envelope uses."""
    episodes: tuple[tuple[str, str], ...]
    """(episode id, episode digest) for each episode the message carries."""
    digest: str
    message_id: str
    subject: str
    data: bytes
    """The whole message as sent (CRLF line ends)."""
    html_size: int

    @property
    def size(self) -> int:
        return len(self.data)


def subject_for(mail: Mail, team_name: str, episodes: list[Episode]) -> str:
    if len(episodes) == 1:
        episode = episodes[0]
        text = mail.subject.format(
            title=header_text(episode.title),
            id=episode.id,
            category=header_text(episode.category or ""),
            published=episode.published.isoformat() if episode.published else "",
            team=team_name,
        )
    else:
        text = mail.digest_subject.format(
            count=len(episodes),
            titles="; ".join(header_text(episode.title) for episode in episodes),
            team=team_name,
        )
    return header_text(text)


def content_digest(
    mail: Mail, team: Team, subject: str, body: MailBody, attachments: list[Attachment]
) -> str:
    content = {
        "from": mail.sender,
        "reply_to": mail.reply_to,
        "cc": list(team.cc),
        "subject": subject,
        "html": body.html,
        "text": body.text,
        "attachments": [[item.filename, item.media_type, item.sha256] for item in attachments],
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def message_id(digest: str, address: str, sequence: int, sender: str) -> str:
    domain = parse_address(sender)[1].rpartition("@")[2]
    seed = f"{digest}\0{address}\0{sequence}".encode()
    return f"<{hashlib.sha256(seed).hexdigest()[:40]}@{domain}>"


def build(
    mail: Mail,
    team_name: str,
    team: Team,
    recipient: str,
    episodes: list[Episode],
    digests: dict[str, str],
    body: MailBody,
    attachments: list[Attachment],
    times_sent: Callable[[str, str], int],
    now: datetime,
) -> Outgoing:
    """The message for ``recipient`` (one of the team's ``to`` or ``cc``);
    ``times_sent(address, digest)`` says how often this content already went to them."""
    subject = subject_for(mail, team_name, episodes)
    digest = content_digest(mail, team, subject, body, attachments)
    address = parse_address(recipient)[1]
    msg_id = message_id(digest, address, times_sent(address, digest), mail.sender)
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = mail.sender
    # A cc address is copied openly, so it sees the Cc line but no to address.
    message["To"] = recipient if recipient in team.to else UNDISCLOSED
    if team.cc:
        message["Cc"] = ", ".join(team.cc)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = msg_id
    # RFC 3834, and Outlook's own header: no out-of-office replies to a mailing.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(body.text, subtype="plain", cte="quoted-printable")
    message.add_alternative(body.html, subtype="html", cte="quoted-printable")
    for attachment in attachments:
        maintype, subtype = _media_type(attachment.media_type)
        message.add_attachment(
            attachment.path.read_bytes(),
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
        )
    # Boundaries from the content digest, not random ones: the outbox's .eml and the message
    # sent later are the same bytes but for the Date. "=_" never occurs in quoted-printable
    # or base64 text, and no text can hold a hash of the content it is part of.
    for index, part in enumerate(part for part in message.walk() if part.is_multipart()):
        part.set_boundary(f"=_briefing_{digest[:32]}_{index}")
    return Outgoing(
        team=team_name,
        recipient=recipient,
        address=address,
        episodes=tuple((episode.id, digests[episode.id]) for episode in episodes),
        digest=digest,
        message_id=msg_id,
        subject=subject,
        data=message.as_bytes(),
        html_size=len(body.html.encode("utf-8")),
    )


def _media_type(media_type: str) -> tuple[str, str]:
    main, _, sub = media_type.split(";", 1)[0].strip().partition("/")
    if not main or not sub:
        return "application", "octet-stream"
    return main, sub
