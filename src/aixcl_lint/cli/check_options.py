"""The options of ``aixcl-lint check``, applied as one decorator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from aixcl_lint.cli.base import FORMATS, SEVERITIES
from aixcl_lint.cli.group import Choice, policy_option
from aixcl_lint.policy.profiles import PROFILES

F = TypeVar("F", bound=Callable[..., Any])


def check_options(command: F) -> F:
    """Every argument and option of ``check``, in the order ``--help`` lists them."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


_OPTIONS: list[Callable[[Any], Any]] = [
    click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
    click.option(
        "--format",
        "fmt",
        type=Choice(FORMATS),
        default="auto",
        show_default=True,
        help="Output format; auto is github inside GitHub Actions, else text.",
    ),
    click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write the report to this file instead of standard output.",
    ),
    policy_option,
    click.option(
        "--no-builtin", is_flag=True, default=None, help="Do not load the built-in policy pack."
    ),
    click.option(
        "--profile",
        type=Choice(tuple(PROFILES)),
        help="Profile of the built-in pack: general (the default) or aixcl (adds AIXCL's "
        "platform invariants).",
    ),
    click.option(
        "--select", multiple=True, help="Only these rule ids or prefixes (comma-separated)."
    ),
    click.option(
        "--ignore", multiple=True, help="Not these rule ids or prefixes (comma-separated)."
    ),
    click.option(
        "--fail-on",
        type=Choice(SEVERITIES),
        help="Lowest severity that makes the run fail (exit 1)  [default: error]",
    ),
    click.option(
        "--config",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Config file to use instead of the one found walking up to the root.",
    ),
    click.option("--no-config", is_flag=True, help="Ignore config files."),
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=0),
        help="Worker processes for large runs (0: one per CPU, the default).",
    ),
    click.option(
        "--baseline",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Report only findings this baseline file does not record.",
    ),
    click.option(
        "--write-baseline",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Record the current findings in this baseline file, and exit 0.",
    ),
    click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="The date that date checks compare with (default: the clock's).",
    ),
    click.option(
        "--force-exclude",
        is_flag=True,
        help="Apply the config's include/exclude to named paths too (for pre-commit).",
    ),
    click.option(
        "--fix", "fix", is_flag=True, help="Repair fixable findings in place, then report the rest."
    ),
    click.option(
        "--diff",
        "show_diff",
        is_flag=True,
        help="Print the fixes as a unified diff, write nothing, and exit 0.",
    ),
    click.option(
        "--color/--no-color",
        "colour",
        default=None,
        help="Colour the text output (default: on a terminal, unless NO_COLOR or TERM=dumb).",
    ),
    click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run."),
    click.option(
        "--statistics", is_flag=True, help="Count the findings per rule (and how many are fixable)."
    ),
    click.option("-q", "--quiet", is_flag=True, help="Print the findings and nothing else."),
    click.option(
        "--concise", is_flag=True, help="Text output: one line per finding, no code frames."
    ),
    click.option(
        "--no-cache",
        is_flag=True,
        help="Check every file afresh: neither use nor keep results of earlier runs.",
    ),
    click.option("--show-files", is_flag=True, help="List the files a run would lint, and exit."),
    click.option(
        "--stdin-filename",
        help="With PATH '-': the name of the file read from standard input (its kind, and the "
        "project around it, come from that name).",
    ),
]
