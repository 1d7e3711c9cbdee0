"""Re-runs that cost what changed (as make, or Quarto's freeze): which documents of a run
are already in the output folder exactly as this run would write them.

Each document an episode makes gets a digest, the sha256 of everything it is made from:
the episode file's bytes; the theme after ``extends`` (its resolved keys as canonical
JSON), the bytes of its Word reference document (``--reference-doc`` or
``docx.reference``) and of the files in its HTML template folder; the labels language
(``--lang``; without it the episode's own, which is in its bytes) and the label catalogs;
the format's name and the distribution and version it comes from; this tool's version;
and ``SOURCE_DATE_EPOCH``. The manifest records the digest with each file. A document is
skipped when the manifest lists its file under the same digest and the file on disk still
has the recorded size and sha256; anything else (a new episode, an edit anywhere in what
it is made from, a file deleted or edited by hand, an entry without a digest from an
older manifest, a document that failed last time) is rendered again. ``--force`` renders
everything.

Deciding reads bytes and hashes them; nothing is parsed, validated or rendered. What the
digest cannot see: a format or the tool changed without a new version (an editable
install being worked on); ``--force`` is for that.
"""

from __future__ import annotations

import functools
import hashlib
import json
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing import __version__
from briefing.batch import ExportRequest, Rendered
from briefing.formats import FormatError, Registry
from briefing.labels import LOCALE_DIR
from briefing.manifest import Folder, Written, sha256_of
from briefing.source import MAX_INPUT_BYTES, Problem
from briefing.spill import by_digest

DIGEST_SCHEME = 1
"""Bumped when what goes into a digest changes, so that every document is rebuilt once."""


@dataclass(frozen=True)
class Step:
    """One episode file of the run: the formats to render, the documents already there."""

    source: Path
    render: tuple[str, ...]
    unchanged: tuple[Written, ...] = ()
    source_sha256: str | None = None
    """The episode file's hash as read when deciding; None when it could not be read."""

    @property
    def skipped(self) -> bool:
        """Nothing to render: every document is already there."""
        return not self.render and bool(self.unchanged)


@dataclass(frozen=True)
class Digests:
    """What every document of the run shares, per format: one hash each, made once."""

    by_format: Mapping[str, str]
    suffixes: Mapping[str, str]

    def of(self, step: Step, name: str) -> str | None:
        """The digest of ``step``'s document in format ``name``, or None when there is
        none (the file could not be read, the format cannot be loaded)."""
        run = self.by_format.get(name)
        if run is None or step.source_sha256 is None:
            return None
        return hashlib.sha256(f"{run}:{step.source_sha256}".encode()).hexdigest()


def digests_for(request: ExportRequest, registry: Registry, formats: Iterable[str]) -> Digests:
    shared = {
        "scheme": DIGEST_SCHEME,
        "tool": __version__,
        "theme": request.theme.plain_data(),
        "reference_docx": _sha256(request.theme.reference_docx),
        "templates": _folder_sha256(request.theme.html.templates),
        "language": request.language,
        "catalogs": _catalogs_sha256(),
        "date": None if request.fixed_date is None else request.fixed_date.isoformat(),
    }
    by_format, suffixes = {}, {}
    for name in formats:
        try:
            exporter = registry.get(name)
            distribution = registry.entry(name).distribution
        except FormatError:
            continue  # rendered, so that each episode reports it as before
        inputs = {**shared, "format": name, "distribution": distribution}
        by_format[name] = _canonical_sha256(inputs)
        suffixes[name] = exporter.suffix
    return Digests(by_format, suffixes)


def plan(
    sources: Iterable[Path | Problem],
    formats: tuple[str, ...],
    digests: Digests,
    folder: Folder,
    force: bool,
) -> Iterator[Step | Problem]:
    """Each source with the formats it needs rendered; with ``force``, all of them. A
    problem among the sources (an input with no episode) is passed on in its place."""
    recorded = () if force else (e for e in folder.recorded() if isinstance(e.get("digest"), str))
    with by_digest(recorded) as known:
        for source in sources:
            if isinstance(source, Problem):
                yield source
                continue
            step = Step(source, formats, source_sha256=_source_sha256(source))
            if known.empty:
                yield step
                continue
            render, unchanged = [], []
            for name in formats:
                entry = known.get(digests.of(step, name) or "")
                if entry is not None and _still_there(entry, name, digests, folder):
                    unchanged.append(_written(entry, folder))
                else:
                    render.append(name)
            yield Step(source, tuple(render), tuple(unchanged), step.source_sha256)


def unchanged_only(step: Step) -> Rendered:
    """What a step with nothing to render stands for: its episode, no new document."""
    return Rendered(step.source, step.unchanged[0].episodes[0])


def _still_there(entry: dict[str, Any], name: str, digests: Digests, folder: Folder) -> bool:
    """Whether ``entry`` is this document's: its format, the file name the run would
    give it (not ``-o FILE``'s or a combined one), and its bytes as recorded."""
    episode = entry.get("episode")
    if entry["format"] != name or not isinstance(episode, str):
        return False
    if entry["file"] != f"{episode}.{digests.suffixes[name]}":
        return False
    return folder.holds(entry)


def _written(entry: dict[str, Any], folder: Folder) -> Written:
    return Written(
        folder.path / entry["file"],
        entry["format"],
        entry["media_type"],
        (entry["episode"],),
        entry["bytes"],
        entry["sha256"],
        entry["digest"],
    )


def _source_sha256(source: Path) -> str | None:
    """The hash of an episode file, when it is a regular file of a size the reader takes
    (anything else is left to reading, which says what is wrong)."""
    try:
        status = source.stat()
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_INPUT_BYTES:
            return None
        return sha256_of(source)
    except OSError:
        return None


def _sha256(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _canonical_sha256(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _folder_sha256(folder: str | None) -> str | None:
    """Every file under a folder, by relative name and bytes (a theme's templates)."""
    if folder is None:
        return None
    root = Path(folder)
    digest = hashlib.sha256()
    try:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogatepass"))
                digest.update(b"\0" + sha256_of(path).encode() + b"\n")
    except OSError:
        # Not None (no folder): the format reading it fails too, and records nothing.
        return "unreadable"
    return digest.hexdigest()


@functools.cache
def _catalogs_sha256() -> str | None:
    """The label catalogs: the words every document prints (once per process)."""
    return _folder_sha256(str(LOCALE_DIR))
