"""The wheel a user installs: the licence, the themes and the example episode travel in it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_JSON


@pytest.mark.slow
def test_the_wheel_carries_licence_themes_example_and_metadata(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        example = archive.read("briefing/examples/summoning-ghosts.json")
        metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
        text = archive.read(metadata).decode("utf-8")
        licence = next(name for name in names if name.endswith("/licenses/LICENSE"))
        assert archive.read(licence).startswith(b"MIT License")
    assert example == SEED_JSON.read_bytes()
    assert {"styles/default.toml", "styles/print.toml"} <= names
    assert "License-Expression: MIT" in text
    assert "Classifier: Topic :: Office/Business" in text
    assert "Project-URL: Changelog" in text
    for format_name in ("PDF", "Word", "Excel", "Markdown"):
        assert format_name in text.split("\n\n")[0]
