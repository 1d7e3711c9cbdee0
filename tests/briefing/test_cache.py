"""The cache folder the pipeline gives formats: where it is, and that it never fails a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cache import FolderCache, cache_folder, user_cache
from briefing.formats import NoCache


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFING_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert cache_folder() == Path("/somewhere/briefing")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_folder() == Path.home() / ".cache" / "briefing"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", "/elsewhere")
    assert cache_folder() == Path("/elsewhere")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", "")
    assert cache_folder() is None
    assert isinstance(user_cache(), NoCache)


def test_entries_round_trip_and_bad_keys_are_refused(tmp_path: Path) -> None:
    cache = FolderCache(tmp_path / "cache")
    cache.put("fonts/abc.marshal", b"data")
    assert cache.get("fonts/abc.marshal") == b"data"
    assert (tmp_path / "cache" / "fonts" / "abc.marshal").read_bytes() == b"data"
    for key in ("../outside", "/etc/passwd", "fonts/../../x", ""):
        cache.put(key, b"no")
        assert cache.get(key) is None
    assert not (tmp_path / "outside").exists()


def test_an_unusable_folder_keeps_nothing_and_raises_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = FolderCache(blocker)
    cache.put("fonts/x", b"data")
    assert cache.get("fonts/x") is None
    assert blocker.read_text(encoding="utf-8") == "not a folder"
