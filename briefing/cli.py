"""The ``briefing`` command. Bodies stay short: options are resolved here once,
the work happens in the pipeline, and heavy modules load only when a command
needs them (``briefing --help`` imports nothing but click).

Exit codes: 0 everything written, 1 some inputs failed (the rest were written),
2 usage error, 130/143/129 interrupted by SIGINT (Ctrl-C), SIGTERM or SIGHUP.
"""

from __future__ import annotations

import gc
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from briefing import __version__
from briefing.exits import EXIT_FAILED, EXIT_USAGE, CommandError
from briefing.options import FormatChoice, StyleChoice, registry
from briefing.progress import start_a_line
from briefing.streams import StdoutError, guard_stdout, stdout_error_exit

DEFAULT_INPUT = Path("data/episodes")
EXAMPLE_NAME = "summoning-ghosts.json"
DATED_COMMANDS = ("export", "track", "distribute")
"""The commands whose documents carry SOURCE_DATE_EPOCH, checked before they start."""
LAZY_COMMANDS = {
    "track": ("briefing.tracker.command", "track_command"),
    "distribute": ("briefing.distribute.command", "distribute"),
}
"""Commands defined in modules of their own, imported when named or listed: an export
neither imports nor (without bytecode) compiles them."""


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"briefing: {message}", err=True)
    sys.exit(code)


class _Interruptible(click.Group):
    """A group whose Ctrl-C is exit 130 wherever it lands (parsing options, loading a
    theme, running a command), not click's ``Aborted!`` with exit 1, which here means
    that some inputs failed; and whose standard output may be a closed pipe or a full
    disk (click would exit 1 for the one and print a traceback for the other)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt as error:
            raise _interrupted(error) from None
        except StdoutError as error:
            raise _stdout_failed(error) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            import importlib

            module, attribute = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as error:
            raise _interrupted(error) from None
        except StdoutError as error:
            raise _stdout_failed(error) from None


def _interrupted(error: KeyboardInterrupt) -> click.exceptions.Exit:
    from briefing.interrupts import exit_code_of

    start_a_line()
    click.echo("briefing: interrupted", err=True)
    return click.exceptions.Exit(exit_code_of(error))


def _stdout_failed(error: StdoutError) -> click.exceptions.Exit:
    return click.exceptions.Exit(stdout_error_exit(error))


@click.group(cls=_Interruptible, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="briefing")
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Project file with defaults for export (default: ./briefing.toml when present).",
)
@click.pass_context
def cli(ctx: click.Context, config_file: Path | None) -> None:
    """Turn canonical episode records into a PDF briefing, a Word report and an Excel workbook."""
    from briefing.project import ProjectError, export_defaults
    from briefing.reproducible import InvalidSourceDateEpoch, source_date_epoch

    try:
        ctx.default_map = export_defaults(config_file)
    except ProjectError as error:
        _fail(str(error), EXIT_USAGE)
    if ctx.invoked_subcommand in DATED_COMMANDS:
        # Before any work: every document of the run would carry the date.
        try:
            source_date_epoch()
        except InvalidSourceDateEpoch as error:
            _fail(str(error), EXIT_USAGE)


def _label_languages() -> list[str]:
    """English and every language with a gettext catalog (``briefing/locale/<lang>/``),
    found without importing the labels: Babel and pydantic load only when a command runs."""
    locale = Path(__file__).with_name("locale")
    found = (path.parent.parent.name for path in locale.glob("*/LC_MESSAGES/briefing.po"))
    return ["en", *sorted(found)]


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=FormatChoice(),
    default=("all",),
    show_default=True,
    help="Format to write; repeat for several, or 'all'.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    default="out",
    show_default=True,
    help="Output folder (DIR/); for a run of one document also FILE (its suffix the "
    "format's) or - (standard output).",
)
@click.option(
    "--style",
    type=StyleChoice(),
    default="default",
    show_default=True,
    help="Built-in theme name or path to a theme TOML file.",
)
@click.option(
    "--reference-doc",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A Word document whose styles, page setup, header and footer the docx report takes.",
)
@click.option(
    "--lang",
    type=click.Choice(_label_languages()),
    default=None,
    help="Language of labels and headings (default: each episode's own).",
)
@click.option("--combine", is_flag=True, help="Put every episode into one file per format.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: CPUs, or 1 for one file in one format).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="Fail a document that takes longer than this to render (in a worker process).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Render every document, even those already in OUTPUT as this run would write them.",
)
@click.option(
    "--scheduler",
    envvar="BRIEFING_SCHEDULER",
    default=None,
    metavar="tcp://HOST:PORT",
    help="Render on the Dask cluster of this scheduler (the 'dask' extra); files are still "
    "written here. Env: BRIEFING_SCHEDULER.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success (errors still).")
@click.option("-v", "--verbose", is_flag=True, help="Print one line per file written or unchanged.")
def export(
    inputs: tuple[str, ...],
    formats: tuple[str, ...],
    output: str,
    style: Any,
    reference_doc: Path | None,
    lang: str | None,
    combine: bool,
    jobs: int | None,
    timeout: float | None,
    force: bool,
    scheduler: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Export episodes (files, folders or - for standard input; default data/episodes/)
    to documents in OUTPUT."""
    from briefing.exporting import Options, run

    given = click.get_current_context().get_parameter_source("formats")
    scheduler = _scheduler_for(scheduler, combine, timeout)
    options = Options(
        inputs=inputs,
        formats=formats,
        output=output,
        theme=style,
        language=lang,
        combine=combine,
        jobs=jobs,
        timeout=timeout,
        scheduler=scheduler,
        reference_doc=reference_doc,
        quiet=quiet,
        verbose=verbose,
        force=force,
        formats_given=given is not click.core.ParameterSource.DEFAULT,
    )
    try:
        code = run(options)
    except CommandError as error:
        for line in error.lines:
            click.echo(f"briefing: {line}", err=True)
        sys.exit(error.code)
    if code:
        sys.exit(code)


def _scheduler_for(scheduler: str | None, combine: bool, timeout: float | None) -> str | None:
    """The scheduler to render on. --jobs, --timeout and --combine are for rendering here:
    with --scheduler on the command line they are a usage error; beside a scheduler from
    BRIEFING_SCHEDULER they win, and the run stays on this machine."""
    context = click.get_current_context()
    command_line = click.core.ParameterSource.COMMANDLINE
    local = [
        name
        for name, asked in (
            ("--jobs", context.get_parameter_source("jobs") is command_line),
            ("--timeout", timeout is not None),
            ("--combine", combine),
        )
        if asked
    ]
    if scheduler is None or not local:
        return scheduler or None
    if context.get_parameter_source("scheduler") is not command_line:
        return None
    why = {
        "--jobs": "the cluster's worker threads are the parallelism",
        "--timeout": "a Dask worker cannot stop a task it is running",
        "--combine": "one combined file renders in this process",
    }[local[0]]
    _fail(f"--scheduler cannot be used with {local[0]}: {why}", EXIT_USAGE)


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
def validate(inputs: tuple[Path, ...]) -> None:
    """Check episode files (or - for standard input); one line per problem as
    file:field.path: message."""
    from briefing.inputs import with_stdin

    try:
        with with_stdin(inputs or (DEFAULT_INPUT,)) as (paths, stdin_file):
            checked, failed = _validate(paths, stdin_file)
    except CommandError as error:
        _fail(error.lines[0], error.code)
    click.echo(f"{checked - failed} of {checked} valid.", err=bool(failed))
    if failed:
        sys.exit(EXIT_FAILED)


def _validate(paths: tuple[Path, ...], stdin_file: Path | None) -> tuple[int, int]:
    """Each problem printed; how many inputs were checked and how many failed."""
    from briefing.quoting import printable
    from briefing.source import InputError, Problem, discover_inputs, load_episode

    def name(path: Path | str) -> str:
        return "-" if stdin_file is not None and str(path) == str(stdin_file) else str(path)

    failed = 0
    checked = 0
    seen: dict[str, str] = {}
    for found in discover_inputs(paths):
        checked += 1
        if isinstance(found, Problem):
            click.echo(str(found), err=True)
            failed += 1
            continue
        try:
            episode = load_episode(found)
        except InputError as error:
            for problem in error.problems:
                click.echo(
                    str(Problem(name(problem.source), problem.message, problem.field)), err=True
                )
            failed += 1
            continue
        if episode.id in seen:
            first = printable(seen[episode.id])
            click.echo(
                str(Problem(name(found), f"duplicate id {episode.id!r}: {first} has it too", "id")),
                err=True,
            )
            failed += 1
        seen.setdefault(episode.id, name(found))
    return checked, failed


@cli.command()
@click.argument("page", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the episode JSON here (default, or -: standard output).",
)
@click.option("--id", "episode_id", help="Episode id (default: from the page's file name).")
@click.option("--language", help="BCP-47 tag of the page's language (default: guessed).")
@click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date, YYYY-MM-DD, for a page that does not carry it.",
)
def ingest(
    page: Path,
    output: Path | None,
    episode_id: str | None,
    language: str | None,
    published: datetime | None,
) -> None:
    """Read a source page (the text of an episode's web page) into episode JSON."""
    from briefing.ingest import IngestError, ingest_page
    from briefing.source import episode_json

    try:
        episode = ingest_page(
            page,
            episode_id=episode_id,
            language=language,
            published=published.date() if published else None,
        )
    except IngestError as error:
        for line in error.lines:
            click.echo(line, err=True)
        sys.exit(EXIT_FAILED)
    text = episode_json(episode)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    _write_file(output, text.encode("utf-8"))
    click.echo(f"Wrote {output}.", err=True)


def _write_file(target: Path, data: bytes) -> None:
    """``data`` into ``target`` whole, its folder made when missing; a location that
    cannot be used is one line and exit 1, with no folder left behind."""
    from briefing.destination import make_folder, remove_empty
    from briefing.files import write_atomically

    try:
        made = make_folder(target.parent)
    except CommandError as error:
        _fail(error.lines[0], error.code)
    try:
        write_atomically(target, data)
    except OSError as error:
        remove_empty(made)
        _fail(f"{target}: cannot write: {error.strerror or error}", EXIT_FAILED)


@cli.command()
def formats() -> None:
    """List the registered formats and the distribution each comes from."""
    from briefing.formats import FormatError

    found = registry()
    broken = False
    for entry in found.entries():
        try:
            exporter = found.get(entry.name)
        except FormatError as error:
            click.echo(f"{entry.name:<8} (broken)  {error}", err=True)
            broken = True
            continue
        click.echo(
            f"{entry.name:<8} .{exporter.suffix:<6} {exporter.description}  "
            f"[{entry.distribution}: {entry.target}]"
        )
    if broken:
        sys.exit(EXIT_FAILED)


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path(),
    show_default=True,
    help="Folder to write the example into, a file name ending in .json, or - (stdout).",
)
def example(output: Path) -> None:
    """Write the bundled example episode, to try the other commands on."""
    from importlib import resources

    data = resources.files("briefing").joinpath(f"examples/{EXAMPLE_NAME}").read_bytes()
    if str(output) == "-":
        if sys.stdout is None:
            _fail("-o -: standard output is closed", EXIT_USAGE)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = output if output.suffix == ".json" else output / EXAMPLE_NAME
    _write_file(target, data)
    click.echo(f"Wrote {target}; try: briefing export {target}", err=True)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of an episode file."""
    from briefing.schema import schema_json

    click.echo(schema_json(), nl=False)


def main() -> None:
    from briefing import interrupts, startup

    # The console script's process only: a program that imports the package keeps its own.
    startup.collect_slowly()
    guard_stdout()
    # SIGTERM and SIGHUP end the run as Ctrl-C does, wherever they land (exit 143, 129).
    interrupts.install()
    try:
        cli(prog_name="briefing")
    except KeyboardInterrupt as error:
        start_a_line()
        _fail("interrupted", interrupts.exit_code_of(error))
    finally:
        # Everything still alive lives until the process ends; frozen, the collection
        # at the interpreter's exit passes it by (after an export: 60-110 ms -> 17-28 ms)
        # and no cleanup is skipped.
        gc.freeze()
