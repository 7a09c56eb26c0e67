"""``--format json``: one object, ``{"version": 1, "findings": [...], "summary": {...}}``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import Any

from aixcl_lint.core import Finding, visible
from aixcl_lint.policy.model import Citation
from aixcl_lint.report.model import Report


def finding_dict(finding: Finding, citation: Citation | None = None) -> dict[str, Any]:
    """A finding as the machine contract describes it; ``governed_by`` when its rule
    cites a governance clause."""
    found: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity.label,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
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
    return _escaped(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def _escaped(text: str) -> str:
    """JSON text with its lone surrogates written as ``\\udcXX`` escapes."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def nested(value: Any, level: int) -> str:
    """``value`` as ``dumps`` writes it ``level`` deep in a document (newlines occur in
    JSON text only between members: those in strings are escaped)."""
    return dumps(value)[:-1].replace("\n", "\n" + "  " * level)


_MEMBER = (
    '{{\n      "rule": {},\n      "severity": "{}",\n      "path": {},\n      "line": {},'
    '\n      "column": {},\n      "end_line": {},\n      "end_column": {},\n      "message": {},'
    '\n      "fixable": {}\n    }}'
)
"""A finding without a citation as ``nested(finding_dict(finding), 2)`` writes it."""


def _string(text: str) -> str:
    """A JSON string as ``dumps`` writes it (by the C encoder: with an indent, ``json``
    encodes in Python)."""
    quoted = encode_basestring(text)
    return quoted if quoted.isascii() else _escaped(quoted)


def _member(finding: Finding, citation: Citation | None) -> str:
    """One finding of the ``findings`` array, indented as ``dumps`` indents it there."""
    if citation is not None:
        return nested(finding_dict(finding, citation), 2)
    return _MEMBER.format(
        _string(finding.rule),
        finding.severity.label,
        _string(finding.path),
        finding.line,
        finding.column,
        finding.end_line,
        finding.end_column,
        _string(visible(finding.message)),
        "true" if finding.fixable else "false",
    )


def json_chunks(report: Report, color: bool = False) -> Iterator[str]:
    """The JSON document for a report in pieces, one finding at a time, the bytes
    ``dumps`` would write for the whole document: the caller writes each piece as it
    comes, so a large run never holds its output (``json.dumps`` with an indent joins
    every token of the document at once, many times the size of the text)."""
    counts = report.counts()
    summary: dict[str, Any] = {
        "files": report.files_checked,
        "findings": len(report.findings),
        **{severity.label: n for severity, n in sorted(counts.items(), reverse=True)},
        "fixable": sum(f.fixable for f in report.findings),
    }
    yield '{\n  "version": 1,\n  "findings": ['
    separator = "\n    "
    for finding in report.findings:
        yield separator + _member(finding, report.rule_for(finding.rule).governed_by)
        separator = ",\n    "
    yield "\n  ]" if report.findings else "]"
    yield f',\n  "summary": {nested(summary, 1)}\n}}\n'


def render_json(report: Report, color: bool = False) -> str:
    """The JSON document for a report, as ``dumps`` writes it."""
    return "".join(json_chunks(report, color))
