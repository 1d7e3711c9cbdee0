"""The teams file: who gets which episodes in which formats, as a validated model.

```toml
[mail]
from = "Briefings <briefings@example.org>"

[teams.research]
to = ["ana@example.org", "raj@example.org"]
formats = ["pdf", "docx"]
```

A bad file is one line naming the file and the key path, like a bad theme
(``teams.toml: teams.strategy.to.1: not an email address``). A key that holds a
secret (a password, token, API key) is refused without its value being shown:
credentials come from the environment or the keyring, never from a file that is
shared and committed.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from email.utils import getaddresses
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from briefing.labels import LABELS
from briefing.model import Episode
from briefing.sections import SECTION_ORDER, SectionKey
from briefing.source import field_path

DEFAULT_SUBJECT = "Briefing: {title}"
DEFAULT_DIGEST_SUBJECT = "Briefing digest: {count} episodes"
SUBJECT_FIELDS = ("title", "id", "category", "published", "team")
DIGEST_FIELDS = ("count", "titles", "team")
# Key names that hold credentials. Matched on the key, so the value is never read or shown.
_SECRET_KEY = re.compile(
    r"(pass(word|wd|phrase)?|secret|token|api[_-]?key|credentials?|private[_-]?key|auth)$",
    re.IGNORECASE,
)
_URL_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s]*:[^/@\s]*@", re.IGNORECASE)
_ADDR_SPEC = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_TEAM_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class TeamsError(Exception):
    """A teams file that cannot be used; the message is one line naming file and key."""


def parse_address(value: str) -> tuple[str, str]:
    """(display name, addr-spec) of one address, or ValueError.

    The domain may be international (it is sent in its IDNA form); the local part must be
    ASCII, since a server that lacks SMTPUTF8 could not deliver it anyway."""
    if any(ch in value for ch in "\r\n\0") or not value.strip():
        raise ValueError("not an email address")
    found = getaddresses([value])
    if len(found) != 1 or not found[0][1]:
        raise ValueError("not an email address (one address per entry)")
    name, addr = found[0]
    local, _, domain = addr.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValueError("not an email address") from None
    addr = f"{local}@{domain}"
    if not _ADDR_SPEC.match(addr) or len(addr) > 254:
        raise ValueError("not an email address")
    return name, addr


def _address(value: str) -> str:
    parse_address(value)
    return value.strip()


Address = Annotated[str, AfterValidator(_address)]


def _unique(values: list[Any]) -> list[Any]:
    seen = set()
    for index, value in enumerate(values):
        key = value.casefold() if isinstance(value, str) else value
        if key in seen:
            raise ValueError(f"entry {index} is listed twice")
        seen.add(key)
    return values


def _template(fields: tuple[str, ...]) -> Any:
    def check(value: str) -> str:
        try:
            parsed = list(string.Formatter().parse(value))
        except ValueError as error:
            raise ValueError(f"not a subject template: {error}") from None
        for _, name, spec, conversion in parsed:
            if name is None:
                continue
            # Only plain names: {title.__class__} or {title[0]} would reach into objects.
            if name not in fields or spec or conversion:
                known = ", ".join("{" + field + "}" for field in fields)
                raise ValueError(f"unknown placeholder {{{name}}}; use {known}")
        return value

    return AfterValidator(check)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Mail(_Strict):
    sender: Address = Field(alias="from")
    reply_to: Address | None = None
    subject: Annotated[str, _template(SUBJECT_FIELDS)] = DEFAULT_SUBJECT
    """For a message with one episode."""
    digest_subject: Annotated[str, _template(DIGEST_FIELDS)] = DEFAULT_DIGEST_SUBJECT
    """For a message with several (a digest)."""
    max_size_mb: Annotated[float, Field(gt=0, le=1000)] = 20
    """Messages larger than this many MB (10^6 bytes) are not sent but reported."""
    smtp: str | None = None
    """The server (``smtp://``, ``smtp+starttls://``, ``smtps://``), below --smtp and
    BRIEFING_SMTP_URL."""


class Team(_Strict):
    to: Annotated[list[Address], Field(min_length=1, max_length=1000), AfterValidator(_unique)]
    cc: Annotated[list[Address], Field(max_length=1000), AfterValidator(_unique)] = []
    """Copied openly: shown as Cc on every message of the team, each gets a message of its own."""
    formats: Annotated[list[str], Field(min_length=1), AfterValidator(_unique)]
    combine: bool = False
    """One file of all the team's episodes for each format that can combine (the workbook)."""
    topics: Annotated[list[str], AfterValidator(_unique)] = []
    categories: Annotated[list[str], AfterValidator(_unique)] = []
    speakers: Annotated[list[str], AfterValidator(_unique)] = []
    episodes: Annotated[list[str], AfterValidator(_unique)] = []
    published: date | None = None
    """Only episodes published on or after this date (episodes without a date are left out)."""
    style: str = "default"
    language: str | None = None
    sections: Annotated[list[SectionKey], Field(min_length=1), AfterValidator(_unique)] | None = (
        None
    )

    def selects(self, episode: Episode) -> bool:
        """Whether the team gets this episode: every selection key given must match
        (one of its values, case-insensitively)."""
        if self.episodes and episode.id not in self.episodes:
            return False
        if self.topics and not _overlap(self.topics, episode.topics):
            return False
        if self.speakers and not _overlap(self.speakers, episode.speakers):
            return False
        if self.categories and not _overlap(self.categories, [episode.category or ""]):
            return False
        return self.published is None or (
            episode.published is not None and episode.published >= self.published
        )

    def recipients(self) -> list[str]:
        return [*self.to, *self.cc]

    def section_keys(self) -> tuple[SectionKey, ...]:
        wanted = set(self.sections or SECTION_ORDER)
        return tuple(key for key in SECTION_ORDER if key in wanted)


def _overlap(wanted: Iterable[str], have: Iterable[str]) -> bool:
    return bool({w.casefold() for w in wanted} & {h.casefold() for h in have})


class TeamsFile(_Strict):
    mail: Mail
    teams: Annotated[dict[str, Team], Field(min_length=1)]


@dataclass(frozen=True)
class Teams:
    """A loaded teams file: the model, and where it came from (for messages and paths)."""

    path: Path
    model: TeamsFile

    @property
    def mail(self) -> Mail:
        return self.model.mail

    def relative(self, name: str) -> Path:
        """A path in the teams file, taken from the file's own folder."""
        return self.path.parent / name


def _secret_keys(data: Any, where: tuple[str, ...] = ()) -> Iterable[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            path = (*where, str(key))
            named_secret = _SECRET_KEY.search(str(key)) and value not in ("", None)
            if named_secret or (isinstance(value, str) and _URL_PASSWORD.match(value)):
                yield field_path(path)
            else:
                yield from _secret_keys(value, path)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _secret_keys(value, (*where, str(index)))


def load_teams(path: Path, format_names: Iterable[str]) -> Teams:
    """Read and validate a teams file; formats are checked against ``format_names``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TeamsError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise TeamsError(f"{path}: not valid TOML: {error}") from None
    for key in _secret_keys(data):
        raise TeamsError(
            f"{path}: {key}: a secret does not belong in the teams file (its value is not "
            "shown); set BRIEFING_SMTP_USER and BRIEFING_SMTP_PASSWORD or use the keyring"
        )
    try:
        model = TeamsFile.model_validate(data)
    except ValidationError as error:
        raise TeamsError(f"{path}: {_first_error(error)}") from None
    for name, team in model.teams.items():
        _check_team(path, name, team, set(format_names))
    return Teams(path, model)


def _first_error(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    loc = [part for part in first["loc"] if part != "[key]"]
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "missing":
        message = "required key is missing"
    else:
        message = first["msg"].removeprefix("Value error, ")
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{field_path(loc)}: {message}{more}"


def _check_team(path: Path, name: str, team: Team, formats: set[str]) -> None:
    where = f"{path}: teams.{field_path([name])}"
    if not _TEAM_NAME.match(name):
        raise TeamsError(
            f"{where}: a team name is lowercase letters and digits joined by hyphens "
            "(it names the team's folder)"
        )
    for index, format_name in enumerate(team.formats):
        if format_name not in formats and format_name != "all":
            known = ", ".join(sorted(formats)) or "none installed"
            raise TeamsError(
                f"{where}.formats.{index}: unknown format {format_name!r}; known formats: {known}"
            )
    if team.language is not None and team.language not in LABELS:
        known = ", ".join(sorted(LABELS))
        raise TeamsError(f"{where}.language: no labels for {team.language!r}; use {known}")
    copied = {parse_address(address)[1] for address in team.to}
    for index, address in enumerate(team.cc):
        if parse_address(address)[1] in copied:
            raise TeamsError(f"{where}.cc.{index}: already in to")
