"""``--format junit``: JUnit XML, one test case per finding (or one passing case)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from aixcl_lint.core import visible
from aixcl_lint.report.model import Report
from aixcl_lint.report.sarif import REPOSITORY


def render_junit(report: Report, color: bool = False) -> str:
    """A JUnit XML document; findings at or above the failing severity are failures, the
    others are skipped (a warning does not fail a run that fails on errors)."""
    failures = sum(f.severity >= report.fail_on for f in report.findings)
    skipped = len(report.findings) - failures
    suites = ET.Element(
        "testsuites",
        name="aixcl-lint",
        tests=str(max(1, len(report.findings))),
        failures=str(failures),
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="aixcl-lint",
        tests=str(max(1, len(report.findings))),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
    )
    if not report.findings:
        ET.SubElement(
            suite, "testcase", classname="aixcl-lint", name=f"{report.files_checked} files checked"
        )
    for f in report.findings:
        # XML 1.0 cannot hold most control characters even as references.
        citation = report.rule_for(f.rule).governed_by
        cited = f" ({citation.clause.label()})" if citation else ""
        path, message = visible(f.path), visible(f.message + cited)
        case = ET.SubElement(
            suite, "testcase", classname=f.rule, name=f"{path}:{f.line}:{f.column}"
        )
        if f.path != REPOSITORY:  # a finding about the repository as a whole is in no file
            case.set("file", path)
            case.set("line", str(f.line))
        if citation is not None:
            properties = ET.SubElement(case, "properties")
            ET.SubElement(
                properties, "property", name="governed_by", value=visible(citation.clause.label())
            )
        kind = "skipped" if f.severity < report.fail_on else "failure"
        child = ET.SubElement(case, kind, message=message)
        if kind == "failure":
            child.set("type", f.rule)
            child.text = f"{path}:{f.line}:{f.column}: {f.severity.label} {f.rule} {message}"
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
