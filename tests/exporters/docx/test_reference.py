"""The Word report on a team's own reference document (pandoc's --reference-doc): its
styles, page setup, header and footer, with every style the report needs still there."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from pypdf import PdfReader

from briefing.labels import Labels
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.docx import DocxExporter
from exporters.docx.template import CLAIM, EVIDENCE, ITEM_META, TABLE_STYLE, TABLE_TEXT
from styles import Theme, ThemeError, load_theme
from tests import readback
from tests.episodes import expected_texts

CORPORATE_FONT = "Courier New"
CORPORATE_RED = RGBColor(0xAA, 0x11, 0x22)
OUR_STYLES = (TABLE_STYLE, TABLE_TEXT, ITEM_META, CLAIM, EVIDENCE, "Masthead", "Hyperlink")


def _corporate_reference(path: Path, header: str | None = "ACME Confidential") -> Path:
    """A reference as a team would make it in python-docx: its own heading look, a Letter
    page with wide margins, and its own header."""
    document = Document()
    heading = document.styles["Heading 1"]
    heading.font.name = CORPORATE_FONT
    heading.font.color.rgb = CORPORATE_RED
    # python-docx leaves the template's theme font on the style, which would win over the
    # name in Word and LibreOffice: a real corporate template names its font outright.
    fonts = heading.element.rPr.rFonts
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    document.styles["Normal"].font.name = "Georgia"
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(30))
    if header is not None:
        section.header.paragraphs[0].text = header
    document.add_paragraph("This body text of the reference never reaches the report.")
    document.save(path)
    return path


def _render(episode: Episode, theme: Theme, labels: Labels) -> bytes:
    return DocxExporter().render(episode, theme, labels, default_context(episode))


def _open(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def test_the_report_takes_the_references_styles_page_and_header(
    seed_episode: Episode, default_theme: Theme, labels: Labels, tmp_path: Path
) -> None:
    theme = default_theme.with_reference_docx(_corporate_reference(tmp_path / "corp.docx"))
    data = _render(seed_episode, theme, labels)
    document = _open(data)
    heading = document.styles["Heading 1"]
    assert heading.font.name == CORPORATE_FONT
    assert heading.font.color.rgb == CORPORATE_RED
    section = document.sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (215.9, 279.4)
    assert round(section.left_margin.mm) == round(section.right_margin.mm) == 30
    assert section.header.paragraphs[0].text == "ACME Confidential"
    # The reference has no footer: the report's page numbers are there.
    footer_fields = section.footer._element.xpath(".//w:instrText/text()")
    assert any("PAGE" in field for field in footer_fields)
    names = {style.name for style in document.styles}
    assert set(OUR_STYLES) <= names
    text = readback.docx_text(data)
    assert "never reaches the report" not in text
    for where, expected in expected_texts(seed_episode):
        assert readback.squash(expected) in readback.squash(text), where


def test_without_a_header_in_the_reference_the_report_writes_its_own(
    seed_episode: Episode, default_theme: Theme, labels: Labels, tmp_path: Path
) -> None:
    reference = _corporate_reference(tmp_path / "plain.docx", header=None)
    document = _open(_render(seed_episode, default_theme.with_reference_docx(reference), labels))
    assert seed_episode.title[:40] in document.sections[0].header.paragraphs[0].text


def test_copied_list_style_keeps_its_bullets(
    seed_episode: Episode, default_theme: Theme, labels: Labels, tmp_path: Path
) -> None:
    """A reference without List Bullet gets ours, numbering definition and all."""
    source = Document()
    styles = source.styles.element
    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) == "List Bullet":
            styles.remove(style)
    path = tmp_path / "no-lists.docx"
    source.save(path)
    document = _open(_render(seed_episode, default_theme.with_reference_docx(path), labels))
    bullet = document.styles["List Bullet"]
    num_id = bullet.element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    assert num_id
    numbering = document.part.numbering_part.element
    assert numbering.xpath(f"./w:num[@w:numId='{num_id[0]}']")


def test_the_same_reference_gives_the_same_bytes(
    seed_episode: Episode, default_theme: Theme, labels: Labels, tmp_path: Path
) -> None:
    theme = default_theme.with_reference_docx(_corporate_reference(tmp_path / "corp.docx"))
    assert _render(seed_episode, theme, labels) == _render(seed_episode, theme, labels)


def test_a_theme_names_its_reference_relative_to_its_own_file(tmp_path: Path) -> None:
    folder = tmp_path / "themes"
    folder.mkdir()
    _corporate_reference(folder / "corp.docx")
    (folder / "corporate.toml").write_text(
        'extends = "default"\n[docx]\nreference = "corp.docx"\n', encoding="utf-8"
    )
    theme = load_theme(str(folder / "corporate.toml"))
    assert theme.reference_docx == (folder / "corp.docx").read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read"), (b"not a zip", "not a Word document")],
    ids=["missing", "not-a-docx"],
)
def test_a_bad_reference_is_one_line_naming_the_file_and_key(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    if content is not None:
        (tmp_path / "corp.docx").write_bytes(content)
    theme_file = tmp_path / "mine.toml"
    theme_file.write_text('[docx]\nreference = "corp.docx"\n', encoding="utf-8")
    with pytest.raises(ThemeError) as caught:
        load_theme(str(theme_file))
    line = str(caught.value)
    assert line.startswith(f"{theme_file}: docx.reference: ")
    assert message in line and "\n" not in line


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")


def _soffice(tmp_path: Path, target: str, source: Path, outdir: Path) -> Path:
    outdir.mkdir(exist_ok=True)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return outdir / f"{source.stem}.{target.split(':')[0]}"


@pytest.mark.soffice
@needs_soffice
def test_a_reference_saved_by_libreoffice_gives_a_report_libreoffice_opens(
    seed_episode: Episode, default_theme: Theme, labels: Labels, tmp_path: Path
) -> None:
    made = _corporate_reference(tmp_path / "corp.docx")
    saved = _soffice(tmp_path, "docx", made, tmp_path / "saved")
    theme = default_theme.with_reference_docx(saved)
    report = tmp_path / "report.docx"
    report.write_bytes(_render(seed_episode, theme, labels))
    document = _open(report.read_bytes())
    # LibreOffice writes "Heading 1" where python-docx looks for "heading 1": find it by name.
    (heading,) = [style for style in document.styles if style.name.casefold() == "heading 1"]
    assert heading.font.name == CORPORATE_FONT
    assert set(OUR_STYLES) <= {style.name for style in document.styles}
    pdf = _soffice(tmp_path, "pdf", report, tmp_path / "pdf")
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert "ACMEConfidential" in text
    for where, expected in expected_texts(seed_episode):
        assert re.sub(r"\s+", "", expected) in text, where
