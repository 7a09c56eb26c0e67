"""``--format github``: workflow commands that annotate a pull request's diff."""

from __future__ import annotations

from collections.abc import Iterator

from aixcl_lint.core import Severity, visible
from aixcl_lint.report.model import Report
from aixcl_lint.report.sarif import REPOSITORY
from aixcl_lint.report.text import summary_line

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    # Workflow-command escaping, after every other control character is made visible
    # (the runner's log would interpret an escape sequence).
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github_chunks(report: Report, color: bool = False) -> Iterator[str]:
    """One ``::error file=...,line=...::message`` line per finding, then the summary,
    a line at a time."""
    for f in report.findings:
        # A finding about the repository as a whole (``.``) is in no file: an
        # annotation without one, shown with the run rather than on the diff.
        props = ",".join(
            []
            if f.path == REPOSITORY
            else [
                f"file={_property(f.path)}",
                f"line={f.line}",
                f"col={f.column}",
                f"endLine={f.end_line}",
                f"endColumn={f.end_column}",
            ]
        )
        props = ",".join(p for p in (props, f"title={_property(f.rule)}") if p)
        citation = report.rule_for(f.rule).governed_by
        cited = f" ({citation.clause.label()})" if citation else ""
        yield f"::{_COMMANDS[f.severity]} {props}::{_data(f.message + cited)}\n"
    yield summary_line(report) + "\n"


def render_github(report: Report, color: bool = False) -> str:
    """One ``::error file=...,line=...::message`` line per finding, then the summary."""
    return "".join(github_chunks(report, color))
