"""The command group and the click types the commands share (importing click)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from aixcl_lint import __version__

COMMANDS = {
    "check": "aixcl_lint.cli.check_command",
    "explain": "aixcl_lint.cli.explain",
    "init": "aixcl_lint.cli.info",
    "rules": "aixcl_lint.cli.info",
    "schema": "aixcl_lint.cli.info",
    "test": "aixcl_lint.cli.testing",
}
"""Each command's name and the module that declares it (with ``@cli.command``)."""


class Group(click.Group):
    """A group that imports a command's module only when that command is asked for
    (click's documented pattern for lazily loaded subcommands): ``check`` imports
    neither ``explain``, ``rules`` nor ``test``. ``--help`` lists them all, by name, as
    click lists commands."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, in click's order (sorted)."""
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, its module imported first (which adds it to the group); for an
        unknown name, every module, so that click's "did you mean" weighs them all."""
        if cmd_name not in self.commands:
            for module in [COMMANDS[cmd_name]] if cmd_name in COMMANDS else COMMANDS.values():
                importlib.import_module(module)
        return super().get_command(ctx, cmd_name)


class Choice(click.Choice):  # type: ignore[type-arg]
    """A click choice whose error suggests the closest value (``jsn``: did you mean json?)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The choice, or a usage error naming the closest one."""
        from aixcl_lint.core import did_you_mean

        if isinstance(value, str) and value not in self.choices:
            choices = ", ".join(map(str, self.choices))
            hint = did_you_mean(value, map(str, self.choices))
            self.fail(f"{value!r} is not one of {choices}{hint}.", param, ctx)
        return super().convert(value, param, ctx)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aixcl-lint")
def cli() -> None:
    """Policy-as-code linter for Docker Compose projects and their documents."""


policy_option = click.option(
    "--policy",
    "policies",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Policy file or pack folder to use besides the built-in pack (repeatable).",
)
"""``--policy``, the same for every command that loads policies."""
