"""``--statistics``: how many findings each rule has, and how many of them are fixable."""

from __future__ import annotations

import json
from collections import Counter

from aixcl_lint.report.model import Report


def rows(report: Report) -> list[tuple[str, int, int, str]]:
    """(rule, count, fixable, title) per rule id found, most findings first."""
    counts: Counter[str] = Counter(f.rule for f in report.findings)
    fixable: Counter[str] = Counter(f.rule for f in report.findings if f.fixable)
    ordered = sorted(counts, key=lambda rule: (-counts[rule], rule))
    return [(r, counts[r], fixable[r], report.rule_for(r).title) for r in ordered]


def render_statistics(report: Report, fmt: str) -> str:
    """A table (or, with ``--format json``, a document) of the findings per rule."""
    table = rows(report)
    if fmt == "json":
        entries = [
            {"rule": rule, "count": count, "fixable": fixable, "title": title}
            for rule, count, fixable, title in table
        ]
        return json.dumps({"version": 1, "statistics": entries}, indent=2) + "\n"
    if not table:
        return "" if report.quiet else "No problems found.\n"
    width = max(len(rule) for rule, *_ in table)
    lines = [f"{'count':>5}  {'fixable':>7}  {'rule':<{width}}  title"]
    lines += [
        f"{count:>5}  {fixable:>7}  {rule:<{width}}  {title}"
        for rule, count, fixable, title in table
    ]
    return "\n".join(lines) + "\n"
