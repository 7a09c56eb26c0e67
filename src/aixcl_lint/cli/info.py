"""Commands that describe: ``rules``, ``explain``, ``init``, ``schema``."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import click

from aixcl_lint.cli.base import _fail, _fail_input, _pack_for_listing, cli, policy_option


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


@cli.command()
@click.argument("rule_id")
@policy_option
def explain(rule_id: str, policies: tuple[Path, ...]) -> None:
    """Print the documentation of RULE_ID (a rule, a sub-id, or a file problem)."""
    from aixcl_lint.core import closest, did_you_mean
    from aixcl_lint.policy.loader import docs_dir

    pack = _pack_for_listing(policies, False)
    base = rule_id.split("[", 1)[0]
    rule = pack.by_id().get(base)
    if rule is None and rule_id in problem_ids():
        click.echo(_explain_problem(pack, rule_id), nl=False)
        return
    if rule is None:
        known = [*pack.by_id(), *problem_ids()]
        _fail(
            f"unknown rule {rule_id!r}{did_you_mean(rule_id, known)} (aixcl-lint rules lists them)"
        )
    if rule_id != base:
        from aixcl_lint.run import known_ids

        ids = known_ids(pack)
        if rule_id not in ids:
            subs = [i for i in ids if i.startswith(base + "[")]
            # Compared by the part in brackets: the rule's id they share says nothing.
            inner = {i.removeprefix(base + "[").removesuffix("]"): i for i in subs}
            close = closest(rule_id.removeprefix(base + "[").removesuffix("]"), inner)
            hint = f" (did you mean {inner[close]!r}?)" if close else ""
            hint = hint or (
                f" (its sub-ids: {', '.join(subs)})" if subs else f" ({base} has no sub-ids)"
            )
            _fail(f"unknown sub-id {rule_id!r} of {base}{hint}")
    page = docs_dir() / "rules" / f"{base}.md"
    if rule.source.startswith("<builtin>") and page.is_file():
        text = _published_links(page.read_text(encoding="utf-8"), f"docs/rules/{base}.md")
    else:
        text = _explain_rule(rule)
    click.echo(text + _governed(rule), nl=False)


def _published_links(text: str, page: str) -> str:
    """A shipped page with its relative links (``../../configuration.md#x``, which lead
    nowhere from a terminal) made web addresses of the published files; links in code
    are text, and are left as written."""
    import posixpath

    import pyromark

    from aixcl_lint.report.model import SOURCE_URL

    data = text.encode("utf-8")
    edits: list[tuple[int, int, str]] = []
    for event, span in pyromark.events_with_range(text):
        start = event.get("Start") if isinstance(event, dict) else None
        link = start.get("Link") or start.get("Image") if isinstance(start, dict) else None
        if not link or link["link_type"] != "Inline":
            continue
        target = link["dest_url"]
        if not target or target.startswith(("#", "/")) or ":" in target.split("/", 1)[0]:
            continue  # in the page, from the site's root, or a web address already
        path, mark, fragment = target.partition("#")
        shown = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        # The destination is written last in the link's source: ](target) or ](target "t").
        at = data.rfind(f"]({target}".encode(), span["start"], span["end"])
        if at >= 0:
            edits.append(
                (at + 2, at + 2 + len(target.encode()), SOURCE_URL + shown + mark + fragment)
            )
    for begin, end, url in reversed(edits):
        data = data[:begin] + url.encode() + data[end:]
    return data.decode("utf-8")


def _governed(rule: Any) -> str:
    """The clause a rule enforces, where that was declared, and whether this repository
    has it ("" for a rule that cites none)."""
    from aixcl_lint.cli.base import _settings
    from aixcl_lint.policy.model import Pack
    from aixcl_lint.run.governance import resolve
    from aixcl_lint.run.load import Loader

    clause = rule.governed_by
    if clause is None:
        return ""
    declared = f"{clause.source}:{clause.line}" if clause.source else "the policy"
    citations, gone = resolve(Loader(_settings((), None, False)), Pack((rule,)))
    if rule.id in citations:
        at = citations[rule.id].location
        here = f"Its heading is at {at.path}:{at.span.start.line}; findings cite it."
    elif rule.id in gone:
        message = gone[rule.id][0].message
        here = f"It is gone ({message.split(', but ', 1)[-1]}): `{rule.id}[governed-by]` says so."
    else:
        here = "This repository has no such document: findings carry no citation."
    return f"\n## Governed by\n\nEnforces {clause.label()} (declared at {declared}). {here}\n"


def _explain_problem(pack: Any, rule_id: str) -> str:
    from aixcl_lint.report import rule_infos

    info = rule_infos(pack)[rule_id]
    return (
        f"# `{rule_id}`\n\n**{info.title}** Severity: {info.severity.label}. Reported by "
        "aixcl-lint itself, not by a policy; the run goes on with the other files. "
        f"Ignore it like any rule (`--ignore {rule_id}`).\n\nDocs: {info.help_uri}\n"
    )


def _explain_rule(rule: Any) -> str:
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
    return "\n".join(lines)


STARTER_CONFIG = """\
# aixcl-lint configuration. Every key is optional; see docs/configuration.md.

# The built-in pack's profile: general (any repository) or aixcl (adds the AIXCL
# platform's invariants: host networking, no port mappings, no custom networks,
# the strict security-policy wording).
{profile}

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

# Whose heading anchors "#fragment" links are checked against: auto (MkDocs' for
# the pages of an mkdocs.yml site, GitHub's elsewhere), github, mkdocs, mkdocs+attr_list.
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
def init(force: bool) -> None:
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
    text = STARTER_CONFIG.replace("{profile}", f"profile: {profile}")
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
    click.echo(f"Wrote {target} with profile {profile} ({why}).")


@cli.command()
def schema() -> None:
    """Print the JSON Schema that policy files are validated against."""
    from aixcl_lint.policy.loader import schema_text

    click.echo(schema_text(), nl=False)
