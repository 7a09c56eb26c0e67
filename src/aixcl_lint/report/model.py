"""What every reporter is given."""

from __future__ import annotations

from dataclasses import dataclass

from aixcl_lint.core import Finding, Severity


@dataclass(frozen=True)
class Report:
    """Findings of a run, sorted, and how many files were checked."""

    findings: tuple[Finding, ...]
    files_checked: int

    def counts(self) -> dict[Severity, int]:
        """Findings per severity, every severity present."""
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts
