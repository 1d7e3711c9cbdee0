"""Where ``-o`` points when another run changes the place while this one looks at it."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import destination


def test_a_folder_made_by_a_concurrent_run_between_the_checks_is_the_destination(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    looked = Path.is_dir

    def made_just_after_looking(path: Path) -> bool:
        found = looked(path)
        if path == out:
            out.mkdir(exist_ok=True)
        return found

    monkeypatch.setattr(Path, "is_dir", made_just_after_looking)
    planned = destination.plan(str(out), 4, None, "4 episodes in 1 format", False)
    assert planned.folder == out
    assert planned.file is None
