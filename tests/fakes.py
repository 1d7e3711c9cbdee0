"""Test doubles shared by test modules: the installed formats plus one made for a test."""

from __future__ import annotations

import pytest

from briefing.formats import Registry


class FakeEntryPoint:
    """Just enough of ``importlib.metadata.EntryPoint`` for the registry."""

    def __init__(self, name: str, target: object) -> None:
        self.name, self.value, self.dist, self._target = name, f"tests:{name}", None, target

    def load(self) -> object:
        return self._target


def use_registry_with(monkeypatch: pytest.MonkeyPatch, name: str, exporter: type) -> Registry:
    """A fresh registry of the installed formats and ``exporter`` as ``name``, used by the
    pipeline and the CLI until the test ends."""
    points = [entry.entry_point for entry in Registry.from_metadata().entries()]
    fresh = Registry([*points, FakeEntryPoint(name, exporter)])  # type: ignore[list-item]
    monkeypatch.setattr("briefing.pipeline.default_registry", lambda: fresh)
    return fresh
