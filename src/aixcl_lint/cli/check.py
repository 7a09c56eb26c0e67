"""``aixcl-lint check``: lint, report, and with --fix / --diff repair."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from aixcl_lint.cli.base import (
    EXIT_FINDINGS,
    EXIT_OK,
    FORMATS,
    SEVERITIES,
    _entries,
    _fail,
    _settings,
    _use_colour,
    _write,
    cli,
    policy_option,
)

if TYPE_CHECKING:
    from aixcl_lint.config import Settings
    from aixcl_lint.fix import FixResult
    from aixcl_lint.policy.model import Pack
    from aixcl_lint.run import Result


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="Output format; auto is github inside GitHub Actions, else text.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of standard output.",
)
@policy_option
@click.option(
    "--no-builtin", is_flag=True, default=None, help="Do not load the built-in policy pack."
)
@click.option(
    "--profile",
    help="Profile of the built-in pack: general (the default) or aixcl (adds AIXCL's "
    "platform invariants).",
)
@click.option("--select", multiple=True, help="Only these rule ids or prefixes (comma-separated).")
@click.option("--ignore", multiple=True, help="Not these rule ids or prefixes (comma-separated).")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Lowest severity that makes the run fail (exit 1)  [default: error]",
)
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Config file to use instead of the one found walking up to the root.",
)
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    help="Worker processes for large runs (0: one per CPU, the default).",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Report only findings this baseline file does not record.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Record the current findings in this baseline file, and exit 0.",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date that date checks compare with (default: the clock's).",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the config's include/exclude to named paths too (for pre-commit).",
)
@click.option(
    "--fix", "fix", is_flag=True, help="Repair fixable findings in place, then report the rest."
)
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; write nothing."
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
    output: Path | None,
    policies: tuple[Path, ...],
    no_builtin: bool | None,
    profile: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config: Path | None,
    no_config: bool,
    jobs: int | None,
    baseline: Path | None,
    write_baseline: Path | None,
    today: datetime.datetime | None,
    force_exclude: bool,
    fix: bool,
    show_diff: bool,
    colour: bool | None,
) -> None:
    """Lint PATHS (files or folders), or the whole repository around the current folder."""
    from dataclasses import replace

    from aixcl_lint.config import ConfigError
    from aixcl_lint.core import Severity
    from aixcl_lint.policy.model import PolicyError
    from aixcl_lint.report import REPORTERS, Report, rule_infos
    from aixcl_lint.run import UsageError, lint, load_policies

    settings = _settings(paths, config, no_config)
    settings = replace(
        settings,
        policy_paths=(*settings.policy_paths, *policies),
        builtin=settings.builtin and not no_builtin,
        select=_entries(select) or settings.select,
        ignore=(*settings.ignore, *_entries(ignore)),
        fail_on=Severity.parse(fail_on) if fail_on else settings.fail_on,
        force_exclude=force_exclude,
        jobs=settings.jobs if jobs is None else jobs,
        today=today.date() if today else settings.today,
        baseline=None if write_baseline else baseline or settings.baseline,
        profile=profile or settings.profile,
        command_line=frozenset(
            [
                *(["select"] if select else []),
                *(["profile"] if profile else []),
                *(f"ignore.{entry}" for entry in _entries(ignore)),
            ]
        ),
    )
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if (fix or show_diff) and write_baseline is not None:
        _fail("--fix and --diff cannot be combined with --write-baseline")
    fixed = None
    try:
        pack = load_policies(settings)
        result = lint(settings, paths, pack)
        for warning in result.warnings:
            click.echo(f"aixcl-lint: warning: {warning}", err=True)
        if fix or show_diff:
            fixed = _fix(settings, paths, pack, result, write=not show_diff)
            if fixed.changes and not show_diff:
                result = lint(settings, paths, pack)  # what remains, as written
    except PolicyError as exc:
        _fail(f"invalid policy: {exc}")
    except ConfigError as exc:
        _fail(f"invalid config: {exc}" if exc.line else str(exc))
    except UsageError as exc:
        _fail(str(exc))
    if write_baseline is not None:
        from aixcl_lint.suppress import baseline as baselines

        try:
            count = baselines.write(write_baseline, result.findings, result.fingerprints)
        except ConfigError as exc:
            _fail(str(exc))
        click.echo(f"Wrote {count} finding(s) to the baseline {write_baseline}.")
        sys.exit(EXIT_OK)
    if fixed is not None:
        from aixcl_lint.fix import render, unified_diff

        if show_diff:  # the diff on standard output, what it would fix on standard error
            _write(unified_diff(fixed.changes), output, False)
            click.echo(render(fixed, dry_run=True), nl=False, err=True)
            left = any(f.severity >= settings.fail_on for f in fixed.remaining(result.findings))
            sys.exit(EXIT_FINDINGS if fixed.changes or left else EXIT_OK)
        click.echo(render(fixed, dry_run=False) + "\n", nl=False, err=fmt != "text")
    report = Report(
        result.findings,
        result.files_checked,
        rule_infos(pack, result.citations),
        result.fingerprints,
    )
    paint = fmt == "text" and output is None and _use_colour(colour)
    _write(REPORTERS[fmt](report, paint), output, paint)
    failing = any(f.severity >= settings.fail_on for f in result.findings)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


def _fix(
    settings: Settings, paths: tuple[Path, ...], pack: Pack, result: Result, *, write: bool
) -> FixResult:
    """Fix what the run reported as fixable, in the compose projects holding it."""
    from aixcl_lint import fix
    from aixcl_lint.run.load import compose_groups
    from aixcl_lint.run.plan import plan

    reported = [f for f in result.findings if f.fixable]
    planned = plan(settings, paths) if reported else None
    groups = compose_groups(settings, (*planned.files, *planned.context)) if planned else []
    where = {f.path for f in reported}
    request = fix.FixRequest(
        root=settings.root,
        pack=pack,
        groups=[group for group in groups if where.intersection(group)],
        reported=reported,
        editable={f.path for f in planned.files} if planned else set(),
        options=settings.rule_options,
        today=settings.today,
        max_bytes=settings.max_file_bytes,
    )
    return fix.repair(request, write_files=write)
