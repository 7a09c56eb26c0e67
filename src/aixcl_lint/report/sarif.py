"""``--format sarif``: SARIF 2.1.0 for code scanning."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from typing import Any

from aixcl_lint import __version__
from aixcl_lint.core import Finding, Severity, Span, visible
from aixcl_lint.documents.interpolate import set_in
from aixcl_lint.report.json_format import dumps, nested
from aixcl_lint.report.model import Report, RuleInfo

REPOSITORY = "."
"""The path of a finding about the repository as a whole (``kinds.tree``)."""
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _descriptor(rule_id: str, info: RuleInfo) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": info.id,
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.description or info.title},
        "defaultConfiguration": {"level": _LEVELS[info.severity]},
    }
    parts = [info.description or info.title]
    if info.governed_by:
        parts.append(f"Enforces {info.governed_by.clause.label()}.")
    if info.help_uri:
        descriptor["helpUri"] = info.help_uri
        parts.append(info.help_uri)
    if len(parts) > 1:
        descriptor["help"] = {"text": "\n\n".join(parts)}
    return descriptor


def uri(path: str) -> str:
    """A relative path as a URI reference: its bytes percent-encoded, ``/`` kept."""
    return urllib.parse.quote(os.fsencode(path), safe="/")


def _physical(path: str, span: Span) -> dict[str, Any]:
    return {
        "artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"},
        "region": {
            "startLine": span.start.line,
            "startColumn": span.start.column,
            "endLine": span.end.line,
            "endColumn": span.end.column,
        },
    }


def _locations(finding: Finding, info: RuleInfo) -> list[dict[str, Any]]:
    """Where a result is. A finding about the repository as a whole (a required file
    missing) is in no file: GitHub code scanning refuses a result without a file
    (it needs one location with a physical location), so it is shown at the rule's
    declaration when a repository file declares it, and has no location otherwise."""
    if finding.path != REPOSITORY:
        return [{"physicalLocation": _physical(finding.path, finding.span)}]
    if info.declared is None:
        return []
    path, line = info.declared
    text = "the repository as a whole: no one file holds this; the rule is declared here"
    return [{"physicalLocation": _physical(path, Span.at(line)), "message": {"text": text}}]


def _related(finding: Finding, info: RuleInfo) -> list[dict[str, Any]]:
    """Other places that take part: the governance clause the rule enforces, and the
    env file line setting each variable the value read (``(TAG set in .env:2)``). An
    env line is a region of its whole line: the message names no column."""
    related: list[dict[str, Any]] = []
    citation = info.governed_by
    if citation is not None:
        where = citation.location
        text = f"governed by {citation.clause.label()}"
        related.append({"physicalLocation": _physical(where.path, where.span), "text": text})
    if " in " in finding.message:
        for name, path, line in set_in(finding.message):
            location: dict[str, Any] = {
                "artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"}
            }
            location["region"] = {"startLine": line}
            related.append({"physicalLocation": location, "text": f"{name} is set here"})
    return [
        {"id": i, "physicalLocation": r["physicalLocation"], "message": {"text": r["text"]}}
        for i, r in enumerate(related, 1)
    ]


def _result(
    finding: Finding, index: int, fingerprint: str | None, info: RuleInfo
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": _LEVELS[finding.severity],
        "message": {"text": visible(finding.message)},
    }
    locations = _locations(finding, info)
    if locations:
        result["locations"] = locations
    related = _related(finding, info)
    if related:
        result["relatedLocations"] = related
    if fingerprint:
        result["partialFingerprints"] = {"aixclLint/v1": fingerprint}
    return result


def sarif_chunks(report: Report, color: bool = False) -> Iterator[str]:
    """One SARIF log with one run, in pieces: the log around its results, then each
    result as it is made (the bytes ``dumps`` writes for the whole log)."""
    ids = sorted(set(report.rules) | {f.rule for f in report.findings})
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    run = {
        "tool": {
            "driver": {
                "name": "aixcl-lint",
                "version": __version__,
                "informationUri": "https://github.com/aixcl/aixcl-lint",
                "rules": [_descriptor(rule_id, report.rule_for(rule_id)) for rule_id in ids],
            }
        },
        "originalUriBaseIds": {
            "%SRCROOT%": {"description": {"text": "The root of the repository that was linted."}}
        },
        "columnKind": "unicodeCodePoints",
        "results": [],
    }
    log = dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]})
    # The run's last member: only closing brackets follow it, never text of a rule.
    before, _, after = log.rpartition('"results": []')
    yield before + '"results": '
    separator = "[\n        "
    for f in report.findings:
        result = _result(f, index[f.rule], report.fingerprints.get(f), report.rule_for(f.rule))
        yield separator + nested(result, 4)
        separator = ",\n        "
    yield "\n      ]" if report.findings else "[]"
    yield after


def render_sarif(report: Report, color: bool = False) -> str:
    """One SARIF log with one run."""
    return "".join(sarif_chunks(report, color))
