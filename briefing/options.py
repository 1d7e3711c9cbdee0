"""The click parameter types of ``briefing export``: formats from the registry, themes
from ``styles/``. Each is looked up only when the option is used or completed, so
``briefing --help`` imports nothing but click."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from briefing.formats import Registry


def registry() -> Registry:
    from briefing.pipeline import default_registry

    return default_registry()


class FormatChoice(click.ParamType):
    """A registered format name, or ``all``; looked up only when the option is used."""

    name = "format"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join([*registry().names(), "all"]) + "]"

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        names = [*registry().names(), "all"]
        return [CompletionItem(name) for name in names if name.startswith(incomplete)]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from briefing.formats import FormatError

        if value == "all":
            return value
        try:
            registry().entry(value)
        except FormatError as error:
            self.fail(str(error), param, ctx)
        return str(value)


class StyleChoice(click.ParamType):
    """A built-in theme name or a path to a theme file, loaded and validated once."""

    name = "style"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        from styles import available_themes

        return "[" + "|".join(available_themes()) + "|FILE]"

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        """Built-in theme names, and theme files by path."""
        from click.shell_completion import CompletionItem

        from styles import available_themes

        names = [CompletionItem(name) for name in available_themes() if name.startswith(incomplete)]
        return [*names, CompletionItem(incomplete, type="file")]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from briefing.cache import user_cache
        from styles import ThemeError, load_theme

        if not isinstance(value, str):
            return value
        try:
            return load_theme(value, user_cache())
        except ThemeError as error:
            self.fail(str(error), param, ctx)
