"""A minimal mail-capable format for the distribution tests: HTML and text bodies that
carry each episode's title, takeaways, predictions and claims, escaped as HTML must be."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, ClassVar

from briefing.formats import MailBody


class MailTestExporter:
    name: ClassVar[str] = "mailtest"
    suffix: ClassVar[str] = "mtxt"
    media_type: ClassVar[str] = "text/plain; charset=utf-8"
    description: ClassVar[str] = "Mail bodies (distribution test plugin)"

    def render(self, episode: Any, theme: Any, labels: Any, context: Any) -> bytes:
        return ("\n".join(_lines(episode)) + "\n").encode("utf-8")

    def render_mail(
        self, episodes: Sequence[Any], theme: Any, labels: Any, context: Any
    ) -> MailBody:
        text = "\n\n".join("\n".join(_lines(episode)) for episode in episodes) + "\n"
        parts = [
            "<h1>"
            + html.escape(episode.title)
            + "</h1><ul>"
            + "".join("<li>" + html.escape(line) + "</li>" for line in _lines(episode)[1:])
            + "</ul>"
            for episode in episodes
        ]
        return MailBody(f"<!DOCTYPE html><html><body>{''.join(parts)}</body></html>", text)


def _lines(episode: Any) -> list[str]:
    return [
        episode.title,
        *episode.takeaways,
        *(prediction.statement for prediction in episode.predictions),
        *(claim.claim for claim in episode.claims),
    ]
