"""Commands that describe: ``rules``, ``explain``, ``init``, ``schema``."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click

from aixcl_lint.cli.base import _fail, _pack_for_listing, cli, policy_option


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="Output format.",
)
@policy_option
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
@policy_option
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
    from aixcl_lint.config import find_config
    from aixcl_lint.discover import find_root

    root = find_root(Path.cwd())
    target = root / ".aixcl-lint.yaml"
    existing = find_config(Path.cwd(), root)
    if existing is not None and not force:
        _fail(f"{existing} already configures aixcl-lint (use --force to write {target.name})")
    if os.path.islink(target):  # dangling or not: never written through
        _fail(f"{target} is a symlink; not written")
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(target, flags, 0o644)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                _fail(f"{target} is not a regular file; not written")
            os.ftruncate(fd, 0)
            os.write(fd, STARTER_CONFIG.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as exc:
        _fail(f"cannot write {target}: {exc.strerror or exc}")
    click.echo(f"Wrote {target}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema that policy files are validated against."""
    from aixcl_lint.policy.loader import schema_text

    click.echo(schema_text(), nl=False)
