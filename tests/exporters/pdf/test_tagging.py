"""The tagged PDF, read back with poppler and pikepdf: everything drawn is in a structure
element (in document order) or an artifact, MCIDs are referenced once, the element
types, the parent tree, links as OBJR, the timeline's alternative text, and the same
for the hostile corpus and generated episodes."""

from __future__ import annotations

import subprocess
from collections import Counter

import pikepdf
import pytest
from hypothesis import given, settings

from briefing.labels import labels_for
from briefing.model import Episode
from briefing.sections import present_sections
from briefing.source import load_episode
from tests.episodes import episodes, expected_texts, make_episode
from tests.exporters.pdf.reading import render
from tests.exporters.pdf.structure import Node, Tagged, no_space, read_tagged
from tests.system.adversarial.corpus import CASES_DIR, parse_expectation

STANDARD_ROLES = {
    "Document", "Sect", "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody",
    "Table", "TR", "TH", "TD", "BlockQuote", "Link", "Figure",
}  # fmt: skip


@pytest.fixture(scope="module")
def seed_pdf(seed_episode, default_theme) -> bytes:
    return render(seed_episode, default_theme)


@pytest.fixture(scope="module")
def seed_tagged(seed_pdf) -> Tagged:
    return read_tagged(seed_pdf)


def check_structure(tagged: Tagged) -> None:
    """What every briefing must be: all text marked, each MCID in the tree exactly once,
    only standard types, page furniture as artifacts, the parent tree the inverse of the tree."""
    for page in tagged.pages:
        assert page.unmarked_text == ""
        assert page.artifact_forms == 1  # "Page N of M"
    in_tree = Counter(tagged.root.marked())
    assert all(count == 1 for count in in_tree.values())
    drawn = {(number, mcid) for number, page in enumerate(tagged.pages) for mcid in page.marked}
    assert set(in_tree) == drawn
    assert tagged.roles() <= STANDARD_ROLES
    pdf = tagged.pdf
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert "/RoleMap" not in pdf.Root.StructTreeRoot
    numbers = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    parent_tree = dict(zip(numbers[::2], numbers[1::2], strict=True))
    for number, page in enumerate(pdf.pages):
        assert page.Tabs == "/S"
        elements = parent_tree[int(page.StructParents)]
        assert len(elements) == len(tagged.pages[number].marked)
        for mcid, element in enumerate(elements):
            kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
            assert any(kid == mcid or (not isinstance(kid, int) and kid.get("/MCID") == mcid)
                       for kid in kids)  # fmt: skip
    links = [
        annotation
        for page in pdf.pages
        for annotation in page.get("/Annots", [])
        if annotation.Subtype == "/Link"
    ]
    assert tagged.annotations_in_tree == len(links)
    for annotation in links:
        element = parent_tree[int(annotation.StructParent)]
        assert element.S == "/Link" and str(annotation.Contents)
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        assert any(
            not isinstance(kid, int) and kid.get("/Obj") is not None
            and kid.Obj.objgen == annotation.objgen for kid in kids
        )  # fmt: skip


def sections_of(tagged: Tagged, episode: Episode) -> dict[str, str]:
    """The tagged text of each section (its ``Sect`` element, named by its ``H2``), and
    of everything before the first section's element as ``front``."""
    labels = labels_for(episode.language)
    titles = {no_space(str(getattr(labels, key))): key for key in present_sections(episode)}
    result: dict[str, str] = {"front": ""}
    for kid in tagged.root.kids:
        assert isinstance(kid, Node)
        heading = next((node for node in kid.walk() if node.role == "H2"), None)
        key = titles.get(no_space(tagged.text_of(heading))) if heading else None
        if kid.role == "Sect" and key is not None:
            result[key] = tagged.text_of(kid)
        else:
            result["front"] += tagged.text_of(kid)
    return result


def _leading_texts(episode: Episode) -> dict[str, list[str]]:
    """The text each item of a section is known by, in the episode's order."""
    return {
        "takeaways": list(episode.takeaways),
        "segments": [segment.title for segment in episode.segments],
        "claims": [claim.claim for claim in episode.claims],
        "predictions": [prediction.statement for prediction in episode.predictions],
        "facts": [fact.statement for fact in episode.facts]
        + [price.item for price in episode.prices],
        "quotes": [quote.text for quote in episode.quotes],
        "technologies": [technology.name for technology in episode.technologies],
        "companies_and_topics": [*episode.companies, *episode.topics],
    }


def check_items_in_order(tagged: Tagged, episode: Episode) -> None:
    """Every text in its section's element (the front's in what comes before them), and
    the items of each section in the episode's order."""
    sections = sections_of(tagged, episode)
    for where, text in expected_texts(episode):
        section = where if where in sections else "front"
        assert no_space(text) in no_space(sections[section]), (where, text)
    for key, texts in _leading_texts(episode).items():
        position = 0
        for text in texts:
            position = no_space(sections[key]).find(no_space(text), position)
            assert position >= 0, (key, text)


def test_poppler_reads_a_tagged_pdf_with_the_structure(seed_episode, seed_pdf, tmp_path):
    path = tmp_path / "seed.pdf"
    path.write_bytes(seed_pdf)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    tree = subprocess.run(
        ["pdfinfo", "-struct-text", path], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in tree.splitlines()]
    assert lines[0] == "Document"
    for role in ("H1 (block)", "H2 (block)", "Table (block)", "TR", "TH:", "TD", "L (block)",
                 "LI (block)", "Lbl (block)", "LBody (block)", "BlockQuote",
                 "Link (inline)", "Figure", "H3 (block)"):  # fmt: skip
        assert role in lines, role
    assert '"Reinforcement learning is terrible.' in tree
    assert "Page 1 of" not in tree and "Made with briefing" not in tree


def test_every_seed_item_is_tagged_in_document_order(seed_episode, seed_tagged):
    check_structure(seed_tagged)
    check_items_in_order(seed_tagged, seed_episode)
    sections = sections_of(seed_tagged, seed_episode)
    assert set(present_sections(seed_episode)) <= set(sections)


def test_running_header_and_footer_are_artifacts(seed_episode, seed_tagged):
    tagged_text = seed_tagged.text_of(seed_tagged.root)
    assert "Made with briefing" not in tagged_text
    # The title is tagged once, as the H1; the running header repeats it as an artifact.
    assert tagged_text.count("Summoning Ghosts") == 1
    for page in seed_tagged.pages:
        assert "Made with briefing" in page.artifact_text
        assert "Summoning Ghosts" in page.artifact_text


def test_element_types_and_their_attributes(seed_episode, seed_tagged):
    nodes = list(seed_tagged.root.walk())
    roles = [node.role for node in nodes]
    assert roles.count("H1") == 1 and roles[0] == "Document"
    for role in STANDARD_ROLES - {"Sect"}:
        assert role in roles, role
    headings = [no_space(seed_tagged.text_of(n)) for n in nodes if n.role == "H2"]
    labels = labels_for("en")
    assert headings[:2] == [no_space(labels.at_a_glance), no_space(labels.timeline)]
    for node in nodes:
        if node.role == "TH":
            assert node.attributes["/A"].Scope == "/Column"
        if node.role == "LI":
            assert {kid.role for kid in node.kids if isinstance(kid, Node)} <= {"Lbl", "LBody"}
    (figure,) = [node for node in nodes if node.role == "Figure"]
    alt = str(figure.attributes["/Alt"])
    assert f"{len(seed_episode.segments)} segments" in alt
    assert "Claims (3): 01:48, 35:11, 01:06:00" in alt
    assert "Notable quotes (3): 00:00, 09:24, 41:35" in alt
    lang = str(seed_tagged.pdf.Root.Lang)
    assert lang == "en" and seed_tagged.pdf.Root.ViewerPreferences.DisplayDocTitle


def test_a_header_row_repeated_on_later_pages_is_an_artifact(default_theme):
    predictions = [
        {"at": "01:00", "horizon": "5 years", "statement": f"Prediction {n} " + "word " * 40}
        for n in range(250)
    ]
    episode = make_episode(duration_minutes=10, predictions=predictions)
    tagged = read_tagged(render(episode, default_theme))
    check_structure(tagged)
    # The masthead's table, then the predictions: 250 rows set as three reportlab tables.
    _masthead, table = [node for node in tagged.root.walk() if node.role == "Table"]
    rows = [kid for kid in table.kids if isinstance(kid, Node)]
    assert len(rows) == 251
    assert [kid.role for kid in rows[0].kids] == ["TH"] * 4
    assert all(kid.role == "TD" for row in rows[1:] for kid in row.kids)
    assert len(tagged.pages) > 3
    for page in tagged.pages[1:]:
        assert "Statement" in page.artifact_text


def test_other_language_episode_text_says_its_language(default_theme):
    episode = make_episode(language="de", takeaways=["Ein Satz."])
    tagged = read_tagged(render(episode, default_theme, labels_for("en")))
    check_structure(tagged)
    assert str(tagged.pdf.Root.Lang) == "en"
    paragraphs = [node for node in tagged.root.walk() if node.role == "P"]
    german = [node for node in paragraphs if tagged.text_of(node) == "Ein Satz."]
    assert german and all(str(node.attributes["/Lang"]) == "de" for node in german)


def _corpus_episodes() -> list[str]:
    names = []
    for expected in sorted(CASES_DIR.glob("*.expected")):
        source = expected.with_suffix(".json")
        if source.exists() and parse_expectation(expected.read_text()).outcome == "exported":
            names.append(source.name)
    return names


@pytest.mark.parametrize("name", _corpus_episodes())
def test_hostile_corpus_is_tagged(name, default_theme):
    episode = load_episode(CASES_DIR / name)
    check_structure(read_tagged(render(episode, default_theme)))


@settings(max_examples=15)
@given(episodes())
def test_any_valid_episode_is_tagged(episode):
    from styles import load_theme

    check_structure(read_tagged(render(episode, load_theme("default"))))


def test_a_cell_of_one_paragraph_holds_its_content(seed_tagged):
    cells = [node for node in seed_tagged.root.walk() if node.role in {"TD", "LBody"}]
    single = [cell for cell in cells if not any(isinstance(kid, Node) for kid in cell.kids)]
    # The masthead's cells (speakers, length, language) hold their text themselves.
    assert single and all(seed_tagged.text_of(cell).strip() for cell in single)
    for cell in cells:
        paragraphs = [kid for kid in cell.kids if isinstance(kid, Node) and kid.role == "P"]
        assert len(paragraphs) != 1 or paragraphs[0].attributes, "a lone P left in its cell"


def test_the_untagged_baseline_draws_the_same_text(seed_episode, seed_pdf, default_theme, tmp_path):
    """``tagged=False`` (the benchmark's measure of what tagging costs) leaves out the
    structure and nothing else."""
    from briefing.pipeline import default_context
    from exporters.pdf.document import render_pdf

    labels = labels_for(seed_episode.language)
    untagged = render_pdf(
        seed_episode, default_theme, labels, default_context(seed_episode), tagged=False
    )
    texts = []
    for name, data in (("tagged", seed_pdf), ("untagged", untagged)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True)
        assert ("Tagged:          yes" in info.stdout) is (name == "tagged")
        texts.append(subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout)  # fmt: skip
    assert texts[0] == texts[1]
    assert "StructTreeRoot" not in str(pikepdf.open(tmp_path / "untagged.pdf").Root.keys())


def test_reportlabs_multi_line_layout_formats_the_same_tree(
    seed_episode, default_theme, seed_tagged, monkeypatch, tmp_path
):
    """With reportlab's multi-line layout on, the structure elements are formatted by
    reportlab itself rather than written to their bytes when the tree is: the same tree,
    read back by poppler and pikepdf."""
    from reportlab import rl_config

    monkeypatch.setattr(rl_config, "pdfMultiLine", 1)
    data = render(seed_episode, default_theme)
    tagged = read_tagged(data)
    check_structure(tagged)
    assert list(tagged.root.marked()) == list(seed_tagged.root.marked())
    assert tagged.roles() == seed_tagged.roles()
    monkeypatch.setattr(rl_config, "pdfMultiLine", 0)
    compact = render(seed_episode, default_theme)
    assert compact != data
    texts = []
    for name, pdf in (("multi-line", data), ("compact", compact)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        texts.append(subprocess.run(["pdfinfo", "-struct-text", path], capture_output=True, text=True, check=True).stdout)  # fmt: skip
    assert texts[0] == texts[1]
