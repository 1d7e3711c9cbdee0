"""A plugin is contained: whatever its ``render`` does, its document for that episode fails
with one line naming the format and the episode, every other document is written and
listed, and the exit code is 1.

Each case runs a real ``briefing export`` with the formats of ``tests/system/fault_plugins``
beside the built-in Markdown, in this process (``-j 1``) and in worker processes (``-j 2``),
where a result must also survive the trip back through a pipe.
"""

from __future__ import annotations

import pytest

from tests.system.runs import (
    SAME_NAME_PLUGIN,
    SHADOWING_PLUGIN,
    assert_manifest_tells_the_truth,
    fault_env,
    run_briefing,
    temp_files,
    write_batch,
)

PRINTED = len(b"debugging output a plugin forgot\n") + len(b"and some written straight to fd 1\n")

CASES = {
    # format: (suffix, what the line says after "<format> export failed: ")
    "returns-str": ("str", "render() returned str, not bytes"),
    "returns-none": ("none", "render() returned NoneType, not bytes"),
    "returns-list": ("list", "render() returned list, not bytes"),
    # episode-2 gets a generator; the others bytes that carry a lambda, which no pipe can.
    "returns-unpicklable": ("unpick", "render() returned generator, not bytes"),
    "raises-exit": ("exit", "SystemExit: 3"),
    "prints": (
        "said",
        f"it printed {PRINTED} bytes to standard output, which carries briefing's own output",
    ),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("name", list(CASES))
def test_a_misbehaving_format_fails_one_document_and_nothing_else(
    tmp_path, name: str, jobs: str
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    sources = write_batch(inputs, 3)
    suffix, why = CASES[name]

    done = run_briefing("export", "-f", name, "-f", "md", "-j", jobs, "-o", str(out), str(inputs))

    assert done.returncode == 1, done.stderr
    assert done.stdout == ""  # nothing the plugin printed reaches briefing's own output
    assert done.stderr.splitlines() == [
        f"{sources[1]}: {name} export failed: {why}",
        f"Wrote 5 files into {out}/ for 2 episodes; 1 failed.",
    ]
    written = {path.name for path in out.iterdir()} - {"manifest.json"}
    assert written == {
        "episode-1.md",
        f"episode-1.{suffix}",
        "episode-2.md",
        "episode-3.md",
        f"episode-3.{suffix}",
    }
    assert (out / f"episode-3.{suffix}").read_text(encoding="utf-8") == "Episode 3\n"
    assert temp_files(out) == []
    assert_manifest_tells_the_truth(out)


def test_two_formats_claiming_one_suffix_are_both_refused_by_name(tmp_path) -> None:
    """A plugin whose format also writes ``.pdf`` files, asked for beside the built-in PDF:
    neither is written (either would overwrite the other's files), one line names both and
    where each comes from, the other formats are written, exit 1."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_batch(inputs, 2)

    done = run_briefing(
        *("export", "-f", "pdf", "-f", "shadow-pdf", "-f", "md", "-j", "1"),
        *("-o", str(out), str(inputs)),
        env=fault_env(SHADOWING_PLUGIN),
    )

    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("briefing: formats 'pdf' (episode-briefing "), lines
    assert lines[0].endswith(
        "and 'shadow-pdf' (briefing-shadow 0.1) both write .pdf files; neither is written"
    )
    assert lines[1:] == [f"Wrote 2 files into {out}/ for 2 episodes."]
    assert sorted(path.name for path in out.iterdir()) == [
        "episode-1.md",
        "episode-2.md",
        "manifest.json",
    ]
    assert_manifest_tells_the_truth(out)


def test_a_plugin_registering_a_built_in_name_is_refused_naming_both(tmp_path) -> None:
    """A distribution that registers its own format as ``pdf`` (its name sorts first, so it
    would win silently): asking for ``pdf`` is a usage error naming both registrations, and
    nothing is written."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_batch(inputs, 1)

    done = run_briefing(
        "export", "-f", "pdf", "-o", str(out), str(inputs), env=fault_env(SAME_NAME_PLUGIN)
    )

    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    last = done.stderr.splitlines()[-1]
    assert "format 'pdf' is registered by aardvark-pdf 0.1 (shadow_by_name:ShadowPdfByName)" in last
    assert "and episode-briefing " in last and "(exporters.pdf:PdfExporter)" in last
    assert not out.exists()
