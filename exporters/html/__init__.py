"""HTML briefing: one self-contained, inert page per episode, and the email about it.

The page holds everything of the PDF briefing in the same order (masthead, at a
glance, takeaways, the timeline as inline SVG, then every section of
``briefing.sections``), each timed item with its time and segment. It is made from
Jinja2 templates with autoescaping (``templates/``; a theme's ``[html] templates``
folder overrides them block by block), styled by CSS generated from the theme,
and carries no script and asks for nothing over the network: a Content-Security-
Policy meta forbids scripts, fonts are named (never fetched), East Asian
characters come with a subset of the CJK face embedded in the page
(``exporters.html.fonts``), and the only links are the table of contents and the
watch link.

``render_mail`` writes the body of an email (``exporters.html.mail``) for the
distribution code. Jinja2 and css-inline are imported only when rendering.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from briefing.formats import MailBody, RenderContext
    from briefing.labels import Labels
    from briefing.model import Episode
    from styles import Theme


class HtmlExporter:
    name: ClassVar[str] = "html"
    suffix: ClassVar[str] = "html"
    media_type: ClassVar[str] = "text/html; charset=utf-8"
    description: ClassVar[str] = "HTML briefing (one self-contained page; email bodies)"

    def render(
        self, episode: Episode, theme: Theme, labels: Labels, context: RenderContext
    ) -> bytes:
        from briefing.sections import present_sections
        from briefing.timeline import has_timeline
        from exporters.html.environment import render_template
        from exporters.html.fonts import with_cjk_face
        from exporters.html.palette import look
        from exporters.html.timeline import timeline
        from exporters.render_cache import using_cache

        with using_cache(context.cache):
            page = render_template(
                theme.html.templates,
                "page.html.j2",
                episode=episode,
                labels=labels,
                sections=present_sections(episode),
                timeline=timeline(episode, labels) if has_timeline(episode) else None,
                look=look(theme),
                date=context.date.date().isoformat(),
                generator=context.generator,
            )
        # The page as rendered says which East Asian characters it shows (episode text,
        # labels, language names, a theme's own templates alike): with any, it gets the
        # CJK face cut to them.
        page = with_cjk_face(page, context.cache)
        return page.encode("utf-8")

    def render_mail(
        self,
        episodes: Sequence[Episode],
        theme: Theme,
        labels: Labels,
        context: RenderContext,
    ) -> MailBody:
        """One episode's briefing, or a digest of several (takeaways, predictions and
        claims of each), as an HTML body with inlined CSS and its plain-text twin."""
        from exporters.html.mail import render_mail
        from exporters.render_cache import using_cache

        with using_cache(context.cache):
            return render_mail(episodes, theme, labels, context)
