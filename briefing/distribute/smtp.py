"""Sending over SMTP with the standard library's ``smtplib``.

The server is a URL: ``smtp://host[:port]`` (plain, port 25), ``smtp+starttls://``
(STARTTLS required, port 587) or ``smtps://`` (TLS from the start, port 465); a user
name may be in the URL, a password never. The user and password come from
``BRIEFING_SMTP_USER`` and ``BRIEFING_SMTP_PASSWORD``, or from the ``keyring`` library
when it is installed (service ``briefing-smtp:<host>``). Certificates are verified
against the system's CAs or ``--ca-file``, host name included. AUTH over a connection
that is not encrypted is refused unless the server is on this machine (loopback).

Each message has its own envelope: one recipient. Answers 4xx and a dropped
connection are transient and retried with bounded exponential back-off; 5xx is
permanent for that message and the others go on. A server that cannot be reached or
refuses the login ends the sending: the messages left are reported as not sent.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from briefing.distribute.messages import Outgoing

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
KEYRING_SERVICE = "briefing-smtp"
TIMEOUT_SECONDS = 60.0


class SmtpConfigError(Exception):
    """A server URL or credentials that cannot be used (nothing was sent)."""


class Transient(Exception):
    """Worth trying again: a 4xx answer or a lost connection."""


class Permanent(Exception):
    """Not worth trying again for this message: a 5xx answer."""


class Unreachable(Exception):
    """No connection to the server: no message can be sent."""


class LoginRefused(Unreachable):
    """The server refused the credentials: never tried again (accounts get locked)."""


@dataclass(frozen=True)
class Server:
    scheme: str
    host: str
    port: int
    user: str | None = None

    @property
    def encrypted(self) -> bool:
        return self.scheme != "smtp"

    @property
    def loopback(self) -> bool:
        if self.host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def parse_server(url: str) -> Server:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise SmtpConfigError(f"not an SMTP URL: {error}") from None
    if parts.scheme not in SCHEMES:
        known = ", ".join(f"{scheme}://" for scheme in SCHEMES)
        raise SmtpConfigError(f"an SMTP URL starts with {known}")
    if parts.password is not None:
        raise SmtpConfigError(
            "the SMTP URL holds a password (not shown); set BRIEFING_SMTP_PASSWORD instead"
        )
    if not parts.hostname or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SmtpConfigError("an SMTP URL is scheme://[user@]host[:port], nothing more")
    user = unquote(parts.username) if parts.username else None
    return Server(parts.scheme, parts.hostname, port or SCHEMES[parts.scheme], user)


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


def credentials(server: Server, environ: Mapping[str, str] = os.environ) -> Credentials | None:
    """User and password for AUTH, or None for a server that takes mail without."""
    user = environ.get("BRIEFING_SMTP_USER") or server.user
    password = environ.get("BRIEFING_SMTP_PASSWORD")
    if user and not password:
        password = _keyring_password(server, user)
    if password and not user:
        raise SmtpConfigError("BRIEFING_SMTP_PASSWORD is set but BRIEFING_SMTP_USER is not")
    if not user:
        return None
    if not password:
        raise SmtpConfigError(
            f"no password for {user} at {server.host}: set BRIEFING_SMTP_PASSWORD "
            f"or store it with `keyring set {KEYRING_SERVICE}:{server.host} {user}`"
        )
    if not server.encrypted and not server.loopback:
        raise SmtpConfigError(
            f"refusing to send the password for {user} unencrypted to {server.host}: "
            "use smtp+starttls:// or smtps://"
        )
    return Credentials(user, password)


def _keyring_password(server: Server, user: str) -> str | None:
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(f"{KEYRING_SERVICE}:{server.host}", user)
    except Exception:  # keyring backends raise their own kinds; no password is the answer
        return None


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as error:
        raise SmtpConfigError(f"{ca_file}: cannot read the CA file: {error}") from None


@dataclass(frozen=True)
class Result:
    outgoing: Outgoing
    sent: bool
    answer: str


class Sender:
    """One connection, opened on first use and again after it drops."""

    def __init__(
        self,
        server: Server,
        login: Credentials | None,
        context: ssl.SSLContext,
        envelope_from: str,
        retries: int = 3,
        retry_delay: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.server = server
        self.login = login
        self.context = context
        self.envelope_from = envelope_from
        self.retries = retries
        self.retry_delay = retry_delay
        self._sleep = sleep
        self._smtp: smtplib.SMTP | None = None
        self._unreachable: str | None = None

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def send(self, outgoing: Outgoing) -> Result:
        """Deliver one message, retrying transient failures; never raises for the server."""
        if self._unreachable:
            return Result(outgoing, False, f"not sent: {self._unreachable}")
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                # Bounded exponential back-off: 2 s, 4 s, 8 s with the defaults.
                self._sleep(self.retry_delay * 2 ** (attempt - 1))
            try:
                return Result(outgoing, True, self._deliver(outgoing))
            except Permanent as error:
                return Result(outgoing, False, str(error))
            except Transient as error:
                last = str(error)
            except LoginRefused as error:
                self._unreachable = str(error)
                return Result(outgoing, False, str(error))
            except Unreachable as error:
                last = str(error)
                if attempt == self.retries:
                    self._unreachable = last
        return Result(outgoing, False, last)

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        host, port = self.server.host, self.server.port
        smtp: smtplib.SMTP | None = None
        try:
            if self.server.scheme == "smtps":
                smtp = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS, context=self.context)
            else:
                smtp = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
            smtp.ehlo()
            if self.server.scheme == "smtp+starttls":
                if not smtp.has_extn("starttls"):
                    raise Unreachable(f"{self.server} does not offer STARTTLS")
                smtp.starttls(context=self.context)
                smtp.ehlo()
            if self.login:
                smtp.login(self.login.user, self.login.password)
        except Unreachable:
            _quietly_close(smtp)
            raise
        except smtplib.SMTPAuthenticationError as error:
            _quietly_close(smtp)
            raise LoginRefused(f"{self.server} refused the login: {_answer(error)}") from None
        except ssl.SSLError as error:
            _quietly_close(smtp)
            reason = getattr(error, "verify_message", None) or error.reason or str(error)
            raise Unreachable(f"TLS with {self.server} failed: {reason}") from None
        except (smtplib.SMTPException, OSError) as error:
            _quietly_close(smtp)
            raise Unreachable(f"cannot connect to {self.server}: {_describe(error)}") from None
        self._smtp = smtp
        return smtp

    def _deliver(self, outgoing: Outgoing) -> str:
        smtp = self._connection()
        try:
            options = [f"SIZE={outgoing.size}"] if smtp.has_extn("size") else []
            code, text = smtp.mail(self.envelope_from, options)
            if code != 250:
                raise _refused(smtp, code, text, "sender")
            code, text = smtp.rcpt(outgoing.address)
            if code not in (250, 251):
                raise _refused(smtp, code, text, "recipient")
            code, text = smtp.data(outgoing.data)
            if code != 250:
                raise _refused(smtp, code, text, "message")
            return f"{code} {text.decode('utf-8', 'replace')}"
        except smtplib.SMTPResponseException as error:
            # DATA refused before the message was sent (smtplib raises for that one).
            raise _refused(smtp, error.smtp_code, error.smtp_error, "message") from None
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self._close()
            raise Transient(f"connection lost: {_describe(error)}") from None

    def _close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                _quietly_close(smtp)


def _refused(smtp: smtplib.SMTP, code: int, text: bytes | str, what: str) -> Exception:
    # If the connection is gone, the next message finds out and opens another.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.rset()
    answer = f"{what} refused: {code} {_text(text)}"
    return Transient(answer) if 400 <= code < 500 else Permanent(answer)


def _text(text: bytes | str) -> str:
    value = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return " ".join(value.split())


def _answer(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _quietly_close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        with contextlib.suppress(OSError):
            smtp.close()
