"""A small library of episodes for the tracker's tests, written as episode files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SEED_JSON


def seed_data(**changes: Any) -> dict[str, Any]:
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    data.update(changes)
    return data


CHIPS = {
    "id": "chips-and-power",
    "title": "Chips and Power",
    "published": "2021-06-15",
    "predictions": [
        {"at": "00:10", "horizon": "2 years", "statement": "Chip supply will double."},
        {"at": "00:20", "horizon": "by 2030", "statement": "=Fabs in every state"},
        {"at": "01:00", "horizon": "next year", "statement": "Prices will fall by half."},
        {"at": "01:30", "horizon": "6 months", "statement": "A new node ships."},
    ],
}
UNDATED = {
    "id": "no-date",
    "title": "No Date Talk",
    "predictions": [{"at": "00:05", "horizon": "5 years", "statement": "Robots in homes."}],
}
LATER = {
    "id": "later-talk",
    "title": "A Later Talk",
    "published": "2026-01-10",
    "predictions": [
        {"at": "00:30", "horizon": "3 years", "statement": "Agents will file taxes."},
        {"at": "02:00", "horizon": "Long term", "statement": "Cities plan around robots."},
    ],
}


def write_episode(folder: Path, **changes: Any) -> Path:
    data = seed_data(**changes)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{data['id']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_library(folder: Path, *episodes: dict[str, Any]) -> Path:
    """The bundled episode (published 2024-03-01) and ``episodes``, in ``folder``."""
    write_episode(folder, published="2024-03-01")
    for changes in episodes:
        write_episode(folder, **changes)
    return folder
