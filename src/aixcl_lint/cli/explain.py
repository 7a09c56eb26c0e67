"""The ``explain`` command: a rule's page (relative links made web addresses), a file
problem's entry, or a user rule described from its policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from aixcl_lint.cli.base import _fail, _pack_for_listing
from aixcl_lint.cli.group import cli, policy_option
from aixcl_lint.cli.info import problem_ids


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
