"""``--format text``: ``path:line:col: severity rule-id message``, grouped by file."""

from __future__ import annotations

from aixcl_lint.core import Severity
from aixcl_lint.report.model import Report

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(report: Report) -> str:
    """One line that counts what was found."""
    files = _plural(report.files_checked, "file")
    if not report.findings:
        return f"All clear: no problems in {files} checked."
    counts = report.counts()
    parts = [_plural(counts[s], s.label) for s in sorted(Severity, reverse=True) if counts[s]]
    paths = len({f.path for f in report.findings})
    return (
        f"Found {_plural(len(report.findings), 'problem')} ({', '.join(parts)}) "
        f"in {_plural(paths, 'file')}; {files} checked."
    )


def render_text(report: Report, color: bool = False) -> str:
    """The findings, one per line, a blank line between files, then the summary."""
    lines: list[str] = []
    previous = None
    for finding in report.findings:
        if previous is not None and finding.path != previous:
            lines.append("")
        previous = finding.path
        where = _paint(f"{finding.path}:{finding.line}:{finding.column}:", "1", color)
        severity = _paint(finding.severity.label, _COLOURS[finding.severity], color)
        rule = _paint(finding.rule, "2", color)
        citation = report.rule_for(finding.rule).governed_by
        cited = f" ({citation.clause.label()})" if citation else ""
        lines.append(f"{where} {severity} {rule} {finding.message}{cited}")
    if lines:
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
