"""The Jinja2 environment of the HTML briefing: its templates, filters and escaping.

Templates are the package's own (``templates/``), or a theme's folder first
(``[html] templates = "folder"``): a file there of the same name replaces the
built-in one, and can extend it as ``builtin/<name>`` to change only some blocks.

Every template ending in ``.html.j2`` autoescapes, so episode text is always text.
Line breaks between tags in an HTML template are layout only: they are dropped when
the template is loaded (never from what a template prints), so the page can keep
line breaks inside episode text with ``white-space: pre-wrap`` and show nothing else.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from briefing.formats import FormatError
from briefing.labels import language_name
from briefing.values import format_timestamp
from exporters.render_cache import current_cache

TEMPLATES = Path(__file__).resolve().parent / "templates"
_LAYOUT_BREAK = re.compile(r"(?<=[>}])[ \t]*\n\s*(?=<|\{[{%#])")
"""A line break (with its indentation) after a tag or a block statement and before the
next one: the template's own layout."""


class _CompactLoader(jinja2.BaseLoader):
    """A loader whose HTML templates lose the line breaks between their tags."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        if template.endswith(".html.j2"):
            source = _LAYOUT_BREAK.sub("", source)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in the pipeline's cache (``RenderContext.cache``): compiling
    the page's templates is most of a first render in a new process, which is what one
    ``briefing export`` is. Jinja2 checks each entry against the template's source and the
    Python version it was compiled by; our key adds Jinja2's version, which changes the
    code it generates."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = current_cache().get(self._key(bucket))
        if data is not None:
            # Jinja2 drops an entry of another source or Python, or one cut short.
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        current_cache().put(self._key(bucket), bucket.bytecode_to_string())

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> str:
        return f"html-templates/jinja2-{jinja2.__version__}-{bucket.key}"


_LONG_WORD = re.compile(r"\S{21,}")
"""More than 20 characters with no space: longer than nearly every word of a language (a
URL, an identifier, a run of letters), too long to set a table column's least width."""


def has_long_word(text: object) -> bool:
    """Whether ``text`` holds a word longer than ``_LONG_WORD`` allows (None: no text)."""
    return isinstance(text, str) and _LONG_WORD.search(text) is not None


def iso_duration(seconds: int) -> str:
    """``PT1H5M43S``: a ``<time datetime>`` for a moment in the episode."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


def _autoescape(name: str | None) -> bool:
    return name is None or not name.endswith((".txt.j2", ".css.j2"))


@functools.cache
def environment(override: str | None) -> jinja2.Environment:
    """One environment per template folder, kept for the process: templates compile once."""
    builtin = jinja2.FileSystemLoader(str(TEMPLATES))
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(override))
    loaders += [builtin, jinja2.PrefixLoader({"builtin": builtin})]
    env = jinja2.Environment(
        loader=_CompactLoader(jinja2.ChoiceLoader(loaders)),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_CompiledTemplates(),
    )
    env.filters["timestamp"] = format_timestamp
    env.filters["iso_duration"] = iso_duration
    env.filters["language_name"] = language_name
    env.filters["number"] = lambda value: f"{value:g}"
    env.tests["long_word"] = has_long_word
    return env


def render_template(override: str | None, name: str, **values: Any) -> str:
    """A template rendered; a broken override template is a format error naming its line."""
    try:
        return environment(override).get_template(name).render(**values)
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise FormatError(f"html template {where}: {error.message}") from None
    except jinja2.TemplateError as error:
        raise FormatError(f"html template {name}: {error}") from None
