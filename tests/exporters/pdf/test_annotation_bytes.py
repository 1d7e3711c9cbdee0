"""Links written to their bytes (``exporters.pdf.structure_tree.AnnotationObject``) are
the bytes reportlab formats them to, and links it cannot write go through reportlab."""

from __future__ import annotations

import pytest

from briefing.labels import labels_for
from briefing.model import Episode
from briefing.pipeline import default_context
from exporters.pdf import structure_tree
from exporters.pdf.document import render_pdf
from styles import Theme


def _render(episode: Episode, theme: Theme) -> bytes:
    return render_pdf(episode, theme, labels_for(episode.language), default_context(episode))


@pytest.mark.parametrize("theme_name", ["default_theme", "print_theme"])
def test_links_are_reportlabs_bytes(
    seed_episode: Episode, theme_name: str, request: pytest.FixtureRequest, monkeypatch
) -> None:
    theme = request.getfixturevalue(theme_name)
    # With a watch link, each time links to its moment: a URL, which reportlab writes.
    data = seed_episode.model_dump(mode="json", exclude_none=True)
    episode = Episode.model_validate({**data, "watch_url": "https://www.youtube.com/watch?v=abc"})
    written: list[bool] = []
    writable = structure_tree._writable

    def counting(annotation: object, document: object) -> bool:
        written.append(writable(annotation, document))  # type: ignore[arg-type]
        return written[-1]

    monkeypatch.setattr(structure_tree, "_writable", counting)
    ours = _render(episode, theme)
    monkeypatch.setattr(structure_tree, "_writable", lambda annotation, document: False)
    assert ours == _render(episode, theme)
    # The links within the document are written; the watch links (URLs) are not.
    assert written.count(True) >= 20 and written.count(False) >= 1
