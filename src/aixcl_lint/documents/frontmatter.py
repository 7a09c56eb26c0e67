"""A Markdown file's YAML front matter: its data, spans and problems, placed in the file."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from aixcl_lint.core import Finding, Pointer, Position, Severity, Span
from aixcl_lint.documents import yamltree
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.records import record


@record(frozen=False)
class FrontMatter:
    """The front matter's data (None: none usable), spans below ``front_matter``, problems."""

    data: dict[str, Any] | None = None
    spans: dict[Pointer, NodeSpans] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)


def _shift(span: Span, lines: int) -> Span:
    return Span(*(Position(p.line + lines, p.column) for p in (span.start, span.end)))


def parse(path: str, text: str) -> FrontMatter:
    """Front matter starts on line 2, after the opening ``---``."""
    parsed = yamltree.parse(path, text)
    found = FrontMatter(problems=[f.but(span=_shift(f.span, 1)) for f in parsed.problems])
    if not parsed.documents:
        return found
    document = parsed.documents[0]
    if not isinstance(document.data, dict):
        message = "front matter is not a mapping; it is ignored"
        found.problems.append(
            Finding(path, Span.at(1), "markdown/front-matter", Severity.ERROR, message)
        )
        return found
    found.data = document.data
    for ptr, spans in document.spans.items():
        key = _shift(spans.key, 1) if spans.key else None
        found.spans[("front_matter", *ptr)] = NodeSpans(_shift(spans.value, 1), key)
    return found
