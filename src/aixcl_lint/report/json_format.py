"""``--format json``: one object, ``{"version": 1, "findings": [...], "summary": {...}}``."""

from __future__ import annotations

import json
import re
from typing import Any

from aixcl_lint.core import Finding, visible
from aixcl_lint.policy.model import Citation
from aixcl_lint.report.model import Report


def finding_dict(finding: Finding, citation: Citation | None = None) -> dict[str, Any]:
    """A finding as the machine contract describes it; ``governed_by`` when its rule
    cites a governance clause."""
    span = finding.span
    found: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity.label,
        "path": finding.path,
        "line": span.start.line,
        "column": span.start.column,
        "end_line": span.end.line,
        "end_column": span.end.column,
        "message": visible(finding.message),
        "fixable": finding.fixable,
    }
    if citation is not None:
        clause = citation.clause
        found["governed_by"] = {
            "path": clause.path,
            **({"section": clause.section} if clause.section else {}),
            **({"anchor": clause.anchor} if clause.anchor else {}),
            "line": citation.location.span.start.line,
        }
    return found


_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(document: Any) -> str:
    """JSON text of ``document``; a file name's bytes that are not UTF-8 (held as lone
    surrogates) are written as ``\\udcXX`` escapes, which Python's ``json`` reads
    back to the same name (``os.fsencode`` gives the bytes)."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _nested(value: Any, level: int) -> str:
    """``value`` as ``dumps`` writes it ``level`` deep in a document (newlines occur in
    JSON text only between members: those in strings are escaped)."""
    return dumps(value)[:-1].replace("\n", "\n" + "  " * level)


def render_json(report: Report, color: bool = False) -> str:
    """The JSON document for a report, as ``dumps`` writes it, built one finding at a
    time: ``json.dumps`` with an indent joins every token of the document at once, many
    times the size of the text itself on a large run."""
    counts = report.counts()
    summary: dict[str, Any] = {
        "files": report.files_checked,
        "findings": len(report.findings),
        **{severity.label: n for severity, n in sorted(counts.items(), reverse=True)},
        "fixable": sum(f.fixable for f in report.findings),
    }
    parts = ['{\n  "version": 1,\n  "findings": [']
    for i, finding in enumerate(report.findings):
        member = _nested(finding_dict(finding, report.rule_for(finding.rule).governed_by), 2)
        parts.append(("\n    " if i == 0 else ",\n    ") + member)
    parts.append("\n  ]" if report.findings else "]")
    parts.append(f',\n  "summary": {_nested(summary, 1)}\n}}\n')
    return "".join(parts)
