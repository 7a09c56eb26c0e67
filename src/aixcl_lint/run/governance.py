"""Rules that cite the governance clause they enforce: finding the clause, and saying so
when it is gone.

A rule's ``governed-by`` names a repository document and a section number or heading
anchor in it. When the clause is there, the rule's findings cite it (the reporters
show the citation). When it is not (the file deleted, the section renumbered), the
rule's ``[governed-by]`` sub-id reports it at the line that declared the clause and at
the document. The built-in pack's clauses are AIXCL's: in a repository without the
document they are left out silently.
"""

from __future__ import annotations

from collections.abc import Iterator

from aixcl_lint.config import ConfigError, Settings
from aixcl_lint.core import Finding, Location, Position, Span
from aixcl_lint.policy.model import Citation, Clause, Pack
from aixcl_lint.records import replace
from aixcl_lint.run.load import Loader

SUB_ID = "governed-by"
_MARKDOWN = (".md", ".markdown")


def configured(settings: Settings, pack: Pack) -> Pack:
    """The pack with the config file's ``governed-by`` clauses (``false``: none)."""
    if not settings.governed_by:
        return pack
    rules = pack.by_id()
    changed: dict[str, Clause | None] = {}
    for rule_id, spec in settings.governed_by.items():
        path, line = settings.where(f"governed-by.{rule_id}")
        if rule_id not in rules:
            raise ConfigError(path, line, f"governed-by: unknown rule id {rule_id!r}")
        try:
            changed[rule_id] = None if spec is False else Clause.parse(spec, path, line)
        except ValueError as exc:
            raise ConfigError(path, line, str(exc)) from None
    return Pack(
        tuple(
            replace(rule, governed_by=changed[rule.id]) if rule.id in changed else rule
            for rule in pack.rules
        )
    )


def _heading(loader: Loader, clause: Clause) -> Location | None:
    """Where the clause's heading (or HTML anchor) is in its document, if it is there."""
    doc = loader.markdown(clause.path)
    if doc is None:
        return None
    for i, heading in enumerate(doc.data["headings"]):
        if (clause.section and heading["number"] == clause.section) or (
            clause.anchor and heading["slug"].lower() == clause.anchor
        ):
            return Location(clause.path, doc.spans[("headings", i)].value)
    for i, anchor in enumerate(doc.data["anchors"]):
        if clause.anchor and anchor["name"].lower() == clause.anchor:
            return Location(clause.path, doc.spans[("anchors", i)].value)
    return None


def _missing(loader: Loader, clause: Clause) -> str | None:
    """Why the clause cannot be cited, or None: it is there (or nothing is asked of it)."""
    if not (loader.exists(clause.path) and (loader.settings.root / clause.path).is_file()):
        return "the document does not exist"
    if not clause.section and not clause.anchor:
        return None
    if not clause.path.endswith(_MARKDOWN):
        return "the document is not Markdown, so it has no sections"
    if clause.section:
        return f"the document has no heading numbered {clause.section}"
    return f"the document has no heading or anchor '{clause.anchor}'"


def _where(loader: Loader, rule_id: str, clause: Clause, *, exists: bool) -> Iterator[Location]:
    """The declaring key (when its file is one of the repository's), and the document."""
    source = clause.source
    if source and not source.startswith(("<", "/")) and loader.exists(source):
        yield Location(source, _key(loader.line_text(source, clause.line), clause.line, rule_id))
    if exists:
        yield Location(clause.path, Span.at(1))


def _key(text: str, line: int, rule_id: str) -> Span:
    """The key that declares a clause on its line: a policy's ``governed-by``, or the
    rule id a pack's or config file's adjustment is under; else the line's text."""
    for key in ("governed-by", rule_id):
        column = text.find(key)
        if column >= 0:
            return Span(Position(line, column + 1), Position(line, column + 1 + len(key)))
    return Span.at(line, len(text) - len(text.lstrip()) + 1)


def resolve(loader: Loader, pack: Pack) -> tuple[dict[str, Citation], dict[str, list[Finding]]]:
    """Each governed rule's citation, or the findings saying its clause is gone (by rule
    id, with the document's path among their paths)."""
    citations: dict[str, Citation] = {}
    findings: dict[str, list[Finding]] = {}
    for rule in pack.rules:
        clause = rule.governed_by
        if clause is None:
            continue
        exists = loader.exists(clause.path) and (loader.settings.root / clause.path).is_file()
        if not exists and clause.source.startswith("<builtin>"):
            continue  # AIXCL's own documents: another repository need not have them
        found = _heading(loader, clause) if exists and clause.path.endswith(_MARKDOWN) else None
        if found is not None or (exists and not clause.section and not clause.anchor):
            citations[rule.id] = Citation(clause, found or Location(clause.path, Span.at(1)))
            continue
        message = f"{rule.id} enforces {clause.label()}, but {_missing(loader, clause)}"
        findings[rule.id] = [
            Finding(place.path, place.span, f"{rule.id}[{SUB_ID}]", rule.severity, message)
            for place in _where(loader, rule.id, clause, exists=exists)
        ]
    return citations, findings
