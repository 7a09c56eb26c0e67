"""Reporters: a run's findings as text for people or formats for machines."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from aixcl_lint.report.github import github_chunks
from aixcl_lint.report.json_format import json_chunks
from aixcl_lint.report.model import DOCS_URL, Report, RuleInfo, rule_infos
from aixcl_lint.report.sarif import sarif_chunks
from aixcl_lint.report.statistics import render_statistics
from aixcl_lint.report.text import text_chunks

Reporter = Callable[[Report, bool], Iterable[str]]
"""Render a report as pieces of its text, in order, for the caller to write as they
come (a large run's output is never held whole); the flag says whether colour is
wanted."""


def junit_chunks(report: Report, colour: bool) -> Iterator[str]:
    """JUnit XML, in one piece (``xml.etree`` is imported only by runs that ask for it)."""
    from aixcl_lint.report import junit

    yield junit.render_junit(report, colour)


REPORTERS: dict[str, Reporter] = {
    "text": text_chunks,
    "json": json_chunks,
    "sarif": sarif_chunks,
    "github": github_chunks,
    "junit": junit_chunks,
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
