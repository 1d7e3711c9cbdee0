"""What ``briefing.toml`` may hold (``briefing.project`` reads it): a module of its own so
that an export without a project file builds none of these models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ExportDefaults(_Strict):
    formats: list[str] | None = None
    style: str | None = None
    lang: str | None = None
    output: str | None = None
    jobs: Annotated[int, Field(ge=1)] | None = None


class Project(_Strict):
    export: ExportDefaults = ExportDefaults()
