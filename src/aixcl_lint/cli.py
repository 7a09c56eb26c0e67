"""The ``aixcl-lint`` command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from aixcl_lint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json")
SEVERITIES = ("error", "warning", "info")


def _fail(message: str) -> NoReturn:
    click.echo(f"aixcl-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _root_for(paths: tuple[Path, ...]) -> Path:
    from aixcl_lint.discover import find_root

    root = find_root(Path.cwd())
    outside = [p for p in paths if not p.resolve().is_relative_to(root)]
    if not outside:
        return root
    first = outside[0].resolve()
    root = find_root(first if first.is_dir() else first.parent)
    stray = [p for p in paths if not p.resolve().is_relative_to(root)]
    if stray:
        _fail(f"{stray[0]}: not in the same repository as {outside[0]} ({root})")
    return root


def _use_colour(choice: bool | None) -> bool:
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aixcl-lint")
def cli() -> None:
    """Policy-as-code linter for Docker Compose projects and their documents."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--policy",
    "policies",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Policy file or folder to add to the built-in pack (repeatable).",
)
@click.option("--no-builtin", is_flag=True, help="Do not load the built-in policy pack.")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="error",
    show_default=True,
    help="Lowest severity that makes the run fail (exit 1).",
)
@click.option(
    "--color/--no-color",
    "colour",
    default=None,
    help="Colour the text output (default: when writing to a terminal).",
)
def check(
    paths: tuple[Path, ...],
    fmt: str,
    policies: tuple[Path, ...],
    no_builtin: bool,
    fail_on: str,
    colour: bool | None,
) -> None:
    """Lint PATHS (files or folders), or the whole repository around the current folder."""
    from aixcl_lint.config import Settings
    from aixcl_lint.core import Severity
    from aixcl_lint.policy.model import PolicyError
    from aixcl_lint.report import REPORTERS, Report
    from aixcl_lint.run import UsageError, lint, load_policies

    settings = Settings(
        root=_root_for(paths),
        policy_paths=policies,
        builtin=not no_builtin,
        fail_on=Severity.parse(fail_on),
    )
    try:
        pack = load_policies(settings)
        result = lint(settings, paths, pack)
    except PolicyError as exc:
        _fail(f"invalid policy: {exc}")
    except UsageError as exc:
        _fail(str(exc))
    report = Report(result.findings, result.files_checked)
    paint = fmt == "text" and _use_colour(colour)
    click.echo(REPORTERS[fmt](report, paint), nl=False, color=paint)
    failing = any(f.severity >= settings.fail_on for f in result.findings)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


@cli.command()
def schema() -> None:
    """Print the JSON Schema that policy files are validated against."""
    from aixcl_lint.policy.loader import schema_text

    click.echo(schema_text(), nl=False)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of raising SystemExit."""
    try:
        cli.main(args=argv, prog_name="aixcl-lint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
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
        click.echo(
            f"aixcl-lint: internal error: {type(exc).__name__}: {exc} "
            "(set AIXCL_LINT_DEBUG=1 for a traceback)",
            err=True,
        )
        return EXIT_ERROR
    return EXIT_OK
