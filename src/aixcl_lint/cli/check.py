"""``aixcl-lint check``: lint, report, and with --fix / --diff repair."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from aixcl_lint.cli.base import (
    EXIT_FINDINGS,
    EXIT_OK,
    FORMATS,
    SEVERITIES,
    Choice,
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
    from aixcl_lint.report import Report
    from aixcl_lint.run import Result


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=Choice(FORMATS),
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
    type=Choice(SEVERITIES),
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
    help="Colour the text output (default: on a terminal, unless NO_COLOR or TERM=dumb).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run.")
@click.option(
    "--statistics", is_flag=True, help="Count the findings per rule (and how many are fixable)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print the findings and nothing else.")
@click.option("--concise", is_flag=True, help="Text output: one line per finding, no code frames.")
@click.option("--show-files", is_flag=True, help="List the files a run would lint, and exit.")
@click.option(
    "--stdin-filename",
    help="With PATH '-': the name of the file read from standard input (its kind, and the "
    "project around it, come from that name).",
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
    exit_zero: bool,
    statistics: bool,
    quiet: bool,
    concise: bool,
    show_files: bool,
    stdin_filename: str | None,
) -> None:
    """Lint PATHS (files or folders, or - for standard input), or the whole repository
    around the current folder."""
    from dataclasses import replace

    from aixcl_lint.config import ConfigError
    from aixcl_lint.core import Severity
    from aixcl_lint.policy.model import PolicyError
    from aixcl_lint.report import Report, rule_infos
    from aixcl_lint.run import UsageError, lint, load_policies

    paths, stdin = _stdin(paths, stdin_filename, fix or show_diff or write_baseline is not None)
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
        stdin=_stdin_entry(settings.root, stdin_filename, stdin),
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
        if show_files:
            _show_files(settings, paths)
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
    exit_code = EXIT_OK if exit_zero else EXIT_FINDINGS
    if write_baseline is not None:
        _write_baseline(write_baseline, result)
    if fixed is not None:
        from aixcl_lint.fix import render, unified_diff

        if show_diff:
            # The diff on standard output, what it would fix on standard error, and exit 0:
            # `check --diff > fix.patch && git apply fix.patch` applies the patch.
            _write(unified_diff(fixed.changes), output, False)
            if not quiet:
                tried = {f for f, _ in fixed.unfixed}
                left = sum(f not in tried for f in fixed.remaining(result.findings))
                rest = f"{left} other problem(s) no fix covers: `aixcl-lint check` reports them.\n"
                click.echo(render(fixed, dry_run=True) + (rest if left else ""), nl=False, err=True)
            sys.exit(EXIT_OK)
        if not quiet:
            click.echo(render(fixed, dry_run=False) + "\n", nl=False, err=fmt != "text")
    report = Report(
        result.findings,
        result.files_checked,
        rule_infos(pack, result.citations),
        result.fingerprints,
        result.lines,
        fail_on=settings.fail_on,
        concise=concise,
        quiet=quiet,
    )
    _print_report(report, fmt, output, colour, statistics=statistics)
    failing = any(f.severity >= settings.fail_on for f in result.findings)
    sys.exit(exit_code if failing else EXIT_OK)


def _stdin(
    paths: tuple[Path, ...], name: str | None, fixing: bool
) -> tuple[tuple[Path, ...], bytes | None]:
    """The paths with ``-`` replaced by ``--stdin-filename``, and standard input's bytes."""
    if "-" not in {str(p) for p in paths}:
        if name is not None:
            _fail("--stdin-filename names the file read from standard input: give PATH '-'")
        return paths, None
    if name is None:
        _fail("reading standard input ('-') needs --stdin-filename (its kind comes from it)")
    if fixing:
        _fail("standard input ('-') cannot be combined with --fix, --diff or --write-baseline")
    data = sys.stdin.buffer.read()
    return tuple(Path(name) if str(p) == "-" else p for p in paths), data


def _stdin_entry(root: Path, name: str | None, data: bytes | None) -> tuple[str, bytes] | None:
    """What the run reads from standard input: the file's repository-relative name."""
    from aixcl_lint.discover import relative

    if data is None or name is None:
        return None
    rel = relative(root, Path(name))
    if rel is None:
        _fail(f"--stdin-filename {name}: outside the repository at {root}")
    return rel, data


def _write_baseline(path: Path, result: Result) -> NoReturn:
    from aixcl_lint.config import ConfigError
    from aixcl_lint.suppress import baseline as baselines

    try:
        count = baselines.write(path, result.findings, result.fingerprints)
    except ConfigError as exc:
        _fail(str(exc))
    click.echo(f"Wrote {count} finding(s) to the baseline {path}.")
    sys.exit(EXIT_OK)


def _show_files(settings: Settings, paths: tuple[Path, ...]) -> NoReturn:
    """Print the files a run would lint, one per line (ruff's --show-files), and exit 0."""
    from aixcl_lint.run.plan import plan

    for source_file in plan(settings, paths).files:
        click.echo(source_file.path)
    sys.exit(EXIT_OK)


def _print_report(
    report: Report, fmt: str, output: Path | None, colour: bool | None, *, statistics: bool
) -> None:
    from aixcl_lint.report import REPORTERS, render_statistics

    paint = fmt == "text" and output is None and _use_colour(colour)
    text = render_statistics(report, fmt) if statistics else REPORTERS[fmt](report, paint)
    _write(text, output, paint)


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
