"""Email bodies: one episode's briefing, or a digest of several, as HTML and plain text.

Mail clients show much less than a browser, so the HTML body is its own template
(``mail.html.j2``): a table layout 600 px wide (Outlook lays out tables, not
boxes), CSS inlined into ``style`` attributes with css-inline (Gmail drops
``<style>``), no SVG (Gmail and Outlook do not show it, so there is no timeline;
the attachments have it) and no link but the watch link.

Gmail clips a body larger than 102 KB, so the HTML is kept under ``BUDGET`` bytes:
if the whole of it does not fit, every list is cut to the same, smaller number of
items, each cut list ending in a line that says how many more are in the
attachments, and never silently. The plain-text alternative carries exactly the same
items. A single episode's mail carries every section; a digest carries each
episode's takeaways, predictions and claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefing.formats import MailBody, RenderContext
from briefing.labels import Labels
from briefing.model import Episode
from exporters.html.environment import render_template
from exporters.html.palette import look
from styles import Theme

BUDGET = 100_000
"""Bytes of HTML body; Gmail clips at 102 KB (about 104,000 bytes), this leaves room."""
LIMITS: tuple[int | None, ...] = (None, 50, 25, 12, 8, 5, 3, 2, 1, 0)
"""Items per list, tried in turn until the body fits."""
DIGEST_SECTIONS = ("takeaways", "predictions", "claims")


@dataclass(frozen=True)
class Cut:
    """The first items of a list and how many were left out."""

    items: tuple[Any, ...]
    more: int


def cut(items: Sequence[Any], limit: int | None) -> Cut:
    if limit is None or len(items) <= limit:
        return Cut(tuple(items), 0)
    return Cut(tuple(items[:limit]), len(items) - limit)


@dataclass(frozen=True)
class MailEpisode:
    """What the mail shows of one episode: each list cut to the same limit."""

    episode: Episode
    lists: dict[str, Cut]


def _lists(episode: Episode, digest: bool, limit: int | None) -> dict[str, Cut]:
    if digest:
        return {key: cut(getattr(episode, key), limit) for key in DIGEST_SECTIONS}
    return {
        "takeaways": cut(episode.takeaways, limit),
        "segments": cut(episode.segments, limit),
        "claims": cut(episode.claims, limit),
        "predictions": cut(episode.predictions, limit),
        "facts": cut([*episode.facts, *episode.prices], limit),
        "quotes": cut(episode.quotes, limit),
        "technologies": cut(episode.technologies, limit),
        "companies": cut(episode.companies, limit),
        "topics": cut(episode.topics, limit),
    }


def _inline(html: str) -> str:
    import css_inline

    inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)
    return inliner.inline(html)


def render_mail(
    episodes: Sequence[Episode], theme: Theme, labels: Labels, context: RenderContext
) -> MailBody:
    if not episodes:
        raise ValueError("a mail needs at least one episode")
    digest = len(episodes) > 1
    html = text = ""
    for limit in LIMITS:
        shown = [MailEpisode(e, _lists(e, digest, limit)) for e in episodes]
        values = {
            "episodes": shown,
            "digest": digest,
            "labels": labels,
            "look": look(theme),
            "date": context.date.date().isoformat(),
            "generator": context.generator,
        }
        html = _inline(render_template(theme.html.templates, "mail.html.j2", **values))
        if len(html.encode("utf-8")) <= BUDGET or limit == 0:
            text = render_template(theme.html.templates, "mail.txt.j2", **values)
            break
    return MailBody(html=html, text=text)
