"""Importing a format library without the optional packages it would load for nothing.

reportlab imports pyphen when it is installed (for hyphenation, which the briefing
does not ask for) and openpyxl imports numpy (to accept numpy numbers, which episodes
never hold): 50-80 ms each, paid on every export when some other tool happened to
install them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without(*names: str) -> Iterator[None]:
    """Inside, importing any of ``names`` that is not imported yet fails as if it were not
    installed; afterwards it can be imported as usual."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # the documented way to block one
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
