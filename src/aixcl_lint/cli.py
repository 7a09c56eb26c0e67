"""The ``aixcl-lint`` command line."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from aixcl_lint import __version__

if TYPE_CHECKING:
    from aixcl_lint.config import Settings
    from aixcl_lint.fix import FixResult
    from aixcl_lint.policy.model import Pack
    from aixcl_lint.run import Result

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("auto", "text", "json", "sarif", "github", "junit")
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


def _settings(paths: tuple[Path, ...], config: Path | None, no_config: bool) -> Settings:
    """Defaults, then the config file (found, or named with ``--config``)."""
    from aixcl_lint.config import ConfigError, Settings, find_config, load

    root = _root_for(paths)
    settings = Settings(root=root)
    found = None if no_config else (config or find_config(Path.cwd(), root))
    if found is None:
        return settings
    if not found.is_file():
        _fail(f"{found}: no such config file")
    try:
        return load(found, settings)
    except ConfigError as exc:
        _fail(f"invalid config: {exc}")


def _entries(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(e.strip() for v in values for e in v.split(",") if e.strip())


def _write(text: str, output: Path | None, colour: bool) -> None:
    if output is None:
        click.echo(text, nl=False, color=colour)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")


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
@click.option(
    "--policy",
    "policies",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Policy file or folder to add to the built-in pack (repeatable).",
)
@click.option(
    "--no-builtin", is_flag=True, default=None, help="Do not load the built-in policy pack."
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
    )
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if (fix or show_diff) and write_baseline is not None:
        _fail("--fix and --diff cannot be combined with --write-baseline")
    fixed = None
    try:
        pack = load_policies(settings)
        result = lint(settings, paths, pack)
        if fix or show_diff:
            fixed = _fix(settings, paths, pack, result, write=not show_diff)
            if fixed.changes and not show_diff:
                result = lint(settings, paths, pack)  # what remains, as written
    except PolicyError as exc:
        _fail(f"invalid policy: {exc}")
    except ConfigError as exc:
        _fail(f"invalid config: {exc}")
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
    report = Report(result.findings, result.files_checked, rule_infos(pack), result.fingerprints)
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


def _pack_for_listing(policies: tuple[Path, ...], no_builtin: bool) -> Any:
    from dataclasses import replace

    from aixcl_lint.policy.model import PolicyError
    from aixcl_lint.run import load_policies

    settings = _settings((), None, False)
    settings = replace(
        settings,
        policy_paths=(*settings.policy_paths, *policies),
        builtin=settings.builtin and not no_builtin,
    )
    try:
        return load_policies(settings)
    except PolicyError as exc:
        _fail(f"invalid policy: {exc}")


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--policy",
    "policies",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Policy file or folder to list besides the built-in pack.",
)
@click.option("--no-builtin", is_flag=True, help="Leave out the built-in pack.")
def rules(fmt: str, policies: tuple[Path, ...], no_builtin: bool) -> None:
    """List the rules (and sub-ids) a run would use."""
    import json

    from aixcl_lint.report import rule_infos

    pack = _pack_for_listing(policies, no_builtin)
    infos = rule_infos(pack)
    rows = []
    for rule in pack.rules:
        for rule_id in dict.fromkeys([rule.id, *(rule.full_id(c) for c in rule.checks)]):
            info = infos[rule_id]
            fixes = [c.fix for c in rule.checks if rule.full_id(c) == rule_id or rule_id == rule.id]
            rows.append(
                {
                    "id": rule_id,
                    "severity": info.severity.label,
                    "title": info.title,
                    "source": rule.source,
                    "docs": info.help_uri,
                    "fixable": any(fixes),
                }
            )
    if fmt == "json":
        click.echo(json.dumps({"version": 1, "rules": rows}, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=0)
    for row in rows:
        click.echo(f"{row['id']:<{width}}  {row['severity']:<7}  {row['title']}")


@cli.command()
@click.argument("rule_id")
@click.option(
    "--policy",
    "policies",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Policy file or folder to search besides the built-in pack.",
)
def explain(rule_id: str, policies: tuple[Path, ...]) -> None:
    """Print the documentation of RULE_ID."""
    from aixcl_lint.policy.loader import docs_dir

    pack = _pack_for_listing(policies, False)
    base = rule_id.split("[", 1)[0]
    rule = pack.by_id().get(base)
    if rule is None:
        _fail(f"unknown rule {rule_id!r} (aixcl-lint rules lists them)")
    page = docs_dir() / "rules" / f"{base}.md"
    if rule.source.startswith("<builtin>") and page.is_file():
        click.echo(page.read_text(encoding="utf-8"), nl=False)
        return
    lines = [
        f"# `{rule.id}`",
        "",
        f"**{rule.title}.** Severity: {rule.severity.label}. Policy: {rule.source}.",
        "",
    ]
    if rule.rationale:
        lines += ["## Why", "", rule.rationale, ""]
    subs = [c for c in rule.checks if c.sub_id]
    if subs:
        lines += ["## Variants", ""]
        lines += [f"- `{rule.full_id(c)}`: {c.message}" for c in subs]
        lines.append("")
    if rule.options:
        lines += ["## Options", ""]
        lines += [f"- `{name}` (default `{value}`)" for name, value in rule.options.items()]
        lines.append("")
    fixes = [(rule.full_id(c), c.fix) for c in rule.checks if c.fix]
    lines += ["## Fix", ""]
    if fixes:
        lines += [f"- `{i}`: `aixcl-lint check --fix` applies `{f.fixer}`" for i, f in fixes]
    else:
        lines.append("Not auto-fixable.")
    lines.append("")
    if rule.references:
        lines += ["## References", ""] + [f"- {r}" for r in rule.references] + [""]
    click.echo("\n".join(lines), nl=False)


STARTER_CONFIG = """\
# aixcl-lint configuration. Every key is optional; see docs/configuration.md.

# Files to lint besides what .gitignore already leaves out (gitignore-style globs).
# include: ["deploy/**", "docs/**"]
exclude: []

# Rule ids or prefixes ("compose", "compose/image-pinned[latest]").
# select: [compose, security]
ignore: []

# Per-rule severity: error, warning or info.
# severity:
#   compose/image-pinned[unset-variable]: error

# Per-rule options (aixcl-lint explain RULE lists them).
# options:
#   compose/image-pinned:
#     exempt-local-builds: false

# Extra policy files or folders, relative to this file.
# policies: [.aixcl-lint/policies]

# Compose files that form one project, when the automatic grouping
# (a base file plus its overrides in one folder) is not what you run.
# compose-projects:
#   - [deploy/compose.yaml, deploy/compose.gpu.yaml]

# Lowest severity that fails the run.
fail-on: error
"""


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite an existing config file.")
def init(force: bool) -> None:
    """Write a commented starter .aixcl-lint.yaml at the repository root."""
    from aixcl_lint.discover import find_root

    target = find_root(Path.cwd()) / ".aixcl-lint.yaml"
    if target.exists() and not force:
        _fail(f"{target} already exists (use --force to overwrite it)")
    target.write_text(STARTER_CONFIG, encoding="utf-8")
    click.echo(f"Wrote {target}")


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
