"""Reporters: a run's findings as text for people or formats for machines."""

from __future__ import annotations

from collections.abc import Callable

from aixcl_lint.report.github import render_github
from aixcl_lint.report.json_format import render_json
from aixcl_lint.report.model import DOCS_URL, Report, RuleInfo, rule_infos
from aixcl_lint.report.sarif import render_sarif
from aixcl_lint.report.statistics import render_statistics
from aixcl_lint.report.text import render_text

Reporter = Callable[[Report, bool], str]
"""Render a report; the flag says whether colour is wanted."""


def render_junit(report: Report, colour: bool) -> str:
    """JUnit XML (``xml.etree`` is imported only by runs that ask for it)."""
    from aixcl_lint.report import junit

    return junit.render_junit(report, colour)


REPORTERS: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "junit": render_junit,
}
"""Output formats by name."""

__all__ = [
    "DOCS_URL",
    "REPORTERS",
    "Report",
    "Reporter",
    "RuleInfo",
    "render_statistics",
    "rule_infos",
]
