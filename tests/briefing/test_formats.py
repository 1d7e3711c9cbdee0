"""The exporter seam: formats found through entry points, plugins like built-ins."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import __version__
from briefing.cli import cli
from briefing.formats import CombiningExporter, Exporter, FormatError, Registry
from briefing.pipeline import default_registry
from tests.conftest import ROOT, SEED_JSON

PLUGINS = Path(__file__).parents[1] / "plugins"
BROKEN_PLUGINS = Path(__file__).parents[1] / "plugins_broken"
BUILT_IN = {"md", "pdf", "docx", "xlsx"}


@pytest.fixture
def with_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test distributions on sys.path, and a registry read afresh for this test only."""
    monkeypatch.syspath_prepend(str(PLUGINS))
    monkeypatch.syspath_prepend(str(BROKEN_PLUGINS))
    default_registry.cache_clear()
    yield
    default_registry.cache_clear()


def test_built_in_formats_are_registered_through_entry_points() -> None:
    registry = Registry.from_metadata()
    assert set(registry.names()) >= BUILT_IN
    for name in BUILT_IN:
        entry = registry.entry(name)
        # The distribution is episode-briefing (the name briefing is taken on PyPI);
        # the command and the import package stay briefing.
        assert entry.distribution == f"episode-briefing {__version__}"
        assert isinstance(registry.get(name), Exporter)
    assert isinstance(registry.get("xlsx"), CombiningExporter)


def test_unknown_format_lists_the_known_ones() -> None:
    registry = Registry.from_metadata()
    with pytest.raises(FormatError, match=r'unknown format "pfd" \(did you mean "pdf"\?\); known'):
        registry.entry("pfd")


@pytest.mark.usefixtures("with_plugins")
def test_third_party_exporter_is_discovered_and_used(tmp_path: Path) -> None:
    registry = Registry.from_metadata()
    assert registry.entry("txt").distribution == "briefing-eptest 0.1"
    result = CliRunner().invoke(cli, ["export", str(SEED_JSON), "-f", "txt", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "summoning-ghosts.txt").read_text(encoding="utf-8")
    assert text.startswith("Dwarkesh + Andrej Karpathy: Summoning Ghosts\n")


@pytest.mark.usefixtures("with_plugins")
def test_broken_plugin_is_named_and_the_others_still_work(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["formats"])
    assert result.exit_code == 1
    assert "broken   (broken)  format 'broken' from briefing-broken 0.1 cannot be loaded" in (
        result.stderr
    )
    assert "txt      .txt" in result.stdout and "md       .md" in result.stdout
    export = CliRunner().invoke(cli, ["export", str(SEED_JSON), "-f", "md", "-o", str(tmp_path)])
    assert export.exit_code == 0


@pytest.mark.usefixtures("with_plugins")
def test_exporting_with_a_broken_plugin_reports_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", str(SEED_JSON), "-f", "broken", "-f", "md", "-o", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "cannot be loaded: ModuleNotFoundError" in result.stderr
    assert (tmp_path / "summoning-ghosts.md").is_file()


def test_plugin_discovered_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(PLUGINS)}
    command = [
        sys.executable,
        "-m",
        "briefing",
        "export",
        str(SEED_JSON),
        "-f",
        "txt",
        "-o",
        str(tmp_path),
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "summoning-ghosts.txt").is_file()


class _OldStyle:
    name, suffix, media_type, description = "old", "old", "text/plain", "three arguments"

    def render(self, episode, theme, labels) -> bytes:
        return episode.title.encode()


class _NewStyle(_OldStyle):
    def render(self, episode, theme, labels, context) -> bytes:
        return f"{episode.title} {context.date:%Y} {context.generator}".encode()


def test_plugins_with_and_without_the_context_are_both_called_right(seed_episode) -> None:
    from briefing.formats import RenderContext, render_document, takes_context
    from briefing.labels import ENGLISH
    from styles import load_theme

    context = RenderContext(date=datetime(2031, 1, 1, tzinfo=UTC), generator="briefing test")
    theme = load_theme()
    assert not takes_context(_OldStyle().render) and takes_context(_NewStyle().render)
    old = render_document(_OldStyle(), seed_episode, theme, ENGLISH, context)
    assert old == seed_episode.title.encode()
    new = render_document(_NewStyle(), seed_episode, theme, ENGLISH, context)
    assert new == f"{seed_episode.title} 2031 briefing test".encode()


def test_a_distribution_is_named_from_its_metadata_headers_as_importlib_names_it() -> None:
    """Every installed distribution (and the test plugins, whose metadata is PKG-INFO or
    METADATA) gets the name and version ``Distribution.metadata`` gives, from the header
    fields alone."""
    from importlib.metadata import distributions

    from briefing.formats import _metadata_headers

    found = list(distributions(path=[*sys.path, str(PLUGINS), str(BROKEN_PLUGINS)]))
    assert len(found) > 50
    for dist in found:
        full, headers = dist.metadata, _metadata_headers(dist)
        assert (headers["Name"], headers["Version"]) == (full["Name"], full["Version"])
