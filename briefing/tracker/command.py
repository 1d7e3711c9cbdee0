"""The ``briefing track`` command. Only click at import time: the tracker's modules
(and openpyxl) load when the command runs, so ``briefing --help`` stays fast."""

from __future__ import annotations

import sys
from pathlib import Path

import click

DEFAULT_INPUT = Path("data/episodes")
DEFAULT_OUTPUT = Path("out/predictions.xlsx")


@click.command("track")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The tracker workbook to write, or to update when it is there.",
)
@click.option(
    "--force", is_flag=True, help="Write even when the workbook is open in LibreOffice or Excel."
)
def track_command(inputs: tuple[Path, ...], output: Path, force: bool) -> None:
    """Keep a team's prediction tracker: every prediction of the library (files or
    folders; default data/episodes/) in one workbook; Status, Resolved on, Notes and
    columns the team adds are kept from run to run."""
    from briefing.tracker.update import TrackError, TrackRequest, track

    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{output}: the tracker is an .xlsx workbook", param_hint="-o")
    try:
        outcome = track(TrackRequest(inputs=inputs or (DEFAULT_INPUT,), output=output, force=force))
    except TrackError as error:
        for line in error.lines:
            click.echo(line, err=True)
        sys.exit(1)
    for problem in outcome.problems:
        click.echo(problem, err=True)
    plural = "s" * (outcome.rows != 1)
    click.echo(
        f"Wrote {outcome.path}: {outcome.rows} prediction{plural} from {outcome.episodes} "
        f"episode{'s' * (outcome.episodes != 1)} ({outcome.new} new, "
        f"{outcome.removed} no longer in the library).",
        err=True,
    )
    if outcome.problems:
        sys.exit(1)
