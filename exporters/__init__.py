"""The exporter seam: what a format is, and how formats are found.

A format is a class with ``name``, ``suffix``, ``media_type`` and
``description`` and a pure ``render(episode, theme, labels) -> bytes``. A format
that can put many episodes into one file also has ``render_combined``. Formats
are found through the ``briefing.exporters`` entry-point group; the built-in
ones are registered there exactly like a third-party plugin.

Exporter modules import their format library inside ``render``, so listing
formats or asking for ``--help`` never loads reportlab, docx or openpyxl.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from briefing.labels import Labels
    from briefing.model import Episode
    from styles import Theme

ENTRY_POINT_GROUP = "briefing.exporters"
_SUFFIX = re.compile(r"^[a-z0-9]+$")


@runtime_checkable
class Exporter(Protocol):
    name: ClassVar[str]
    suffix: ClassVar[str]
    """File name suffix without the dot: ``pdf`` -> ``out/<id>.pdf``."""
    media_type: ClassVar[str]
    description: ClassVar[str]

    def render(self, episode: Episode, theme: Theme, labels: Labels) -> bytes:
        """The whole document as bytes; the same inputs always give the same bytes."""
        ...


@runtime_checkable
class CombiningExporter(Exporter, Protocol):
    """A format that can hold many episodes in one file (``--combine``)."""

    def render_combined(self, episodes: Iterable[Episode], theme: Theme, labels: Labels) -> bytes:
        """One document with every episode; ``episodes`` is consumed once, as a stream."""
        ...


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


def _distribution_label(entry_point: EntryPoint) -> str:
    dist = entry_point.dist
    return f"{dist.name} {dist.version}" if dist is not None else "unknown distribution"


class Registry:
    """Formats by name. Loading one never loads the others, so a broken plugin
    is reported by name and the rest keep working."""

    def __init__(self, points: Iterable[EntryPoint]) -> None:
        self._entries: dict[str, FormatEntry] = {}
        for point in sorted(points, key=lambda p: (p.name, _distribution_label(p))):
            # The first registration of a name wins, so the choice is stable.
            self._entries.setdefault(
                point.name, FormatEntry(point.name, point.value, _distribution_label(point), point)
            )
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
            close = difflib.get_close_matches(name, self.names(), n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise FormatError(f'unknown format "{name}"{hint}; known formats: {known}')
        return self._entries[name]

    def get(self, name: str) -> Exporter:
        if name not in self._loaded:
            self._loaded[name] = self.entry(name).load()
        return self._loaded[name]
