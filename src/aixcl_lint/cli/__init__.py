"""The ``aixcl-lint`` command line: commands are registered by importing their modules."""

from __future__ import annotations

import os

import click

from aixcl_lint.cli import check, explain, info, testing
from aixcl_lint.cli.base import EXIT_ERROR, EXIT_OK, cli

__all__ = ["check", "cli", "explain", "info", "main", "testing"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of raising SystemExit."""
    try:
        cli.main(args=argv, prog_name="aixcl-lint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()  # no command at all: the help, listing the commands
        return EXIT_ERROR
    except click.UsageError as exc:
        # One line, as every other error of the tool: the reason, and where help is.
        where = exc.ctx.command_path if exc.ctx is not None else "aixcl-lint"
        reason = " ".join(exc.format_message().split()).removesuffix(".")
        click.echo(f"aixcl-lint: error: {reason}; see '{where} --help'", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_ERROR
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int | None) else EXIT_ERROR
    except Exception as exc:  # a bug: say so in one line, never a traceback
        if os.environ.get("AIXCL_LINT_DEBUG"):
            raise
        from aixcl_lint.core import visible

        click.echo(
            f"aixcl-lint: internal error: {type(exc).__name__}: {visible(str(exc))} "
            "(set AIXCL_LINT_DEBUG=1 for a traceback)",
            err=True,
        )
        return EXIT_ERROR
    return EXIT_OK
