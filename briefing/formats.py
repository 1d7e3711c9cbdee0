"""The exporter seam: what a format is, what it is given, and how formats are found.

A format is a class with ``name``, ``suffix``, ``media_type`` and ``description``
and a pure ``render(episode, theme, labels, context) -> bytes``. A format that can
put many episodes into one file also has ``render_combined``. Everything a format
needs from outside the episode comes in the ``RenderContext``: the date documents
carry, the generator string, and a cache of bytes that the pipeline keeps where it
likes. A format reads no environment and writes no file.

Formats are found through the ``briefing.exporters`` entry-point group; the
built-in ones (the ``exporters`` package) are registered there exactly like a
third-party plugin, and this module never imports them. Exporter modules import
their format library inside ``render``, so listing formats or asking for
``--help`` never loads reportlab, docx or openpyxl.
"""

from __future__ import annotations

import inspect
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import Distribution, EntryPoint, PackageMetadata, entry_points
from typing import IO, TYPE_CHECKING, ClassVar, NamedTuple, Protocol, runtime_checkable

from briefing.byte_cache import Cache, NoCache

if TYPE_CHECKING:
    from email.message import Message

    from briefing.labels import Labels
    from briefing.model import Episode
    from styles import Theme

ENTRY_POINT_GROUP = "briefing.exporters"
_SUFFIX = re.compile(r"^[a-z0-9]+$")


class Scratch(Protocol):
    """Makes a scratch stream for data too large to be sure to fit in memory (the
    sheets of a large workbook); the stream is gone once closed."""

    def __call__(self) -> IO[bytes]: ...


class MemoryScratch:
    """Scratch streams in memory."""

    def __call__(self) -> IO[bytes]:
        return io.BytesIO()


@dataclass(frozen=True)
class RenderContext:
    """What a format is given besides the episode, theme and labels."""

    date: datetime
    """The one date the document may carry (creation and modification), in UTC."""
    generator: str
    """Who made the document, for its metadata: ``briefing 0.1.0``."""
    cache: Cache = field(default_factory=NoCache, compare=False)
    scratch: Scratch = field(default_factory=MemoryScratch, compare=False)


@runtime_checkable
class Exporter(Protocol):
    name: ClassVar[str]
    suffix: ClassVar[str]
    """File name suffix without the dot: ``pdf`` -> ``out/<id>.pdf``."""
    media_type: ClassVar[str]
    description: ClassVar[str]

    def render(
        self, episode: Episode, theme: Theme, labels: Labels, context: RenderContext
    ) -> bytes:
        """The whole document as bytes; the same arguments always give the same bytes."""
        ...


@runtime_checkable
class CombiningExporter(Exporter, Protocol):
    """A format that can hold many episodes in one file (``--combine``)."""

    def render_combined(
        self, episodes: Iterable[Episode], theme: Theme, labels: Labels, context: RenderContext
    ) -> bytes:
        """One document with every episode; ``episodes`` is consumed once, as a stream."""
        ...


class MailBody(NamedTuple):
    """A message body in the two forms mail clients show: HTML and plain text."""

    html: str
    text: str


@runtime_checkable
class MailingExporter(Exporter, Protocol):
    """A format that can also write the body of an email about one or more episodes."""

    def render_mail(
        self, episodes: Sequence[Episode], theme: Theme, labels: Labels, context: RenderContext
    ) -> MailBody:
        """One episode's briefing, or a digest of several, as a mail body."""
        ...


def takes_context(method: object) -> bool:
    """Whether a ``render`` or ``render_combined`` takes the context: plugins written
    before it came (``render(episode, theme, labels)``) are still called without one."""
    try:
        parameters = inspect.signature(method).parameters.values()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    positional = [
        p
        for p in parameters
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    return len(positional) != 3 or any(p.kind == p.VAR_POSITIONAL for p in positional)


def render_document(
    exporter: Exporter, episode: Episode, theme: Theme, labels: Labels, context: RenderContext
) -> bytes:
    if takes_context(exporter.render):
        return exporter.render(episode, theme, labels, context)
    return exporter.render(episode, theme, labels)  # type: ignore[call-arg]


def render_combined_document(
    exporter: CombiningExporter,
    episodes: Iterable[Episode],
    theme: Theme,
    labels: Labels,
    context: RenderContext,
) -> bytes:
    if takes_context(exporter.render_combined):
        return exporter.render_combined(episodes, theme, labels, context)
    return exporter.render_combined(episodes, theme, labels)  # type: ignore[call-arg]


class FormatError(Exception):
    """An unknown format name, or a format whose plugin cannot be loaded."""


@dataclass(frozen=True)
class FormatEntry:
    """A registered format, known by name before its module is imported."""

    name: str
    target: str
    distribution: str
    entry_point: EntryPoint = field(repr=False, compare=False)

    def load(self) -> Exporter:
        try:
            exporter = self.entry_point.load()()
        except Exception as error:
            raise FormatError(
                f"format {self.name!r} from {self.distribution} cannot be loaded: "
                f"{type(error).__name__}: {error}"
            ) from error
        if not isinstance(exporter, Exporter) or not _SUFFIX.match(str(exporter.suffix)):
            raise FormatError(
                f"format {self.name!r} from {self.distribution} is not an exporter: it needs "
                "name, suffix (letters and digits), media_type, description and render()"
            )
        return exporter


def _distribution_label(entry_point: EntryPoint, labels: dict[int, str]) -> str:
    """``name version`` of the point's distribution, its metadata read once per
    distribution: ``dist.name`` and ``dist.version`` each parse the whole METADATA file
    with the email parser, twice per format (10 ms of every export)."""
    dist = entry_point.dist
    if dist is None:
        return "unknown distribution"
    key = id(dist)
    if key not in labels:
        headers = _metadata_headers(dist)
        labels[key] = f"{headers['Name']} {headers['Version']}"
    return labels[key]


def _metadata_headers(dist: Distribution) -> Message | PackageMetadata:
    """The header fields of a distribution's core metadata, without its body: the body is
    the long description (our README, 108 KB), and parsing it took 3.5 ms of every
    export. The files are those ``Distribution.metadata`` reads, in its order."""
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    if not text:
        return dist.metadata
    from email.parser import HeaderParser

    return HeaderParser().parsestr(text.partition("\n\n")[0])


class Registry:
    """Formats by name. Loading one never loads the others, so a broken plugin
    is reported by name and the rest keep working."""

    def __init__(self, points: Iterable[EntryPoint]) -> None:
        self._entries: dict[str, FormatEntry] = {}
        self._rivals: dict[str, list[FormatEntry]] = {}
        labels: dict[int, str] = {}
        listed = list(points)  # the distributions stay alive while their ids are keys
        for point in sorted(listed, key=lambda p: (p.name, _distribution_label(p, labels))):
            entry = FormatEntry(point.name, point.value, _distribution_label(point, labels), point)
            first = self._entries.setdefault(point.name, entry)
            # Two distributions naming the same object (a renamed package left installed
            # beside its new name) agree; two objects under one name do not.
            if first.distribution != entry.distribution and first.target != entry.target:
                self._rivals.setdefault(point.name, [first]).append(entry)
        self._loaded: dict[str, Exporter] = {}

    @classmethod
    def from_metadata(cls) -> Registry:
        return cls(entry_points(group=ENTRY_POINT_GROUP))

    def names(self) -> list[str]:
        return sorted(self._entries)

    def entries(self) -> list[FormatEntry]:
        return [self._entries[name] for name in self.names()]

    def entry(self, name: str) -> FormatEntry:
        if name not in self._entries:
            known = ", ".join(self.names()) or "none installed"
            import difflib  # only for this message

            close = difflib.get_close_matches(name, self.names(), n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise FormatError(f'unknown format "{name}"{hint}; known formats: {known}')
        if name in self._rivals:
            # A plugin shadowing a format by name: which one the user means cannot be told.
            claims = " and ".join(f"{e.distribution} ({e.target})" for e in self._rivals[name])
            raise FormatError(
                f"format {name!r} is registered by {claims}; uninstall one of them to use it"
            )
        return self._entries[name]

    def get(self, name: str) -> Exporter:
        if name not in self._loaded:
            self._loaded[name] = self.entry(name).load()
        return self._loaded[name]
