"""``--outbox DIR``: each message as an ``.eml`` file (RFC 5322, CRLF line ends), the bytes
that would have been sent: ``DIR/<team>/<recipient>.eml``. Thunderbird and Outlook open
them, and any other mailer can send them. Writing an outbox sends nothing and records
nothing in the ledger."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from briefing.distribute.messages import Outgoing
from briefing.files import write_atomically

_UNSAFE = re.compile(r"[^A-Za-z0-9@._+-]")


def eml_name(address: str) -> str:
    """A file name for an address. An address may hold ``/`` or other characters a file
    name must not; those become ``_``, with a short hash so two addresses never meet."""
    safe = _UNSAFE.sub("_", address).lstrip(".")
    if safe == address:
        return f"{address}.eml"
    return f"{safe}-{hashlib.sha256(address.encode()).hexdigest()[:8]}.eml"


def write_outbox(outbox: Path, messages: list[Outgoing]) -> list[Path]:
    written = []
    for outgoing in messages:
        folder = outbox / outgoing.team
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / eml_name(outgoing.address)
        write_atomically(path, outgoing.data)
        written.append(path)
    return written
