"""Commands that describe: ``rules``, ``init``, ``schema`` (``explain`` has its own module)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import click

from aixcl_lint.cli.base import _fail, _fail_input, _pack_for_listing
from aixcl_lint.cli.group import cli, policy_option


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
    """List every rule id a run can report: rules and sub-ids (with their profile), then
    the findings about files and suppressions."""
    import json

    rows = _rule_rows(_pack_for_listing(policies, no_builtin))
    if fmt == "json":
        click.echo(json.dumps({"version": 1, "rules": rows}, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=0)
    for row in rows:
        fixable = "[*]" if row["fixable"] else "   "
        click.echo(
            f"{row['id']:<{width}}  {row['severity']:<7}  {row['profile']:<7}  {fixable}  "
            f"{row['title']}"
        )


def _rule_rows(pack: Any) -> list[dict[str, Any]]:
    from aixcl_lint.policy.profiles import profile_of, rule_profile
    from aixcl_lint.report import rule_infos

    infos = rule_infos(pack)
    rows = []
    for rule in pack.rules:
        for rule_id in dict.fromkeys([rule.id, *(rule.full_id(c) for c in rule.checks)]):
            info = infos[rule_id]
            fixes = [c.fix for c in rule.checks if rule.full_id(c) == rule_id or rule_id == rule.id]
            sub = rule_id != rule.id and rule.source.startswith("<builtin>")
            rows.append(
                {
                    "id": rule_id,
                    "severity": info.severity.label,
                    "profile": profile_of(rule_id) if sub else rule_profile(rule),
                    "title": info.title,
                    "source": rule.source,
                    "docs": info.help_uri,
                    "fixable": any(fixes),
                }
            )
        if rule.governed_by is not None:  # the clause it cites is gone
            gone = f"the clause it cites, {rule.governed_by.label()}, is gone"
            rows.append(
                {
                    "id": f"{rule.id}[governed-by]",
                    "severity": rule.severity.label,
                    "profile": rule_profile(rule),
                    "title": f"{rule.title} ({gone})",
                    "source": rule.source,
                    "docs": infos[rule.id].help_uri,
                    "fixable": False,
                }
            )
    for rule_id in problem_ids():
        info = infos[rule_id]
        rows.append(
            {
                "id": rule_id,
                "severity": info.severity.label,
                "profile": "general",
                "title": info.title,
                "source": "<aixcl-lint>",
                "docs": info.help_uri,
                "fixable": False,
            }
        )
    return rows


def problem_ids() -> list[str]:
    """Ids of findings about files and suppressions (not policies)."""
    from aixcl_lint.documents.problems import PROBLEMS
    from aixcl_lint.suppress import SUPPRESS_PROBLEMS

    return [*PROBLEMS, *SUPPRESS_PROBLEMS]


STARTER_CONFIG = """\
# aixcl-lint configuration. Every key is optional; see docs/configuration.md.

# The built-in pack's profile: general (any repository) or aixcl (adds the AIXCL
# platform's invariants: host networking, no port mappings, no custom networks,
# every part of AIXCL's security policy).
{profile}

# Files to lint besides what .gitignore already leaves out (gitignore-style globs).
# include: ["deploy/**", "docs/**"]
{exclude}

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

{compose_files}

# Compose files that form one project, when the automatic grouping
# (a base file plus its overrides in one folder) is not what you run.
# compose-projects:
#   - [deploy/compose.yaml, deploy/compose.gpu.yaml]

# Whose heading anchors and links pages are checked against: auto (MkDocs' for the
# pages of an mkdocs.yml site, MyST's for those of a Sphinx conf.py with myst_parser,
# GitHub's elsewhere), github, mkdocs, mkdocs+attr_list, myst.
# markdown-flavour: auto

# Templates GitHub renders in issues, pull requests and releases (ISSUE_TEMPLATE,
# PULL_REQUEST_TEMPLATE*, RELEASE_TEMPLATE*): their relative links are not checked.
# An empty list checks them like any other document.
# templates: []

# Lowest severity that fails the run.
fail-on: error
"""


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite an existing config file.")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the file init would write on standard output (what it says, on standard "
    "error); write nothing.",
)
def init(force: bool, dry_run: bool) -> None:
    """Write a commented starter .aixcl-lint.yaml at the repository root."""
    from aixcl_lint.config import ConfigError, Settings, find_config
    from aixcl_lint.discover import find_root
    from aixcl_lint.run.survey import survey

    root = find_root(Path.cwd())
    target = root / ".aixcl-lint.yaml"
    if os.path.islink(target):  # dangling or not: never written through
        _fail(f"{target} is a symlink; not written")
    try:
        existing = find_config(Path.cwd(), root)
    except ConfigError as exc:
        _fail_input(exc)
    if existing is not None and not force:
        _fail(f"{existing} already configures aixcl-lint (use --force to write {target.name})")
    found = survey(Settings(root=root))
    if found.invariants is not None:
        why = f"{found.invariants} states the platform's invariants"
    else:
        why = f"{found.host_networked} of {found.services} compose services use host networking"
    profile = "aixcl" if found.aixcl_style else "general"
    folders = [(f, n) for f, n in found.vendored if not _GLOB_SIGNS.intersection(f)]
    text = STARTER_CONFIG.replace("{profile}", f"profile: {profile}")
    text = text.replace("{exclude}", _exclude(folders))
    lookalikes = tuple(p for p in found.lookalikes if not _GLOB_SIGNS.intersection(p))
    text = text.replace("{compose_files}", _compose_files(lookalikes))
    what = f"profile {profile} ({why})"
    if folders:
        files = sum(n for _, n in folders)
        what += f", excluding {len(folders)} vendored folder{'s' * (len(folders) > 1)}"
        what += f" ({files} file{'s' * (files > 1)}: {', '.join(f for f, _ in folders[:3])}"
        what += ", ...)" if len(folders) > 3 else ")"
    if lookalikes:
        count = len(lookalikes)
        what += f", {count} compose file{'s' * (count > 1)} by other names in compose-files"
    if dry_run:  # the file on standard output, so `init --dry-run > x.yaml` is that file
        click.echo(text, nl=False)
        click.echo(f"Would write {target} with {what}.", err=True)
        return
    _write_config(target, text)
    click.echo(f"Wrote {target} with {what}.")


_GLOB_SIGNS = frozenset("*?[]\\!#")
"""A folder whose name a glob would read otherwise is not suggested."""


def _exclude(folders: list[tuple[str, int]]) -> str:
    """The ``exclude`` entry: the vendored folders found (other projects' code, whose
    findings are not the repository's to fix), each with its count, or nothing."""
    import json  # (a folder's name as YAML reads it: JSON is YAML)

    if not folders:
        return "exclude: []"
    lines = [
        "# Vendored code init found: other projects' files, not yours to fix (delete a",
        "# line to lint that folder too).",
        "exclude:",
    ]
    for folder, count in folders:
        lines.append(f"  - {json.dumps(folder)}  # {count} file{'s' * (count > 1)}")
    return "\n".join(lines)


def _compose_files(paths: tuple[str, ...]) -> str:
    """The ``compose-files`` entry: the YAML files init found with a top-level
    ``services:`` mapping that no compose project reads (``stack.yml``), each from the
    root (a leading slash: that file, not its name at any depth), or a commented
    example."""
    import json

    if not paths:
        return (
            "# Other files that are compose files (gitignore-style globs, as exclude's).\n"
            '# compose-files: ["deploy/*.yaml"]'
        )
    lines = [
        "# YAML files init found with a top-level services: mapping, which Compose's file",
        "# names do not cover (delete a line to stop linting that file).",
        "compose-files:",
    ]
    lines.extend(f"  - {json.dumps('/' + path)}" for path in paths)
    return "\n".join(lines)


def _write_config(target: Path, text: str) -> None:
    """Write ``target`` in place, never through a symlink nor into a non-regular file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(target, flags, 0o644)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                _fail(f"{target} is not a regular file; not written")
            os.ftruncate(fd, 0)
            os.write(fd, text.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as exc:
        _fail(f"cannot write {target}: {exc.strerror or exc}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema that policy files are validated against."""
    from aixcl_lint.policy.loader import schema_text

    click.echo(schema_text(), nl=False)
