"""``aixcl-lint check``: lint, report, and with --fix / --diff repair.

The run itself: ``cli.check_command`` is the click command (its options and help),
which calls ``run``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from aixcl_lint.cli.base import (
    EXIT_FINDINGS,
    EXIT_OK,
    _entries,
    _fail,
    _fail_input,
    _settings,
    _use_colour,
    _write,
    echo,
)

if TYPE_CHECKING:
    import datetime

    from aixcl_lint.config import Settings
    from aixcl_lint.fix import FixResult
    from aixcl_lint.policy.model import Pack
    from aixcl_lint.report import Report
    from aixcl_lint.run import Result


class CheckArgs:
    """The options of one ``check`` command, as click passes them, every one of them (a
    plain class: on Python 3.11 a named tuple of these 25 fields costs about 3 ms of
    every run to create, a frozen dataclass more; this one 0.05 ms)."""

    fmt: str
    output: Path | None
    policies: tuple[Path, ...]
    no_builtin: bool | None
    profile: str | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    fail_on: str | None
    config: Path | None
    no_config: bool
    jobs: int | None
    baseline: Path | None
    write_baseline: Path | None
    today: datetime.datetime | None
    force_exclude: bool
    fix: bool
    show_diff: bool
    colour: bool | None
    exit_zero: bool
    statistics: bool
    quiet: bool
    concise: bool
    show_files: bool
    stdin_filename: str | None
    no_cache: bool

    def __init__(self, given: Mapping[str, Any]) -> None:
        if given.keys() != CheckArgs.__annotations__.keys():
            odd = sorted(given.keys() ^ CheckArgs.__annotations__.keys())
            raise TypeError(f"check's options differ from CheckArgs': {', '.join(odd)}")
        self.__dict__.update(given)


def run(paths: tuple[Path, ...], given: dict[str, Any]) -> NoReturn:
    """One ``check`` command: its paths and its options as click would pass them."""
    from aixcl_lint.config import ConfigError
    from aixcl_lint.policy.model import PolicyError
    from aixcl_lint.run import UsageError, lint, load_policies

    args = CheckArgs(given)
    fixing = args.fix or args.show_diff
    if fixing and args.write_baseline is not None:
        _fail("--fix and --diff cannot be combined with --write-baseline")
    paths, stdin = _stdin(paths, args.stdin_filename, fixing or args.write_baseline is not None)
    settings = _configure(paths, args, stdin)
    if args.no_cache or fixing:  # --fix and --diff always check the files as they are
        settings = _uncached(settings)
    fixed = None
    try:
        pack = load_policies(settings)
        if args.show_files:
            _show_files(settings, paths, pack)
        result = lint(settings, paths, pack)
        for warning in result.warnings:
            echo(f"aixcl-lint: warning: {warning}", err=True)
        if fixing:
            fixed = _fix(settings, paths, pack, result, write=not args.show_diff)
            if fixed.changes and not args.show_diff:
                result = lint(settings, paths, pack)  # what remains, as written
    except PolicyError as exc:
        _fail(f"invalid policy: {exc}")
    except ConfigError as exc:
        _fail_input(exc)
    except UsageError as exc:
        _fail(str(exc))
    if args.write_baseline is not None:
        _write_baseline(args.write_baseline, result)
    fmt = args.fmt
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    report = _report(pack, result, settings, args, fmt)
    if fixed is not None:
        _report_fixes(fixed, result, args, machine=fmt != "text", shown=report.shown)
    _print_report(report, fmt, args)
    failing = any(f.severity >= settings.fail_on for f in result.findings)
    sys.exit(EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK)


def _configure(paths: tuple[Path, ...], args: CheckArgs, stdin: bytes | None) -> Settings:
    """Defaults < config file < command line."""
    from aixcl_lint.core import Severity

    settings = _settings(paths, args.config, args.no_config)
    ignore = _entries(args.ignore)
    return settings._replace(
        policy_paths=(*settings.policy_paths, *args.policies),
        builtin=settings.builtin and not args.no_builtin,
        select=_entries(args.select) or settings.select,
        ignore=(*settings.ignore, *ignore),
        fail_on=Severity.parse(args.fail_on) if args.fail_on else settings.fail_on,
        force_exclude=args.force_exclude,
        jobs=settings.jobs if args.jobs is None else args.jobs,
        today=args.today.date() if args.today else settings.today,
        baseline=None if args.write_baseline else args.baseline or settings.baseline,
        profile=args.profile or settings.profile,
        stdin=_stdin_entry(settings.root, args.stdin_filename, stdin),
        command_line=frozenset(
            [
                *(["select"] if args.select else []),
                *(["profile"] if args.profile else []),
                *(f"ignore.{entry}" for entry in ignore),
            ]
        ),
    )


def _uncached(settings: Settings) -> Settings:
    return settings._replace(cache=settings.cache._replace(enabled=False))


def _report_fixes(
    fixed: FixResult,
    result: Result,
    args: CheckArgs,
    *,
    machine: bool,
    shown: Callable[[str], str] | None,
) -> None:
    """What --fix did (standard error for machine formats), or --diff's patch, exiting 0:
    `check --diff > fix.patch && git apply fix.patch` applies the patch (its paths are
    from the repository's root, as git's are)."""
    from aixcl_lint.fix import render, unified_diff

    if not args.show_diff:
        if not args.quiet:
            echo(render(fixed, dry_run=False, shown=shown) + "\n", nl=False, err=machine)
        return
    _write(unified_diff(fixed.changes), args.output, False)
    if not args.quiet:
        tried = {f for f, _ in fixed.unfixed}
        left = sum(f not in tried for f in fixed.remaining(result.findings))
        rest = f"{left} other problem(s) no fix covers: `aixcl-lint check` reports them.\n"
        text = render(fixed, dry_run=True, shown=shown) + (rest if left else "")
        echo(text, nl=False, err=True)
    sys.exit(EXIT_OK)


def _report(pack: Pack, result: Result, settings: Settings, args: CheckArgs, fmt: str) -> Report:
    from aixcl_lint.report import Report, rule_infos

    shown = None
    if fmt == "text":  # for people; machine formats keep paths from the root
        from aixcl_lint.report.text import paths_from

        shown = paths_from(settings.root, Path.cwd())
    return Report(
        result.findings,
        result.files_checked,
        rule_infos(pack, result.citations),
        result.fingerprints,
        result.lines,
        fail_on=settings.fail_on,
        concise=args.concise,
        quiet=args.quiet,
        shown=shown,
    )


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
    from aixcl_lint.core import visible
    from aixcl_lint.suppress import baseline as baselines

    try:
        count = baselines.write(path, result.findings, result.fingerprints)
    except ConfigError as exc:
        _fail(str(exc))
    echo(f"Wrote {count} finding(s) to the baseline {visible(str(path))}.")
    sys.exit(EXIT_OK)


def _show_files(settings: Settings, paths: tuple[Path, ...], pack: Pack) -> NoReturn:
    """Print the files a run would check, one per line (ruff's --show-files), and exit 0:
    those a kind claims and those the rules' own globs read (workflows, scripts)."""
    from aixcl_lint.core import visible
    from aixcl_lint.run import checked_files

    for path in checked_files(settings, paths, pack):
        echo(visible(path))
    sys.exit(EXIT_OK)


def _print_report(report: Report, fmt: str, args: CheckArgs) -> None:
    from aixcl_lint.report import REPORTERS, render_statistics

    paint = fmt == "text" and args.output is None and _use_colour(args.colour)
    text = render_statistics(report, fmt) if args.statistics else REPORTERS[fmt](report, paint)
    _write(text, args.output, paint)  # a reporter's pieces are written as they come


def _fix(
    settings: Settings, paths: tuple[Path, ...], pack: Pack, result: Result, *, write: bool
) -> FixResult:
    """Fix what the run reported as fixable, in the units (compose projects) holding it,
    planned exactly as the run planned them."""
    from aixcl_lint import fix
    from aixcl_lint.run import work
    from aixcl_lint.run.plan import plan

    reported = [f for f in result.findings if f.fixable]
    planned = plan(settings, paths) if reported else None
    units = work(settings, planned, pack) if planned else []
    where = {f.path for f in reported}
    projects = [u.paths for u in units if u.kind == fix.FIXABLE[0]]
    # A value written in a file a project only reads (extends, includes) is fixed there:
    # such a file is in no unit, so every project is evaluated (only reported findings
    # are fixed).
    elsewhere = where.difference(*projects)
    request = fix.FixRequest(
        root=settings.root,
        pack=pack,
        groups=[g for g in projects if elsewhere or where.intersection(g)],
        reported=reported,
        editable=({f.path for f in planned.files} | where) if planned else set(),
        options=settings.rule_options,
        today=settings.today,
        max_bytes=settings.max_file_bytes,
    )
    repaired = fix.repair(request, write_files=write)
    repaired.unfixed.sort()
    return repaired
