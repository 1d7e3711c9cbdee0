"""Who gets what in this run: each team's bundle, and for each recipient the episodes they
have not had yet (all of them with ``--resend``), as one message.

A recipient gets one message per team and run: one episode's briefing, or a digest of
several. Each episode's own files go with the message that first carries it; a team's
combined files (``combine = true``) hold every episode the team gets and go with every
message. A message over the size limit is kept out and reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.distribute.bundles import Bundle, read_sources, render_bundle
from briefing.distribute.ledger import Ledger
from briefing.distribute.messages import GMAIL_CLIP_BYTES, Outgoing, build
from briefing.distribute.teams import Teams, parse_address
from briefing.formats import FormatError, MailBody, MailingExporter
from briefing.model import Episode

if TYPE_CHECKING:
    from briefing.formats import Registry

PREFERRED_MAIL_FORMAT = "html"


class NoMailFormat(Exception):
    """No registered format can write a mail body."""


def find_mail_format(registry: Registry) -> MailingExporter:
    """The ``html`` format when it can write mail, else the first format (by name) that can."""
    names = registry.names()
    ordered = sorted(names, key=lambda name: name != PREFERRED_MAIL_FORMAT)
    for name in ordered:
        try:
            exporter = registry.get(name)
        except FormatError:
            continue  # a broken plugin is reported where it is asked for by name
        if isinstance(exporter, MailingExporter):
            return exporter
    raise NoMailFormat(
        "no installed format can write a mail body (a format with render_mail, such as "
        "html); `briefing formats` lists the installed ones"
    )


@dataclass
class TeamPlan:
    bundle: Bundle
    recipients: int
    messages: list[Outgoing] = field(default_factory=list)

    @property
    def team(self) -> str:
        return self.bundle.team

    def episodes_sent(self) -> int:
        return len({episode for outgoing in self.messages for episode, _ in outgoing.episodes})

    def attachments_sent(self) -> int:
        return len(self.bundle.attachments_for(self._ids())) if self.messages else 0

    def _ids(self) -> set[str]:
        return {episode for outgoing in self.messages for episode, _ in outgoing.episodes}

    def size(self) -> int:
        return sum(outgoing.size for outgoing in self.messages)


@dataclass
class Plan:
    teams: list[TeamPlan] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Inputs that failed, messages over the limit, bodies that could not be made."""
    warnings: list[str] = field(default_factory=list)

    @property
    def messages(self) -> list[Outgoing]:
        return [outgoing for team in self.teams for outgoing in team.messages]


@dataclass(frozen=True)
class Options:
    out_dir: Path
    resend: bool = False
    max_size: int = 20_000_000
    jobs: int = 1


def make_plan(
    teams: Teams,
    inputs: Iterable[Path],
    ledger: Ledger,
    options: Options,
    registry: Registry,
    mail_format: MailingExporter,
) -> Plan:
    plan = Plan()
    sources, problems = read_sources(inputs)
    plan.problems += [str(problem) for problem in problems]
    now = datetime.now(UTC)
    for team_name, team in teams.model.teams.items():
        bundle, problems = render_bundle(
            teams, team_name, sources, options.out_dir, registry, options.jobs
        )
        plan.problems += [str(problem) for problem in problems]
        team_plan = TeamPlan(bundle, len(team.recipients()))
        plan.teams.append(team_plan)
        bodies: dict[tuple[str, ...], MailBody | None] = {}
        for recipient in team.recipients():
            address = parse_address(recipient)[1]
            delivered = set() if options.resend else ledger.delivered(team_name, address)
            pending = [
                episode
                for episode in bundle.episodes
                if (episode.id, bundle.digests[episode.id]) not in delivered
            ]
            if not pending:
                continue
            key = tuple(episode.id for episode in pending)
            if key not in bodies:
                bodies[key] = _body(mail_format, bundle, pending, team.language, plan)
            body = bodies[key]
            if body is None:
                continue
            outgoing = build(
                teams.mail,
                team_name,
                team,
                recipient,
                pending,
                bundle.digests,
                body,
                bundle.attachments_for(key),
                ledger.times_sent,
                now,
            )
            if outgoing.size > options.max_size:
                plan.problems.append(
                    f"{team_name}: {address}: message is {megabytes(outgoing.size)}; "
                    f"the limit is {megabytes(options.max_size)}, so it is not sent"
                )
                continue
            if outgoing.html_size > GMAIL_CLIP_BYTES:
                plan.warnings.append(
                    f"{team_name}: {address}: the HTML body is {kilobytes(outgoing.html_size)}; "
                    "Gmail shows only the first 102 KB"
                )
            team_plan.messages.append(outgoing)
    return plan


def _body(
    mail_format: MailingExporter,
    bundle: Bundle,
    episodes: Sequence[Episode],
    language: str | None,
    plan: Plan,
) -> MailBody | None:
    from briefing.labels import labels_for
    from briefing.pipeline import default_context

    labels = labels_for(language or episodes[0].language)
    context = default_context(episodes[0] if len(episodes) == 1 else None)
    try:
        body = mail_format.render_mail(list(episodes), bundle.theme, labels, context)
        return MailBody(str(body.html), str(body.text))
    except Exception as error:  # a bug in the format must not stop the other teams
        plan.problems.append(
            f"{bundle.team}: the mail body failed ({mail_format.name}): "
            f"{type(error).__name__}: {error}"
        )
        return None


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def kilobytes(size: int) -> str:
    return f"{size / 1000:.1f} KB" if size < 1_000_000 else megabytes(size)
