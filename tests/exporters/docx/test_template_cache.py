"""The restyled Word template kept in the pipeline's cache: a new process reads it instead
of restyling, another theme is another entry, and the report is the same bytes with the
cache, without it and with a spoilt entry (which is made again)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from briefing.cache import FolderCache
from briefing.formats import Cache, NoCache
from briefing.labels import ENGLISH
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.docx import DocxExporter, template
from exporters.docx.template_cache import template_from_bytes, template_to_bytes
from styles import Theme
from tests.counting_cache import CountingCache

FOLDER = "docx-template"


def _fresh_report(episode: Episode, theme: Theme, cache: Cache) -> bytes:
    """The report as the first render of a new process makes it: no template kept yet."""
    template._template.cache_clear()
    context = dataclasses.replace(default_context(episode), cache=cache)
    return DocxExporter().render(episode, theme, ENGLISH, context)


def test_a_new_process_reads_the_restyled_template(
    tmp_path: Path, seed_episode, default_theme
) -> None:
    first = CountingCache(tmp_path, FOLDER)
    made = _fresh_report(seed_episode, default_theme, first)
    entries = sorted((tmp_path / FOLDER).iterdir())
    assert len(entries) == 1 and first.hits == []

    second = CountingCache(tmp_path, FOLDER)
    assert _fresh_report(seed_episode, default_theme, second) == made
    assert second.hits == [f"{FOLDER}/{entries[0].name}"]
    assert _fresh_report(seed_episode, default_theme, NoCache()) == made


def test_each_theme_has_its_own_entry(
    tmp_path: Path, seed_episode, default_theme, print_theme
) -> None:
    cache = FolderCache(tmp_path)
    default_report = _fresh_report(seed_episode, default_theme, cache)
    print_report = _fresh_report(seed_episode, print_theme, cache)
    assert len(list((tmp_path / FOLDER).iterdir())) == 2
    assert _fresh_report(seed_episode, print_theme, NoCache()) == print_report
    assert _fresh_report(seed_episode, default_theme, cache) == default_report


def test_a_spoilt_entry_is_made_again(tmp_path: Path, seed_episode, default_theme) -> None:
    made = _fresh_report(seed_episode, default_theme, FolderCache(tmp_path))
    (entry,) = (tmp_path / FOLDER).iterdir()
    kept = entry.read_bytes()
    header, _, package = kept.partition(b"\n")
    spoilt = [
        b"not an entry",
        kept[: len(kept) // 2],  # cut short: the package no longer has its hash
        header + b"\n" + package[:-1] + bytes([package[-1] ^ 1]),
        b'{"style_ids": [["Normal", 7]], "sha256": "0"}\n' + package,
        b"[1, 2]\n" + package,
    ]
    for data in spoilt:
        assert template_from_bytes(data) is None
        entry.write_bytes(data)
        assert _fresh_report(seed_episode, default_theme, FolderCache(tmp_path)) == made
        # Made again and put back whole: the same style ids (the package's zip carries
        # the time python-docx saved it, which the report's own zip does not keep).
        again = template_from_bytes(entry.read_bytes())
        assert again is not None and again[1] == template_from_bytes(kept)[1]  # type: ignore[index]


def test_an_entry_reads_back_as_it_was_written() -> None:
    style_ids = {"Heading 1": "Heading1", "Title": "Title", "Table Text": "TableText"}
    data = template_to_bytes(b"PK\x03\x04 package\n with lines", style_ids)
    assert template_from_bytes(data) == (b"PK\x03\x04 package\n with lines", style_ids)
    assert list(template_from_bytes(data)[1]) == list(style_ids)  # type: ignore[index]
