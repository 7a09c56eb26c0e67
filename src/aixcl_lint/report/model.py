"""What every reporter is given."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field

from aixcl_lint.core import Finding, Severity
from aixcl_lint.documents.problems import PROBLEMS
from aixcl_lint.policy.model import Citation, Pack, Rule
from aixcl_lint.records import record
from aixcl_lint.suppress import SUPPRESS_PROBLEMS

SOURCE_URL = "https://github.com/aixcl/aixcl-lint/blob/main/"
"""Where the project's files (docs and policies) are published, by their path."""
DOCS_URL = SOURCE_URL + "docs/rules/{id}.md"
"""Where the built-in rules' pages are published; ``{id}`` is the rule id."""
PROBLEMS_URL = SOURCE_URL + "docs/rules/README.md#findings-about-the-files-themselves"
"""Where the findings about files are documented."""
SUPPRESS_URL = SOURCE_URL + "docs/rules/README.md#findings-about-suppressions"
"""Where the findings about suppressions are documented."""
_WARNINGS = {
    "suppress/missing-reason",
    "suppress/unknown-rule",
    "suppress/unused",
    "suppress/unused-waiver",
}
"""Findings about suppressions that are warnings (the rest are errors)."""


@record
class RuleInfo:
    """What a report says about a rule: id, title, description, docs."""

    id: str
    title: str
    severity: Severity
    description: str = ""
    help_uri: str | None = None
    governed_by: Citation | None = None
    """The governance clause the rule enforces, found in the repository."""
    declared: tuple[str, int] | None = None
    """The repository file and line that declare the rule (None: the built-in pack, or
    a policy from outside the repository): where SARIF shows a finding about the
    repository as a whole, which no file holds."""


@record
class Report:
    """Findings of a run, sorted, how many files were checked, and the rules involved."""

    findings: tuple[Finding, ...]
    files_checked: int
    rules: Mapping[str, RuleInfo] = field(default_factory=dict)
    fingerprints: Mapping[Finding, str] = field(default_factory=dict)
    lines: Mapping[tuple[str, int], str] = field(default_factory=dict)
    """Source text of the line each finding starts on (for code frames), by path and line."""
    fail_on: Severity = Severity.ERROR
    """The lowest severity that fails the run: formats with pass / fail use it."""
    concise: bool = False
    """Text without code frames: one line per finding."""
    quiet: bool = False
    """Text without the summary line."""
    shown: Callable[[str], str] | None = field(default=None, compare=False)
    """How text output shows a repository path (from the working directory, as ruff
    does: ``report.text.paths_from``); None: as it is, from the repository's root."""

    def counts(self) -> dict[Severity, int]:
        """Findings per severity, every severity present."""
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def rule_for(self, rule_id: str) -> RuleInfo:
        """The rule a finding's id names (a sub-id falls back to its rule)."""
        found = self.rules.get(rule_id) or self.rules.get(rule_id.split("[", 1)[0])
        return found or RuleInfo(rule_id, rule_id, Severity.ERROR)


def _help_uri(rule: Rule) -> str | None:
    if rule.source.startswith("<builtin>"):
        return DOCS_URL.format(id=rule.id)
    return next((r for r in rule.references if r.startswith(("https://", "http://"))), None)


def _declared(rule: Rule) -> tuple[str, int] | None:
    """A rule's policy file and line, when that is a repository path (a policy from
    outside the repository is shown by its absolute path, the built-in pack's as
    ``<builtin>/...``)."""
    source = rule.source
    if not source or source.startswith(("<", "/")) or ".." in source.split("/"):
        return None
    return source, rule.line


def rule_infos(pack: Pack, citations: Mapping[str, Citation] | None = None) -> dict[str, RuleInfo]:
    """What reports say about every rule and sub-id of a pack, and about file problems;
    ``citations``: the clause each governed rule enforces (from the run)."""
    cited = citations or {}
    problems = {**PROBLEMS, **SUPPRESS_PROBLEMS}
    infos = {
        rule_id: RuleInfo(
            rule_id,
            text,
            Severity.WARNING if rule_id in _WARNINGS else Severity.ERROR,
            text,
            SUPPRESS_URL if rule_id in SUPPRESS_PROBLEMS else PROBLEMS_URL,
        )
        for rule_id, text in problems.items()
    }
    for rule in pack.rules:
        uri = _help_uri(rule)
        citation = cited.get(rule.id)
        declared = _declared(rule)
        infos[rule.id] = RuleInfo(
            rule.id, rule.title, rule.severity, rule.rationale, uri, citation, declared
        )
        for check in rule.checks:
            if check.sub_id:
                infos[rule.full_id(check)] = RuleInfo(
                    rule.full_id(check),
                    f"{rule.title} ({check.sub_id})",
                    check.severity or rule.severity,
                    rule.rationale,
                    uri,
                    citation,
                    declared,
                )
    return infos
