"""Commands loaded when they run, so each `altmatch` command imports only what it uses.

Importing every command up front loaded the web app, SQLAlchemy, SciPy, Numba and matplotlib
for `altmatch --help` (issue 16: 3.2 s). The root group instead names each command by where
it lives (`module:attribute`, a command function or a Typer sub-app) with its one-line help:
the command list shows those lines without importing anything, and only the command being run
(or asked for its own `--help`) is imported.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import typer
import typer.main
from typer import _click as click  # Typer's own Click, which its groups and commands subclass
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives, and the line the command list shows for it (its own help's
    first sentence: `tests/unit/cli/test_lazy_commands.py` checks they agree)."""

    target: str  # "altmatch.cli.serve:serve_command"
    summary: str

    def load(self, name: str) -> click.Command:
        module, _, attribute = self.target.partition(":")
        found: Any = getattr(importlib.import_module(module), attribute)
        if isinstance(found, typer.Typer):
            group = typer.main.get_group(found)
            group.name = name
            return group
        single = typer.Typer()
        single.command(name)(found)
        return typer.main.get_command(single)


class LazyGroup(TyperGroup):
    """A Typer group whose `LAZY` commands are imported on first use."""

    LAZY: dict[str, LazyCommand] = {}  # noqa: RUF012 (set once, by the root)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.LAZY, *(n for n in super().list_commands(ctx) if n not in self.LAZY)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The real command once loaded; before that, a stand-in that only lists it."""
        if cmd_name in self.commands or cmd_name not in self.LAZY:
            return super().get_command(ctx, cmd_name)
        summary = self.LAZY[cmd_name].summary
        return TyperCommand(cmd_name, help=summary, short_help=summary)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and name in self.LAZY:
            command = self.load(name)
        return name, command, rest

    def load(self, name: str) -> click.Command:
        """Import command `name` and keep it."""
        if name not in self.commands:
            self.commands[name] = self.LAZY[name].load(name)
        return self.commands[name]

    def load_all(self) -> None:
        """Import every command (the docs' CLI reference walks them all)."""
        for name in self.LAZY:
            self.load(name)
