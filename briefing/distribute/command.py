"""``briefing distribute``: the teams file's bundles, then a dry run, an outbox or SMTP.

Exit codes: 0 everything done, 1 something failed (one line per failure; the rest was
still done), 2 a bad teams file, server URL or credentials (nothing was sent), 130
interrupted (what was sent is in the ledger).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from briefing.distribute.ledger import Ledger
    from briefing.distribute.plan import Plan
    from briefing.distribute.smtp import Sender

DEFAULT_INPUT = Path("data/episodes")
DEFAULT_OUT = Path("out/teams")
EXIT_FAILED = 1
EXIT_USAGE = 2


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"briefing: {message}", err=True)
    sys.exit(code)


@click.command()
@click.argument(
    "teams_file",
    metavar="TEAMS.toml",
    required=False,
    type=click.Path(path_type=Path, dir_okay=False),
)
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for each team's files (DIR/<team>/) and the ledger.",
)
@click.option(
    "--outbox",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write each message as an .eml file here instead of sending it.",
)
@click.option("--send", is_flag=True, help="Send the messages over SMTP.")
@click.option(
    "--smtp",
    "smtp_url",
    envvar="BRIEFING_SMTP_URL",
    help="smtp://HOST[:PORT], smtp+starttls://... or smtps://... [env BRIEFING_SMTP_URL]",
)
@click.option(
    "--ca-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Trust the server certificates this CA file signs (default: the system's CAs).",
)
@click.option(
    "--ledger",
    "ledger_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The ledger file (default: DIR/ledger.sqlite).",
)
@click.option("--resend", is_flag=True, help="Send again what the ledger says was sent.")
@click.option("--status", is_flag=True, help="Show the ledger: what went to whom and when.")
@click.option(
    "--max-size",
    type=click.FloatRange(min=0, min_open=True),
    help="Largest message in MB (default: mail.max_size_mb, 20).",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Tries again after a 4xx answer or a lost connection.",
)
@click.option(
    "--retry-delay",
    type=click.FloatRange(0, 600),
    default=2.0,
    show_default=True,
    help="Seconds before the first retry; doubled each time.",
)
def distribute(
    teams_file: Path | None,
    inputs: tuple[Path, ...],
    output: Path,
    outbox: Path | None,
    send: bool,
    smtp_url: str | None,
    ca_file: Path | None,
    ledger_path: Path | None,
    resend: bool,
    status: bool,
    max_size: float | None,
    retries: int,
    retry_delay: float,
) -> None:
    """Render each team's files (TEAMS.toml) and mail them: a dry run by default."""
    from briefing.distribute.ledger import LEDGER_NAME

    ledger_file = ledger_path or output / LEDGER_NAME
    if status:
        _show_status(ledger_file)
        return
    if teams_file is None:
        raise click.UsageError("Missing argument 'TEAMS_FILE'.")
    if outbox and send:
        raise click.UsageError("--outbox and --send exclude each other.")
    _run(
        teams_file,
        inputs or (DEFAULT_INPUT,),
        output,
        outbox,
        send,
        smtp_url,
        ca_file,
        ledger_file,
        resend,
        max_size,
        retries,
        retry_delay,
    )


def _run(
    teams_file: Path,
    inputs: tuple[Path, ...],
    output: Path,
    outbox: Path | None,
    send: bool,
    smtp_url: str | None,
    ca_file: Path | None,
    ledger_file: Path,
    resend: bool,
    max_size: float | None,
    retries: int,
    retry_delay: float,
) -> None:
    from briefing.distribute.bundles import team_theme
    from briefing.distribute.ledger import Ledger, LedgerError
    from briefing.distribute.plan import NoMailFormat, Options, find_mail_format, make_plan
    from briefing.distribute.teams import TeamsError, load_teams
    from briefing.pipeline import default_registry

    registry = default_registry()
    try:
        teams = load_teams(teams_file, registry.names())
        for name, team in teams.model.teams.items():
            team_theme(teams, name, team)
        mail_format = find_mail_format(registry)
    except (TeamsError, NoMailFormat) as error:
        _fail(str(error), EXIT_USAGE)
    sender = None
    if send:
        sender = _sender(
            teams.mail.smtp, smtp_url, ca_file, teams.mail.sender, retries, retry_delay
        )
    if send and sender is None:
        _fail("--send needs a server: --smtp URL, BRIEFING_SMTP_URL or mail.smtp", EXIT_USAGE)
    limit = max_size if max_size is not None else teams.mail.max_size_mb
    options = Options(output, resend, int(limit * 1_000_000))
    try:
        with _ledger_lock(ledger_file, send), Ledger(ledger_file, read_only=not send) as ledger:
            plan = make_plan(teams, inputs, ledger, options, registry, mail_format)
            _print_plan(plan)
            failures = list(plan.problems)
            if send and sender is not None:
                with sender:
                    failures += _send(plan, sender, ledger)
            elif outbox is not None:
                _write_outbox(outbox, plan, failures)
            else:
                click.echo(f"Dry run: nothing sent; the files are in {output}/.")
    except LedgerError as error:
        _fail(str(error), EXIT_FAILED)
    for line in failures:
        click.echo(f"briefing: {line}", err=True)
    if failures:
        sys.exit(EXIT_FAILED)


def _sender(
    file_url: str | None,
    smtp_url: str | None,
    ca_file: Path | None,
    sender_address: str,
    retries: int,
    retry_delay: float,
) -> Sender | None:
    """The SMTP sender, with everything checked before anything is rendered or sent."""
    from briefing.distribute.smtp import (
        Sender,
        SmtpConfigError,
        credentials,
        parse_server,
        tls_context,
    )
    from briefing.distribute.teams import parse_address

    url = smtp_url or file_url
    if not url:
        return None
    try:
        server = parse_server(url)
        login = credentials(server)
        context = tls_context(str(ca_file) if ca_file else None)
    except SmtpConfigError as error:
        _fail(str(error), EXIT_USAGE)
    envelope_from = parse_address(sender_address)[1]
    return Sender(server, login, context, envelope_from, retries, retry_delay)


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _ledger_lock(ledger_file: Path, send: bool) -> _NoLock | _FileLock:
    return _FileLock(ledger_file.with_name(ledger_file.name + ".lock")) if send else _NoLock()


class _FileLock:
    """One sending run per ledger at a time: two cron runs at once would both send."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: object = None

    def __enter__(self) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            _fail(f"{self.path}: another distribute run is sending with this ledger", 1)
        self._handle = handle

    def __exit__(self, *exc: object) -> None:
        handle = self._handle
        if handle is not None:
            handle.close()  # type: ignore[attr-defined]


def _send(plan: Plan, sender: Sender, ledger: Ledger) -> list[str]:
    failures = []
    sent = 0
    for outgoing in plan.messages:
        result = sender.send(outgoing)
        ledger.record(outgoing, "sent" if result.sent else "failed", result.answer)
        if result.sent:
            sent += 1
            click.echo(f"sent {outgoing.team} {outgoing.address} {outgoing.message_id}")
        else:
            failures.append(f"{outgoing.team}: {outgoing.address}: {result.answer}")
    total = len(plan.messages)
    click.echo(f"Sent {sent} of {total} message{'s' * (total != 1)}.")
    return failures


def _write_outbox(outbox: Path, plan: Plan, failures: list[str]) -> None:
    from briefing.distribute.outbox import write_outbox

    try:
        paths = write_outbox(outbox, plan.messages)
    except OSError as error:
        failures.append(f"{outbox}: cannot write: {error.strerror or error}")
        return
    click.echo(f"Wrote {len(paths)} message{'s' * (len(paths) != 1)} into {outbox}/.")


def _print_plan(plan: Plan) -> None:
    from briefing.distribute.plan import megabytes

    rows = [("team", "recipients", "episodes", "attachments", "total size")]
    for team in plan.teams:
        selected = len(team.bundle.episodes)
        to_send = team.episodes_sent()
        rows.append(
            (
                team.team,
                _of(len(team.messages), team.recipients),
                _of(to_send, selected),
                str(team.attachments_sent()),
                megabytes(team.size()),
            )
        )
    click.echo(_table(rows))
    for warning in plan.warnings:
        click.echo(f"briefing: warning: {warning}", err=True)


def _of(part: int, whole: int) -> str:
    return str(whole) if part == whole else f"{part} of {whole}"


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _show_status(ledger_file: Path) -> None:
    from briefing.distribute.ledger import Ledger, LedgerError

    if not ledger_file.is_file():
        click.echo(f"No ledger at {ledger_file}: nothing has been sent with it yet.")
        return
    try:
        with Ledger(ledger_file, read_only=True) as ledger:
            entries = list(ledger.entries())
    except LedgerError as error:
        _fail(str(error), EXIT_FAILED)
    rows = [("when", "team", "recipient", "status", "episodes", "message-id", "answer")]
    for entry in entries:
        rows.append(
            (
                entry.at,
                entry.team,
                entry.recipient,
                entry.status,
                " ".join(entry.episodes),
                entry.message_id,
                entry.answer,
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]).rstrip())
