"""``briefing.toml``: a project's defaults for ``briefing export``, as ``mkdocs.yml`` or
``_quarto.yml`` hold theirs.

```toml
[export]
formats = ["pdf", "docx"]   # -f
style = "print"              # --style (a theme name, or a path relative to this file)
lang = "en"                  # --lang
output = "reports"           # -o, relative to this file
jobs = 2                     # --jobs
```

The file in the current folder is read when present, or the one ``--config`` names.
Options on the command line win over it. An unknown key or a value of the wrong type
is one line naming the file and the key, exit 2.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.project_schema import Project

PROJECT_FILE = Path("briefing.toml")
MAX_BYTES = 1024 * 1024


class ProjectError(Exception):
    """A project file that cannot be used; the message names the file and the key."""


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise ProjectError(f"{path}: cannot read: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise ProjectError(f"{path}: larger than 1 MiB; a project file holds a few options")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProjectError(f"{path}: not valid TOML: {error}") from None


def _validated(path: Path, data: dict[str, Any]) -> Project:
    from pydantic import ValidationError

    from briefing.project_schema import Project

    try:
        return Project.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        key = ".".join(str(part) for part in first["loc"])[:200]
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise ProjectError(f"{path}: {key}: {message}") from None


def _relative_to(path: Path, value: str) -> str:
    candidate = Path(value)
    return str(candidate if candidate.is_absolute() else path.parent / candidate)


def export_defaults(config: Path | None) -> dict[str, dict[str, Any]]:
    """click's ``default_map`` for the group: ``{"export": {...}}``; empty without a file."""
    path = config if config is not None else PROJECT_FILE
    if config is None and not path.is_file():
        return {}
    defaults = _validated(path, _read(path)).export
    values: dict[str, Any] = {}
    if defaults.formats is not None:
        values["formats"] = defaults.formats
    if defaults.style is not None:
        # A theme file is named relative to the project file; a built-in by its name.
        is_file = defaults.style.endswith(".toml") or "/" in defaults.style
        values["style"] = _relative_to(path, defaults.style) if is_file else defaults.style
    if defaults.lang is not None:
        values["lang"] = defaults.lang
    if defaults.output is not None:
        values["output"] = _relative_to(path, defaults.output)
    if defaults.jobs is not None:
        values["jobs"] = defaults.jobs
    return {"export": values} if values else {}
