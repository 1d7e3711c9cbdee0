"""Each team's files, rendered through the pipeline into ``DIR/<team>/``.

A team's episodes are the inputs its selection keys pick. With ``sections`` the
team gets episodes with only those sections: the episode is written again without
the other sections (as canonical JSON, into a scratch folder) and that file goes
through the pipeline, so every format leaves the missing sections out the way it
leaves out any empty section. With ``combine`` each format that can combine also
writes one file of every episode the team gets (``DIR/<team>/episodes.xlsx``).

What a message attaches is what this run wrote, never an older file left in the folder.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.distribute.teams import Team, Teams, TeamsError
from briefing.model import Episode
from briefing.source import InputError, Problem, discover_inputs, episode_json, load_episode

if TYPE_CHECKING:
    from briefing.formats import Registry
    from styles import Theme

# What a section is made of in the episode: the fields emptied when a team leaves it out.
SECTION_FIELDS = {
    "takeaways": ("takeaways",),
    "segments": ("segments",),
    "claims": ("claims",),
    "predictions": ("predictions",),
    "facts": ("facts", "prices"),
    "quotes": ("quotes",),
    "technologies": ("technologies",),
    "companies_and_topics": ("companies", "topics"),
}


@dataclass(frozen=True)
class Source:
    """One episode as read from its input file."""

    path: Path
    episode: Episode


@dataclass(frozen=True)
class Attachment:
    path: Path
    media_type: str
    episodes: tuple[str, ...]
    combined: bool
    size: int
    sha256: str

    @property
    def filename(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Bundle:
    """What one team gets: its episodes (as the team sees them) and their files."""

    team: str
    folder: Path
    theme: Theme
    episodes: tuple[Episode, ...]
    attachments: tuple[Attachment, ...]
    digests: dict[str, str] = field(default_factory=dict)
    """Episode id -> sha256 of the episode as the team gets it: a changed episode, or a
    team that now wants other sections, is new to its recipients."""

    def attachments_for(self, episode_ids: Iterable[str]) -> list[Attachment]:
        """The files of these episodes, and the team's combined files (which always hold
        every episode the team gets)."""
        wanted = set(episode_ids)
        return [
            attachment
            for attachment in self.attachments
            if attachment.combined or set(attachment.episodes) <= wanted
        ]


def read_sources(inputs: Iterable[Path]) -> tuple[list[Source], list[Problem]]:
    """Every input episode, in input order; bad files and repeated ids become problems."""
    sources: list[Source] = []
    problems: list[Problem] = []
    owners: dict[str, Path] = {}
    for found in discover_inputs(inputs):
        if isinstance(found, Problem):
            problems.append(found)
            continue
        try:
            episode = load_episode(found)
        except InputError as error:
            problems.extend(error.problems)
            continue
        owner = owners.setdefault(episode.id, found)
        if owner != found:
            problems.append(
                Problem(str(found), f"duplicate id {episode.id!r}: {owner} has it too", "id")
            )
            continue
        sources.append(Source(found, episode))
    return sources, problems


def team_theme(teams: Teams, team_name: str, team: Team) -> Theme:
    from styles import ThemeError, load_theme

    style = team.style
    # A path in the teams file is read from the file's folder, as a reader of the file expects.
    name = str(teams.relative(style)) if "/" in style or style.endswith(".toml") else style
    try:
        return load_theme(name)
    except ThemeError as error:
        raise TeamsError(f"{teams.path}: teams.{team_name}.style: {error}") from None


def trimmed(episode: Episode, team: Team) -> Episode:
    """The episode with only the team's sections."""
    if team.sections is None:
        return episode
    kept = set(team.section_keys())
    emptied = {
        name: [] for key, names in SECTION_FIELDS.items() if key not in kept for name in names
    }
    if not emptied:
        return episode
    # Validated again from its JSON, so that what the model derives (the segment each
    # item falls in, the counts) is derived from what is left.
    data = json.loads(episode_json(episode.model_copy(update=emptied)))
    return Episode.model_validate(data)


def formats_of(team: Team, registry: Registry) -> tuple[list[str], list[str]]:
    """(formats written per episode, formats written as one combined file)."""
    from briefing.formats import CombiningExporter

    names = registry.names() if "all" in team.formats else list(team.formats)
    if not team.combine:
        return names, []
    single, combined = [], []
    for name in names:
        (combined if isinstance(registry.get(name), CombiningExporter) else single).append(name)
    return single, combined


def render_bundle(
    teams: Teams,
    team_name: str,
    sources: list[Source],
    out_dir: Path,
    registry: Registry,
    jobs: int = 1,
) -> tuple[Bundle, list[Problem]]:
    """Render one team's files into ``out_dir/<team>/`` through the pipeline."""
    from briefing.pipeline import ExportRequest, export, export_combined

    team = teams.model.teams[team_name]
    theme = team_theme(teams, team_name, team)
    chosen = [source for source in sources if team.selects(source.episode)]
    episodes = tuple(trimmed(source.episode, team) for source in chosen)
    digests = {
        episode.id: hashlib.sha256(episode_json(episode).encode("utf-8")).hexdigest()
        for episode in episodes
    }
    folder = out_dir / team_name
    bundle = Bundle(team_name, folder, theme, episodes, (), digests)
    if not chosen:
        return bundle, []
    single, combined = formats_of(team, registry)
    attachments: list[Attachment] = []
    problems: list[Problem] = []
    with _inputs_for(chosen, episodes, team) as (paths, originals):
        request = ExportRequest(
            inputs=tuple(paths),
            formats=tuple(single),
            out_dir=folder,
            theme=theme,
            language=team.language,
            jobs=jobs,
        )
        reports = [export(request)] if single else []
        for name in combined:
            one = ExportRequest(
                inputs=tuple(paths),
                formats=(name,),
                out_dir=folder,
                theme=theme,
                language=team.language,
            )
            reports.append(export_combined(one))
        for report in reports:
            problems += [_named(problem, originals) for problem in report.problems]
            # A document already in the team's folder (an incremental re-run) is attached
            # as one just written.
            for written in [*report.written, *report.unchanged]:
                attachments.append(
                    Attachment(
                        written.path,
                        written.media_type,
                        written.episodes,
                        written.format in combined,
                        written.size,
                        written.sha256,
                    )
                )
    attachments.sort(key=lambda attachment: attachment.filename)
    return Bundle(team_name, folder, theme, episodes, tuple(attachments), digests), problems


@contextmanager
def _inputs_for(
    chosen: list[Source], episodes: tuple[Episode, ...], team: Team
) -> Iterator[tuple[list[Path], dict[str, str]]]:
    """The files to give the pipeline: the inputs themselves, or with ``sections`` the
    trimmed episodes written to a scratch folder (and how to name those in messages)."""
    if team.sections is None:
        yield [source.path for source in chosen], {}
        return
    with tempfile.TemporaryDirectory(prefix="briefing-sections-") as scratch:
        paths, originals = [], {}
        for source, episode in zip(chosen, episodes, strict=True):
            path = Path(scratch) / source.path.name
            path.write_text(episode_json(episode), encoding="utf-8")
            paths.append(path)
            originals[str(path)] = str(source.path)
        yield paths, originals


def _named(problem: Problem, originals: dict[str, str]) -> Problem:
    source = originals.get(problem.source, problem.source)
    return Problem(source, problem.message, problem.field)
