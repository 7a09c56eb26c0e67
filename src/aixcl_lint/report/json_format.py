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


def render_json(report: Report, color: bool = False) -> str:
    """The JSON document for a report."""
    counts = report.counts()
    summary: dict[str, Any] = {
        "files": report.files_checked,
        "findings": len(report.findings),
        **{severity.label: n for severity, n in sorted(counts.items(), reverse=True)},
        "fixable": sum(f.fixable for f in report.findings),
    }
    document = {
        "version": 1,
        "findings": [finding_dict(f, report.rule_for(f.rule).governed_by) for f in report.findings],
        "summary": summary,
    }
    return dumps(document)
