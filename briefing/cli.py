"""The ``briefing`` command. Bodies stay short: options are resolved here once,
the work happens in the pipeline, and heavy modules load only when a command
needs them (``briefing --help`` imports nothing but click).

Exit codes: 0 everything written, 1 some inputs failed (the rest were written),
2 usage error, 130 interrupted.
"""

from __future__ import annotations

import gc
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from briefing import __version__
from briefing.tracker.command import track_command

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from briefing.formats import Registry
    from briefing.pipeline import Report

DEFAULT_INPUT = Path("data/episodes")
EXAMPLE_NAME = "summoning-ghosts.json"
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _registry() -> Registry:
    from briefing.pipeline import default_registry

    return default_registry()


class FormatChoice(click.ParamType):
    """A registered format name, or ``all``; looked up only when the option is used."""

    name = "format"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join([*_registry().names(), "all"]) + "]"

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        names = [*_registry().names(), "all"]
        return [CompletionItem(name) for name in names if name.startswith(incomplete)]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from briefing.formats import FormatError

        if value == "all":
            return value
        try:
            _registry().entry(value)
        except FormatError as error:
            self.fail(str(error), param, ctx)
        return str(value)


class StyleChoice(click.ParamType):
    """A built-in theme name or a path to a theme file, loaded and validated once."""

    name = "style"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        from styles import available_themes

        return "[" + "|".join(available_themes()) + "|FILE]"

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        """Built-in theme names, and theme files by path."""
        from click.shell_completion import CompletionItem

        from styles import available_themes

        names = [CompletionItem(name) for name in available_themes() if name.startswith(incomplete)]
        return [*names, CompletionItem(incomplete, type="file")]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from styles import ThemeError, load_theme

        if not isinstance(value, str):
            return value
        try:
            return load_theme(value)
        except ThemeError as error:
            self.fail(str(error), param, ctx)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"briefing: {message}", err=True)
    sys.exit(code)


class _Interruptible(click.Group):
    """A group whose Ctrl-C is exit 130 wherever it lands (parsing options, loading a
    theme, running a command), not click's ``Aborted!`` with exit 1, which here means
    that some inputs failed."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt:
            raise _interrupted() from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _interrupted() from None


def _interrupted() -> click.exceptions.Exit:
    click.echo("briefing: interrupted", err=True)
    return click.exceptions.Exit(EXIT_INTERRUPTED)


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

    try:
        ctx.default_map = export_defaults(config_file)
    except ProjectError as error:
        _fail(str(error), EXIT_USAGE)


def _expand_formats(formats: tuple[str, ...], combine: bool) -> tuple[str, ...]:
    """``all`` is every registered format; with --combine, every one that can combine."""
    from briefing.formats import CombiningExporter, FormatError

    if "all" not in formats:
        return tuple(dict.fromkeys(formats))
    registry = _registry()
    if not combine:
        return tuple(registry.names())
    combinable = []
    for name in registry.names():
        try:
            if isinstance(registry.get(name), CombiningExporter):
                combinable.append(name)
        except FormatError:
            continue  # reported when that format is asked for by name
    return tuple(combinable)


def _default_jobs(inputs: tuple[Path, ...], formats: tuple[str, ...]) -> int:
    """As many workers as CPUs, but none for one document: a pool costs more than it saves."""
    if len(inputs) == 1 and inputs[0].is_file() and len(formats) == 1:
        return 1
    return os.cpu_count() or 1


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
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
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder; with --combine, a file name ending in the format's suffix also works.",
)
@click.option(
    "--style",
    type=StyleChoice(),
    default="default",
    show_default=True,
    help="Built-in theme name or path to a theme TOML file.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
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
def export(
    inputs: tuple[Path, ...],
    formats: tuple[str, ...],
    output: Path,
    style: Any,
    lang: str | None,
    combine: bool,
    jobs: int | None,
) -> None:
    """Export episodes (files or folders; default data/episodes/) to documents in OUTPUT."""
    from briefing.pipeline import ExportRequest, export, export_combined

    inputs = inputs or (DEFAULT_INPUT,)
    names = _expand_formats(formats, combine)
    out_dir, combined_file = output, None
    if combine and output.suffix:
        if len(names) != 1:
            _fail("--combine with a file name for -o needs exactly one --format", EXIT_USAGE)
        out_dir, combined_file = output.parent, output
    request = ExportRequest(
        inputs=inputs,
        formats=names,
        out_dir=out_dir,
        theme=style,
        language=lang,
        jobs=jobs or _default_jobs(inputs, names),
        combined_file=combined_file,
    )
    run = export_combined if combine else export
    # What lives now (modules, models, the theme) stays so until the process ends; frozen,
    # the garbage collector stops going over it again and again while documents render,
    # here and in the workers forked from here. The bundled episode, every format: 1.66 s
    # -> 1.30 s in one process, 1.11 s -> 0.94 s with two workers. The CLI owns its
    # process; a program that calls the pipeline itself decides for its own.
    gc.freeze()
    report = _with_progress(lambda progress: run(request, progress), inputs, len(names))
    _finish(report, out_dir)


def _with_progress(run: Any, inputs: tuple[Path, ...], formats: int) -> Report:
    """Run with click's progress bar of finished documents, when more than one episode is
    exported and stderr is a terminal."""
    from briefing.source import discover_inputs

    if not sys.stderr.isatty():
        return run(None)
    episodes = sum(1 for found in discover_inputs(inputs) if isinstance(found, Path))
    if episodes <= 1:
        return run(None)
    with click.progressbar(length=episodes * formats, label="Exporting", file=sys.stderr) as bar:
        return run(bar.update)


def _finish(report: Report, out_dir: Path) -> None:
    for problem in report.problems:
        click.echo(str(problem), err=True)
    files = len(report.written)
    summary = (
        f"Wrote {files} file{'s' * (files != 1)} into {out_dir}/ for "
        f"{report.episodes_exported} episode{'s' * (report.episodes_exported != 1)}"
    )
    if report.episodes_failed:
        summary += f"; {report.episodes_failed} failed"
    click.echo(summary + ".", err=bool(report.problems))
    if report.interrupted:
        _fail(
            "interrupted; files already written are whole and listed in the manifest",
            EXIT_INTERRUPTED,
        )
    if report.problems:
        sys.exit(EXIT_FAILED)


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
def validate(inputs: tuple[Path, ...]) -> None:
    """Check episode files; one line per problem as file:field.path: message."""
    from briefing.source import InputError, Problem, discover_inputs, load_episode

    failed = 0
    checked = 0
    seen: dict[str, Path] = {}
    for found in discover_inputs(inputs or (DEFAULT_INPUT,)):
        checked += 1
        if isinstance(found, Problem):
            click.echo(str(found), err=True)
            failed += 1
            continue
        try:
            episode = load_episode(found)
        except InputError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            failed += 1
            continue
        if episode.id in seen:
            click.echo(
                f"{found}:id: duplicate id {episode.id!r}: {seen[episode.id]} has it too", err=True
            )
            failed += 1
        seen.setdefault(episode.id, found)
    click.echo(f"{checked - failed} of {checked} valid.", err=bool(failed))
    if failed:
        sys.exit(EXIT_FAILED)


@cli.command()
@click.argument("page", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the episode JSON here instead of to standard output.",
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
    from briefing.files import write_atomically
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
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(output, text.encode("utf-8"))
    except OSError as error:
        _fail(f"{output}: cannot write: {error.strerror or error}", EXIT_FAILED)
    click.echo(f"Wrote {output}.", err=True)


@cli.command()
def formats() -> None:
    """List the registered formats and the distribution each comes from."""
    from briefing.formats import FormatError

    registry = _registry()
    broken = False
    for entry in registry.entries():
        try:
            exporter = registry.get(entry.name)
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
    help="Folder to write the example into, or a file name ending in .json.",
)
def example(output: Path) -> None:
    """Write the bundled example episode, to try the other commands on."""
    from importlib import resources

    from briefing.files import write_atomically

    data = resources.files("briefing").joinpath(f"examples/{EXAMPLE_NAME}").read_bytes()
    target = output if output.suffix == ".json" else output / EXAMPLE_NAME
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
    except OSError as error:
        _fail(f"{target}: cannot write: {error.strerror or error}", EXIT_FAILED)
    click.echo(f"Wrote {target}; try: briefing export {target}", err=True)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of an episode file."""
    from briefing.schema import schema_json

    click.echo(schema_json(), nl=False)


cli.add_command(track_command)
from briefing.distribute.command import distribute  # noqa: E402  (click only; work is lazy)

cli.add_command(distribute)


def main() -> None:
    try:
        cli(prog_name="briefing")
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED)
    finally:
        # Everything still alive lives until the process ends; frozen, the collection
        # at the interpreter's exit passes it by (after an export: 60-110 ms -> 17-28 ms)
        # and no cleanup is skipped.
        gc.freeze()
