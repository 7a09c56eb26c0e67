"""The command group and the click types the commands share (importing click)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from aixcl_lint import __version__


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
