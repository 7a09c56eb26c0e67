"""The ``aixcl-lint`` command line.

``main`` hands the command line to click's command group, which imports a command's
module when that command is asked for (``cli.group.COMMANDS``).
"""

from __future__ import annotations

import os
import sys

from aixcl_lint.cli.base import EXIT_ERROR, EXIT_OK, echo

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of raising SystemExit."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        return _click(args)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int | None) else EXIT_ERROR
    except Exception as exc:  # a bug: say so in one line, never a traceback
        if os.environ.get("AIXCL_LINT_DEBUG"):
            raise
        from aixcl_lint.core import visible

        echo(
            f"aixcl-lint: internal error: {type(exc).__name__}: {visible(str(exc))} "
            "(set AIXCL_LINT_DEBUG=1 for a traceback)",
            err=True,
        )
        return EXIT_ERROR


def _click(args: list[str]) -> int:
    """The command line as click reads it."""
    import click

    from aixcl_lint.cli.group import cli

    try:
        cli.main(args=args, prog_name="aixcl-lint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()  # no command at all: the help, listing the commands
        return EXIT_ERROR
    except click.UsageError as exc:
        # One line, as every other error of the tool: the reason, and where help is.
        where = exc.ctx.command_path if exc.ctx is not None else "aixcl-lint"
        reason = " ".join(exc.format_message().split()).removesuffix(".")
        echo(f"aixcl-lint: error: {reason}; see '{where} --help'", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.Abort:
        echo("Aborted.", err=True)
        return EXIT_ERROR
    return EXIT_OK
