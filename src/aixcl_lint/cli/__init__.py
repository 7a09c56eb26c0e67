"""The ``aixcl-lint`` command line.

``main`` hands the command line to click's command group, which imports a command's
module when that command is asked for (``cli.group.COMMANDS``). ``console`` is the
``aixcl-lint`` script (and ``python -m aixcl_lint``): ``main``, then the process's end.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

from aixcl_lint.cli.base import EXIT_ERROR, EXIT_OK, echo

__all__ = ["console", "main"]


def console() -> NoReturn:
    """The console script: exits with ``main``'s code, skipping the interpreter's
    teardown when nothing is left for it to do (``quick_exit_safe``)."""
    code = main()
    if quick_exit_safe():
        os._exit(code)
    sys.exit(code)


def quick_exit_safe() -> bool:
    """Whether the process may end at once (``os._exit``): its output flushed, no
    ``atexit`` handler (multiprocessing, logging, temporary folders and coverage register
    one), no other thread. The teardown left out frees every object one by one: about
    34 million instructions of a 600 million tiny cold run (issue 14, "Start-up")."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the interpreter's own handling
        return False
    threading = sys.modules.get("threading")
    return (
        atexit._ncallbacks() == 0
        and (threading is None or threading.active_count() == 1)
        and "multiprocessing" not in sys.modules
        and not sys.flags.dev_mode  # -X dev reports unclosed files at teardown
    )


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
