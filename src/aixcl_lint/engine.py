"""The engine: documents x rules -> findings. Pure: no I/O, no globals.

Checks say where and what; the engine stamps each finding with the rule id (and
sub-id), the severity and the rendered message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pathspec

from aixcl_lint.core import Finding, Kind, Location, Span
from aixcl_lint.policy.model import Check, Pack, Rule, Subject, Tree
from aixcl_lint.policy.selectors import SELECTORS
from aixcl_lint.policy.template import render


@dataclass(frozen=True)
class Document:
    """A loaded document the engine can evaluate: its kind, files and tree."""

    kind: Kind
    files: tuple[str, ...]
    tree: Tree


def _file_filter(rule: Rule) -> pathspec.PathSpec[Any] | None:
    return pathspec.GitIgnoreSpec.from_lines(rule.files) if rule.files else None


def _exempt(condition: Any, subject: Subject, options: Mapping[str, Any]) -> bool:
    return condition is not None and condition(subject, options).ok is True


def _findings(
    rule: Rule, check: Check, doc: Document, options: Mapping[str, Any]
) -> Iterator[Finding]:
    for subject in SELECTORS[doc.kind][check.selector](doc.tree):
        if _exempt(rule.unless, subject, options) or _exempt(check.unless, subject, options):
            continue
        outcome = check.evaluate(subject, options)
        if outcome.ok is not False:
            continue
        where = (
            outcome.where
            or doc.tree.location(subject.pointer)
            or Location(doc.files[0], Span.at(1))
        )
        message = render(check.message, {**subject.variables, **outcome.variables})
        yield Finding(
            where.path, where.span, rule.full_id(check), check.severity or rule.severity, message
        )


def evaluate(
    pack: Pack,
    documents: Iterable[Document],
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Finding]:
    """Every finding of every rule on every document, sorted, without duplicates."""
    filters = {rule.id: _file_filter(rule) for rule in pack.rules}
    found: set[Finding] = set()
    for doc in documents:
        for rule in pack.rules:
            if rule.kind is not doc.kind:
                continue
            spec = filters[rule.id]
            if spec is not None and not any(spec.match_file(f) for f in doc.files):
                continue
            rule_options = {**rule.options, **(options or {}).get(rule.id, {})}
            for check in rule.checks:
                found.update(_findings(rule, check, doc, rule_options))
    return sorted(found)
