"""Where ``briefing export`` writes, as pandoc users expect: ``-o FILE`` for one document,
``-o -`` to standard output, ``-`` as the input from standard input, ``-o DIR/`` as before;
and every output location that cannot be used is one line, exit 1, nothing created."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from briefing.cli import cli
from tests import readback
from tests.conftest import ROOT, SEED_JSON

TITLE = "Summoning Ghosts"


def export(*args: str, stdin: bytes | None = None) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, ["export", *args], input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


def briefing(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=ROOT,
        timeout=120,
        check=False,
        **streams,  # type: ignore[arg-type]
    )


def tree(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


def manifest_files(folder: Path) -> list[str]:
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [entry["file"] for entry in data["files"]]


# --- -o FILE ---------------------------------------------------------------------------


def test_o_file_writes_that_one_document(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "karpathy.pdf"
    code, stdout, stderr = export(str(SEED_JSON), "-f", "pdf", "-o", str(target))
    assert (code, stderr) == (0, "")
    assert stdout.decode() == f"Wrote {target} for 1 episode.\n"
    assert tree(tmp_path / "reports") == ["karpathy.pdf", "manifest.json"]
    text = readback.pdf_text(target.read_bytes())
    assert TITLE in text
    assert manifest_files(tmp_path / "reports") == ["karpathy.pdf"]


def test_o_file_with_combine_is_the_one_workbook(tmp_path: Path) -> None:
    target = tmp_path / "library.xlsx"
    code, _, stderr = export(str(SEED_JSON), "-f", "xlsx", "--combine", "-o", str(target))
    assert (code, stderr) == (0, "")
    workbook = load_workbook(target, read_only=True)
    assert "Predictions" in workbook.sheetnames


def test_o_file_overwrites_the_file_it_names(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old\n", encoding="utf-8")
    code, _, _ = export(str(SEED_JSON), "-f", "md", "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith(f"# Dwarkesh + Andrej Karpathy: {TITLE}")


@pytest.mark.parametrize(
    ("args", "name", "message"),
    [
        (
            ("-f", "pdf"),
            "report.docx",
            "-o {target}: the pdf format writes .pdf files; name the file {stem}.pdf",
        ),
        (
            ("-f", "pdf", "-f", "md"),
            "report.pdf",
            "-o {target} names one file, but this run makes 2 documents "
            "(1 episode in 2 formats); name a folder ({target}/) to write them all",
        ),
        (("-f", "md"), "manifest.json", "-o {target}: that name is the folder's manifest"),
    ],
    ids=["suffix-not-the-formats", "two-documents", "the-manifest"],
)
def test_o_file_that_does_not_fit_the_run_is_a_usage_error(
    tmp_path: Path, args: tuple[str, ...], name: str, message: str
) -> None:
    target = tmp_path / "new" / name
    code, stdout, stderr = export(str(SEED_JSON), *args, "-o", str(target))
    assert code == 2
    expected = message.format(target=target, stem=target.with_suffix(""))
    assert stderr.startswith(f"briefing: {expected}")
    assert stderr.count("\n") == 1 and stdout == b""
    assert tree(tmp_path) == []


def test_o_folder_with_a_trailing_slash_or_existing_is_a_folder(tmp_path: Path) -> None:
    dotted = f"{tmp_path / 'reports.v2'}/"
    code, stdout, _ = export(str(SEED_JSON), "-f", "md", "-o", dotted)
    assert code == 0
    assert stdout.decode() == f"Wrote 1 file into {dotted}/ for 1 episode.\n".replace("//", "/")
    assert tree(tmp_path / "reports.v2") == ["manifest.json", "summoning-ghosts.md"]
    (tmp_path / "looks-like.pdf").mkdir()
    code, _, _ = export(str(SEED_JSON), "-f", "pdf", "-o", str(tmp_path / "looks-like.pdf"))
    assert code == 0
    assert tree(tmp_path / "looks-like.pdf") == ["manifest.json", "summoning-ghosts.pdf"]


# --- -o - and - ------------------------------------------------------------------------


def test_o_dash_writes_the_document_to_stdout_and_nothing_to_disk(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    assert export(str(SEED_JSON), "-f", "md", "-o", str(reference))[0] == 0
    os.chdir(tmp_path)
    try:
        code, stdout, stderr = export(str(SEED_JSON), "-f", "md", "-o", "-")
    finally:
        os.chdir(ROOT)
    assert code == 0, stderr
    assert stdout == (reference / "summoning-ghosts.md").read_bytes()
    assert stderr == "Wrote md to standard output for 1 episode.\n"
    assert tree(tmp_path) == [
        "reference",
        "reference/manifest.json",
        "reference/summoning-ghosts.md",
    ]


def test_o_dash_pipes_a_binary_document(tmp_path: Path) -> None:
    done = briefing("export", str(SEED_JSON), "-f", "docx", "-o", "-", "-q")
    assert (done.returncode, done.stderr) == (0, b"")
    document = Document(io.BytesIO(done.stdout))
    assert TITLE in document.core_properties.title
    combined = briefing("export", str(SEED_JSON), "-f", "xlsx", "--combine", "-o", "-", "-q")
    assert combined.returncode == 0
    assert "Overview" in load_workbook(io.BytesIO(combined.stdout), read_only=True).sheetnames


def test_o_dash_refuses_a_binary_document_on_a_terminal() -> None:
    controller, terminal = os.openpty()
    try:
        done = briefing("export", str(SEED_JSON), "-f", "pdf", "-o", "-", stdout=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "briefing: -o -: a pdf document is binary and standard output is a terminal; "
        "redirect it (> file.pdf) or pipe it into a program\n"
    )


def test_o_dash_needs_exactly_one_document() -> None:
    code, stdout, stderr = export(str(SEED_JSON), "-f", "md", "-f", "html", "-o", "-")
    assert (code, stdout) == (2, b"")
    assert stderr.startswith("briefing: -o - writes one document to standard output; this run")


def test_dash_reads_one_episode_from_stdin(tmp_path: Path) -> None:
    code, _, stderr = export("-", "-f", "md", "-o", str(tmp_path), stdin=SEED_JSON.read_bytes())
    assert (code, stderr) == (0, "")
    from_file = tmp_path / "from-file"
    export(str(SEED_JSON), "-f", "md", "-o", str(from_file))
    written = tmp_path / "summoning-ghosts.md"
    assert written.read_bytes() == (from_file / "summoning-ghosts.md").read_bytes()


def test_a_bad_episode_on_stdin_is_named_dash(tmp_path: Path) -> None:
    code, _, stderr = export("-", "-f", "md", "-o", str(tmp_path / "o"), stdin=b'{"id": 1}')
    assert code == 1
    lines = stderr.splitlines()
    assert lines[0] == "-:schema_version: required field is missing; this version reads 1"
    assert all(line.startswith("-:") for line in lines[:-1]), lines
    assert not (tmp_path / "o").exists()


def test_stdin_to_stdout_through_a_real_pipe() -> None:
    done = briefing("export", "-", "-f", "pdf", "-o", "-", "-q", input=SEED_JSON.read_bytes())
    assert (done.returncode, done.stderr) == (0, b"")
    assert TITLE in PdfReader(io.BytesIO(done.stdout)).metadata.title


# --- output locations that cannot be used (issue 12, point 1) -----------------------------


def _existing_file(tmp_path: Path) -> str:
    (tmp_path / "taken.md").write_text("mine\n", encoding="utf-8")
    return str(tmp_path / "taken.md")


def _under_a_file(tmp_path: Path) -> str:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    return str(tmp_path / "notes.txt" / "deeper" / "out")


def _dangling_link(tmp_path: Path) -> str:
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    return str(tmp_path / "gone")


def _dangling_link_with_suffix(tmp_path: Path) -> str:
    (tmp_path / "brief.md").symlink_to(tmp_path / "nowhere" / "brief.md")
    return str(tmp_path / "brief.md")


def _under_proc(tmp_path: Path) -> str:
    return "/proc/briefing-out/reports"


def _a_device(tmp_path: Path) -> str:
    return "/dev/null"


@pytest.mark.parametrize(
    ("make", "formats", "reason"),
    [
        (
            _existing_file,
            ("-f", "md", "-f", "html"),
            "is a file, not a folder, and this run makes 2",
        ),
        (_under_a_file, ("-f", "md"), "cannot create the folder: {tmp}/notes.txt is a file"),
        (_dangling_link, ("-f", "md"), "a symbolic link to {tmp}/nowhere, which does not exist"),
        (_dangling_link_with_suffix, ("-f", "md"), "a symbolic link to {tmp}/nowhere/brief.md"),
        (_under_proc, ("-f", "md"), "the file system of /proc makes no folders"),
        (_a_device, ("-f", "md"), "not a regular file or a folder (for standard output, -o -)"),
    ],
    ids=[
        "existing-file",
        "under-a-file",
        "dangling-link",
        "dangling-link-to-a-file",
        "proc",
        "device",
    ],
)
def test_an_output_that_cannot_be_used_is_one_line_and_nothing_created(
    tmp_path: Path, make: object, formats: tuple[str, ...], reason: str
) -> None:
    output = make(tmp_path)  # type: ignore[operator]
    before = tree(tmp_path)
    done = briefing("export", str(SEED_JSON), *formats, "-o", output)
    assert done.returncode == 1
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith(f"briefing: {output}: ")
    assert reason.format(tmp=tmp_path) in line
    assert done.stdout == b""
    assert tree(tmp_path) == before


def _unshare_works() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    return subprocess.run([unshare, "-m", "-r", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="no mount namespace for a read-only file system")
def test_a_folder_on_a_read_only_file_system(tmp_path: Path) -> None:
    """A real read-only mount (a tmpfs mounted ro in a mount namespace of the test's own)."""
    mount = tmp_path / "ro"
    mount.mkdir()
    script = (
        f"mount -t tmpfs -o ro none {mount} && "
        f"{sys.executable} -m briefing export {SEED_JSON} -f md -o {mount}/reports; "
        f"echo rc=$?; ls -A {mount}"
    )
    done = subprocess.run(
        ["unshare", "-m", "-r", "sh", "-c", script], capture_output=True, cwd=ROOT, timeout=120
    )
    assert done.stdout.decode() == "rc=1\n"
    assert done.stderr.decode() == (
        f"briefing: {mount}/reports: cannot create a folder in {mount}: a read-only file system\n"
    )


def test_reference_doc_flag_builds_the_report_on_it(tmp_path: Path) -> None:
    reference = Document()
    reference.styles["Heading 1"].font.name = "Courier New"
    reference.sections[0].header.paragraphs[0].text = "ACME Confidential"
    reference.save(tmp_path / "corporate.docx")
    args = (str(SEED_JSON), "-f", "docx", "--reference-doc", str(tmp_path / "corporate.docx"))
    code, _, stderr = export(*args, "-o", str(tmp_path / "report.docx"))
    assert (code, stderr) == (0, "")
    report = Document(tmp_path / "report.docx")
    assert report.styles["Heading 1"].font.name == "Courier New"
    assert report.sections[0].header.paragraphs[0].text == "ACME Confidential"
    assert TITLE in readback.docx_text((tmp_path / "report.docx").read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "pdf", "--reference-doc", "{tmp}/corporate.docx"), "--reference-doc is for the"),
        (("-f", "docx", "--reference-doc", "{tmp}/missing.docx"), "--reference-doc: {tmp}/missing"),
        (("-f", "docx", "--reference-doc", "{tmp}/not.docx"), "not a Word document (.docx)"),
    ],
    ids=["no-docx-in-the-run", "missing", "not-a-word-document"],
)
def test_reference_doc_that_cannot_be_used_is_a_usage_error(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    Document().save(tmp_path / "corporate.docx")
    (tmp_path / "not.docx").write_bytes(b"plain text")
    out = tmp_path / "out"
    filled = [arg.format(tmp=tmp_path) for arg in args]
    code, _, stderr = export(str(SEED_JSON), *filled, "-o", str(out))
    assert code == 2
    assert stderr.startswith("briefing: ") and message.format(tmp=tmp_path) in stderr
    assert stderr.count("\n") == 1
    assert not out.exists()


def test_validate_reads_dash_from_stdin() -> None:
    good = CliRunner().invoke(cli, ["validate", "-"], input=SEED_JSON.read_bytes())
    assert (good.exit_code, good.stdout) == (0, "1 of 1 valid.\n")
    bad = CliRunner().invoke(cli, ["validate", "-", str(SEED_JSON)], input=b'{"schema_version": 1}')
    assert bad.exit_code == 1
    lines = bad.stderr.splitlines()
    assert lines[0] == "-:id: required field is missing"
    assert lines[-1] == "1 of 2 valid."


def test_without_f_the_suffix_of_o_picks_the_format(tmp_path: Path) -> None:
    """As with pandoc: ``-o report.pdf`` alone is ``-f pdf -o report.pdf``; a project
    file's formats or an -f on the command line still win (and must then match)."""
    code, _, stderr = export(str(SEED_JSON), "-o", str(tmp_path / "report.pdf"))
    assert (code, stderr) == (0, "")
    assert PdfReader(tmp_path / "report.pdf").metadata.title.endswith(TITLE)
    code, _, _ = export(str(SEED_JSON), "--combine", "-o", str(tmp_path / "library.xlsx"))
    assert code == 0
    assert load_workbook(tmp_path / "library.xlsx", read_only=True).sheetnames[0] == "Overview"
    code, _, stderr = export(str(SEED_JSON), "-f", "md", "-o", str(tmp_path / "other.pdf"))
    assert code == 2 and "the md format writes .md files" in stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "library.xlsx",
        "manifest.json",
        "report.pdf",
    ]


def test_example_and_ingest_write_to_stdout_with_o_dash(tmp_path: Path) -> None:
    """``briefing example -o - | briefing export - -f md -o -``: the bundled episode,
    through two pipes, is the Markdown of the file."""
    shown = CliRunner().invoke(cli, ["example", "-o", "-"])
    assert shown.exit_code == 0 and shown.stdout_bytes == SEED_JSON.read_bytes()
    code, markdown, _ = export("-", "-f", "md", "-o", "-", "-q", stdin=shown.stdout_bytes)
    assert code == 0 and markdown.startswith(b"# Dwarkesh + Andrej Karpathy")
    page = ROOT / "tests" / "fixtures" / "summoning-ghosts.txt"
    ingested = CliRunner().invoke(cli, ["ingest", str(page), "-o", "-"])
    assert ingested.exit_code == 0
    assert json.loads(ingested.stdout)["id"] == "summoning-ghosts"
    assert tree(tmp_path) == []


@pytest.mark.parametrize("command", ["example", "ingest"])
def test_example_and_ingest_under_a_file_are_one_line(tmp_path: Path, command: str) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    target = tmp_path / "notes.txt" / "deeper" / "episode.json"
    page = ROOT / "tests" / "fixtures" / "summoning-ghosts.txt"
    args = (
        ["example", "-o", str(target)]
        if command == "example"
        else ["ingest", str(page), "-o", str(target)]
    )
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == (
        f"briefing: {target.parent}: cannot create the folder: {tmp_path / 'notes.txt'} is a file\n"
    )
    assert tree(tmp_path) == ["notes.txt"]
