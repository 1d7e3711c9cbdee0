"""Compiled templates kept in the pipeline's cache: a new process loads them instead of
compiling, entries that do not match their template are compiled again, and the page is
the same bytes with the cache, without it and with a spoilt one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from briefing.cache import FolderCache
from briefing.formats import NoCache
from briefing.labels import ENGLISH
from briefing.pipeline import default_context
from exporters.html import environment
from tests.counting_cache import CountingCache
from tests.exporters.html.pages import page


def _fresh_page(seed_episode, default_theme, cache) -> bytes:
    """The page as the first render of a new process makes it: no template compiled yet."""
    environment.environment.cache_clear()
    context = dataclasses.replace(default_context(seed_episode), cache=cache)
    return page(seed_episode, default_theme, ENGLISH, context)


def test_a_new_process_loads_the_compiled_templates(
    tmp_path: Path, seed_episode, default_theme
) -> None:
    first = CountingCache(tmp_path, "html-templates")
    made = _fresh_page(seed_episode, default_theme, first)
    entries = sorted((tmp_path / "html-templates").iterdir())
    assert entries and first.hits == []

    second = CountingCache(tmp_path, "html-templates")
    assert _fresh_page(seed_episode, default_theme, second) == made
    assert sorted(second.hits) == sorted(f"html-templates/{e.name}" for e in entries)
    assert _fresh_page(seed_episode, default_theme, NoCache()) == made


def test_a_spoilt_entry_is_compiled_again(tmp_path: Path, seed_episode, default_theme) -> None:
    made = _fresh_page(seed_episode, default_theme, FolderCache(tmp_path))
    entries = sorted((tmp_path / "html-templates").iterdir())
    kept = {entry: entry.read_bytes() for entry in entries}
    for number, entry in enumerate(entries):
        # Not bytecode at all, or a valid header (magic and checksum) cut short.
        entry.write_bytes(b"not bytecode" if number % 2 else kept[entry][: len(kept[entry]) // 3])

    assert _fresh_page(seed_episode, default_theme, FolderCache(tmp_path)) == made
    assert {entry: entry.read_bytes() for entry in entries} == kept
