"""The house rules, checked on the source: the core never imports the formats, formats
touch neither the environment nor the file system, no import circles, no module a
reader cannot take in at one sitting."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("briefing", "exporters", "styles", "benchmarks")
MAX_LINES = 500
# What writing to the file system or reading the environment looks like in Python.
FORBIDDEN_IN_EXPORTERS = {
    ("os", "environ"),
    ("os", "getenv"),
    ("os", "putenv"),
    ("os", "mkdir"),
    ("os", "makedirs"),
    ("os", "replace"),
    ("os", "rename"),
    ("os", "remove"),
    ("os", "unlink"),
    ("tempfile", "mkstemp"),
    ("tempfile", "NamedTemporaryFile"),
    ("tempfile", "TemporaryFile"),
    ("tempfile", "SpooledTemporaryFile"),
    ("tempfile", "mkdtemp"),
}
WRITING_METHODS = {"write_bytes", "write_text", "mkdir", "touch", "unlink", "rmdir", "symlink_to"}


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[str]:
    """Every module of ours that ``name`` imports, type-only imports included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            if target in MODULES and target != name:
                yield target


GRAPH = {name: set(_imports(name, path)) for name, path in MODULES.items()}


def test_the_core_never_imports_the_formats() -> None:
    offenders = {
        name: sorted(target for target in targets if target.split(".")[0] == "exporters")
        for name, targets in GRAPH.items()
        if name.split(".")[0] in {"briefing", "styles"}
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def _cycle_from(start: str) -> list[str] | None:
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        name, route = stack.pop()
        for target in GRAPH[name]:
            # A package's __init__ importing its own submodules is not a circle of modules.
            if name.startswith(f"{target}.") and MODULES[target].name == "__init__.py":
                continue
            if target == start:
                return [*route, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*route, target]))
    return None


def test_there_is_no_import_circle() -> None:
    circles = [cycle for name in GRAPH if (cycle := _cycle_from(name)) is not None]
    assert circles == []


@pytest.mark.parametrize(
    "name", [name for name in MODULES if name.startswith("exporters")], ids=str
)
def test_formats_read_no_environment_and_write_no_file(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in FORBIDDEN_IN_EXPORTERS
        ):
            found.append(f"{node.value.id}.{node.attr} on line {node.lineno}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in WRITING_METHODS:
                found.append(f".{node.func.attr}() on line {node.lineno}")
            # self.open(...) is a zip's own entry (exporters.xlsx.stream), not a file.
            receiver = node.func.value
            is_self = isinstance(receiver, ast.Name) and receiver.id == "self"
            if node.func.attr == "open" and not is_self and _opens_for_writing(node):
                found.append(f".open(...) for writing on line {node.lineno}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "open"
            and _opens_for_writing(node)
        ):
            found.append(f"open(...) for writing on line {node.lineno}")
    assert found == []


def _opens_for_writing(call: ast.Call) -> bool:
    modes = [arg for arg in call.args if isinstance(arg, ast.Constant)]
    modes += [kw.value for kw in call.keywords if kw.arg == "mode"]
    return any(
        isinstance(mode, ast.Constant)
        and isinstance(mode.value, str)
        and set(mode.value) & set("wax+")
        for mode in modes
    )


@pytest.mark.parametrize("name", list(MODULES), ids=str)
def test_modules_stay_readable_in_one_sitting(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines < MAX_LINES
