"""The tracker read back with openpyxl and as raw package parts, for assertions."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from briefing.cli import cli


def track(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["track", *map(str, args)])


def open_book(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LibreOffice's extensions, which openpyxl drops
        return load_workbook(path)


def table(path: Path) -> list[dict[str, Any]]:
    """The Tracker's rows as dicts by header, in sheet order."""
    sheet = open_book(path)["Tracker"]
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def by_id(path: Path) -> dict[str, dict[str, Any]]:
    return {row["ID"]: row for row in table(path)}


def by_statement(path: Path) -> dict[str, dict[str, Any]]:
    return {row["Statement"]: row for row in table(path)}


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        return archive.read(name).decode("utf-8")


def parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()
