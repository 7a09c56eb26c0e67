"""Reporters: a run's findings as text for people or formats for machines.

A run imports only the writer of the format it prints (``REPORTERS`` holds functions
that import theirs when called)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from aixcl_lint.report.model import DOCS_URL, Report, RuleInfo, rule_infos

Reporter = Callable[[Report, bool], Iterable[str]]
"""Render a report as pieces of its text, in order, for the caller to write as they
come (a large run's output is never held whole); the flag says whether colour is
wanted."""


def text_chunks(report: Report, colour: bool) -> Iterable[str]:
    """``--format text`` (``report.text``)."""
    from aixcl_lint.report import text

    return text.text_chunks(report, colour)


def json_chunks(report: Report, colour: bool) -> Iterable[str]:
    """``--format json`` (``report.json_format``)."""
    from aixcl_lint.report import json_format

    return json_format.json_chunks(report, colour)


def sarif_chunks(report: Report, colour: bool) -> Iterable[str]:
    """``--format sarif`` (``report.sarif``)."""
    from aixcl_lint.report import sarif

    return sarif.sarif_chunks(report, colour)


def github_chunks(report: Report, colour: bool) -> Iterable[str]:
    """``--format github`` (``report.github``)."""
    from aixcl_lint.report import github

    return github.github_chunks(report, colour)


def junit_chunks(report: Report, colour: bool) -> Iterator[str]:
    """JUnit XML, in one piece (``xml.etree`` is imported only by runs that ask for it)."""
    from aixcl_lint.report import junit

    yield junit.render_junit(report, colour)


def render_statistics(report: Report, fmt: str) -> str:
    """``--statistics``: the findings counted per rule (``report.statistics``)."""
    from aixcl_lint.report import statistics

    return statistics.render_statistics(report, fmt)


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
