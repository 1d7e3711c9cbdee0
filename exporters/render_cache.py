"""The cache of the render in progress, for the built-in formats' deep helpers.

A format's cache (``RenderContext.cache``) is needed far from ``render``: the PDF loads
its faces inside line breaking, the HTML page's templates compile inside Jinja2. So the
render holds it in a context variable for its duration (``using_cache``) rather than
passing it through every function on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from briefing.formats import Cache, NoCache

_current: ContextVar[Cache] = ContextVar("render_cache", default=NoCache())  # noqa: B039


@contextmanager
def using_cache(cache: Cache) -> Iterator[None]:
    """Inside, ``current_cache()`` is ``cache``."""
    token = _current.set(cache)
    try:
        yield
    finally:
        _current.reset(token)


def current_cache() -> Cache:
    """The cache of the render in progress; one that keeps nothing outside a render."""
    return _current.get()
