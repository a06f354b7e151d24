"""A click Group that imports a subcommand's module only when that subcommand is run or asked for help."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, NamedTuple

import click


class Lazy(NamedTuple):
    """Where a subcommand lives ("package.module:attribute") and its one-line help for the group's list."""

    import_path: str
    short_help: str


class LazyGroup(click.Group):
    """click's LazyGroup pattern, with each subcommand's short help kept beside its import path.

    `otagai --help` lists every subcommand from these lines without importing any of them (the LINE SDK,
    scikit-learn and the rest take seconds); a test checks that they match the commands' own help.
    """

    def __init__(self, *args: Any, lazy_subcommands: Mapping[str, Lazy] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_subcommands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_subcommands:
            return self.load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def load(self, cmd_name: str) -> click.Command:
        """Import the subcommand's module and return the command (its name must be the one listed)."""
        module_name, attribute = self.lazy_subcommands[cmd_name].import_path.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command) or command.name != cmd_name:
            raise ValueError(f"{module_name}:{attribute} is not the click command {cmd_name!r}")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The Commands section as click writes it, lazy subcommands' short help taken from the table."""
        shown = [
            (name, command) for name in self.list_commands(ctx) if (command := self._for_help(ctx, name))
        ]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        with formatter.section("Commands"):
            formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in shown])

    def _for_help(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_subcommands:
            # A stand-in with the same help shortens it to the terminal's width as the real command would.
            return click.Command(name, help=self.lazy_subcommands[name].short_help)
        command = super().get_command(ctx, name)
        return None if command is None or command.hidden else command
