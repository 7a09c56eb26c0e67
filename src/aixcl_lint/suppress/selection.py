"""``select`` / ``ignore`` / ``severity`` from config: which rule ids a run reports, and how.

An entry names a rule id (``compose/image-pinned``, which covers its sub-ids), one
sub-id (``compose/image-pinned[latest]``), or a prefix of whole segments (``compose``,
``compose/``). ``ignore`` wins over ``select``; the most specific ``severity`` entry wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from aixcl_lint.core import Finding, Severity
from aixcl_lint.records import record

if TYPE_CHECKING:  # perfile imports this module
    from aixcl_lint.suppress.perfile import PerFileIgnores

NOT_CHECKED = frozenset(
    {
        "run/crash",
        "run/timeout",
        "yaml/parse-error",
        "yaml/too-deep",
        "yaml/alias-bomb",
        "file/too-large",
        "file/binary",
        "file/not-utf8",
        "file/unreadable",
        "file/not-regular",
        "file/outside-repository",
        "markdown/too-complex",
        "compose/invalid[schema]",
        "compose/invalid[null-service]",
    }
)
"""What could not be checked (a unit that failed, a file that could not be read or
parsed, a compose service the schema rejects, which rules are not given) is reported
whatever ``select`` says: a run limited to some rules must not pass because the file
holding their violations was never read, as ruff always reports a syntax error. Only
``ignore`` naming the id (or a prefix of it) hides it."""


def covers(entry: str, rule_id: str) -> bool:
    """Whether a select/ignore entry names ``rule_id``."""
    entry = entry.rstrip("/")
    return rule_id == entry or rule_id.startswith((entry + "/", entry + "["))


def unknown(entries: Iterable[str], known_ids: Iterable[str]) -> list[str]:
    """Entries that name no known rule id."""
    ids = list(known_ids)
    return [e for e in entries if not any(covers(e, rule_id) for rule_id in ids)]


@record
class Selection:
    """The compiled select / ignore / severity settings."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] | None = None
    per_file: PerFileIgnores | None = None
    """``per-file-ignores``: ids not reported in some files."""

    def keeps(self, rule_id: str) -> bool:
        """Whether findings of ``rule_id`` are reported."""
        if rule_id in NOT_CHECKED:
            return not any(covers(e, rule_id) for e in self.ignore)
        selected = not self.select or any(covers(e, rule_id) for e in self.select)
        return selected and not any(covers(e, rule_id) for e in self.ignore)

    def excludes_rule(self, rule_id: str) -> bool:
        """Whether no finding of ``rule_id`` or any of its sub-ids can be reported."""
        if any(covers(e, rule_id) for e in self.ignore):
            return True
        return bool(self.select) and not any(
            covers(e, rule_id) or e.startswith(rule_id + "[") for e in self.select
        )

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Findings this selection keeps, with severities overridden."""
        overrides = sorted((self.severity or {}).items(), key=lambda kv: len(kv[0]))
        kept = []
        for finding in findings:
            if not self.keeps(finding.rule):
                continue
            if self.per_file is not None and self.per_file.ignores(finding):
                continue
            # Shortest entry first, so the most specific one is applied last and wins.
            severities = [s for entry, s in overrides if covers(entry, finding.rule)]
            severity = severities[-1] if severities else finding.severity
            # a copy only where the severity changes: most findings are kept as they are
            same = severity == finding.severity
            kept.append(finding if same else finding.but(severity=severity))
        return kept
