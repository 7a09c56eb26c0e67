"""The engine: documents x rules -> findings. Pure: no I/O, no globals.

Checks say where and what; the engine stamps each finding with the rule id (and
sub-id), the severity and the rendered message.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import pathspec

from aixcl_lint import globs as patterns
from aixcl_lint.core import Finding, Location, Span, finding_key, matchable
from aixcl_lint.kinds.base import Document
from aixcl_lint.policy.extract import TODAY
from aixcl_lint.policy.model import Check, Evaluator, Outcome, Pack, Rule, Subject, Tree
from aixcl_lint.policy.template import render

__all__ = ["Document", "Violation", "evaluate", "fingerprints", "violations"]


_NOTHING = pathspec.GitIgnoreSpec.from_lines([])


class FileFilters:
    """Each rule's ``target.files`` globs (perhaps named by an option), compiled once."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, ...], pathspec.PathSpec[Any]] = {}

    def _spec(self, globs: tuple[str, ...]) -> pathspec.PathSpec[Any]:
        spec = self.cache.get(globs)
        if spec is None:
            spec = self.cache[globs] = patterns.lenient_spec(globs) or _NOTHING
        return spec

    def admits(self, rule: Rule, options: Mapping[str, Any], files: tuple[str, ...]) -> bool:
        """Whether the rule reads a document of ``files``: one of them is not excluded
        and (if the rule names files) matches its globs."""
        if rule.exclude:
            excluded = self._spec(rule.exclude)
            files = tuple(f for f in files if not excluded.match_file(matchable(f)))
            if not files:
                return False
        globs = rule.files
        if isinstance(globs, str):
            # The name of an option holding paths from the repository root (the same
            # paths file-exists and one-of compare with), anchored as globs.
            found = options.get(globs) or []
            paths = found if isinstance(found, list) else [found]
            globs = tuple("/" + str(p).lstrip("/") for p in paths)
        if not globs:
            return True
        spec = self._spec(globs)
        return any(spec.match_file(matchable(f)) for f in files)


def _exempt(condition: Evaluator | None, subject: Subject, options: Mapping[str, Any]) -> bool:
    return condition is not None and condition(subject, options).ok is True


def _chosen(condition: Evaluator | None, subject: Subject, options: Mapping[str, Any]) -> bool:
    return condition is None or condition(subject, options).ok is True


def _places(tree: Tree, outcome: Outcome, subject: Subject) -> list[Location]:
    ptr = subject.pointer if outcome.ptr is None else outcome.ptr
    if outcome.everywhere:
        return tree.locations(ptr)
    if outcome.at is not None:
        return [outcome.at, *outcome.also]
    where = tree.location(ptr, value=outcome.at_value) or tree.location(subject.pointer)
    return ([where] if where else []) + list(outcome.also)


class Violation(NamedTuple):
    """One failed check on one subject, with the findings it gives (the fix layer's input)."""

    rule: Rule
    check: Check
    check_index: int
    """The check's position in its rule."""
    document: Document
    subject: Subject
    outcome: Outcome
    findings: tuple[Finding, ...]


def _violations(
    rule: Rule, doc: Document, options: Mapping[str, Any], subjects: dict[str, list[Subject]]
) -> Iterator[Violation]:
    for selector in dict.fromkeys(check.selector for check in rule.checks):
        checks = [(i, check) for i, check in enumerate(rule.checks) if check.selector == selector]
        if selector not in subjects:  # selected once per document, whatever rules ask
            subjects[selector] = list(checks[0][1].pick(doc.tree))
        for subject in subjects[selector]:
            # The rule's own where / unless speak of its own selector's subjects.
            if selector == rule.selector and (
                _exempt(rule.unless, subject, options) or not _chosen(rule.where, subject, options)
            ):
                continue
            for index, check in checks:
                if _exempt(check.unless, subject, options) or not _chosen(
                    check.where, subject, options
                ):
                    continue
                outcome = check.evaluate(subject, options)
                if outcome.ok is not False:
                    continue
                message = render(check.message, {**subject.variables, **outcome.variables()})
                severity = check.severity or rule.severity
                places = _places(doc.tree, outcome, subject) or [Location(doc.files[0], Span.at(1))]
                rule_id, fixable = rule.full_id(check), check.fix is not None
                findings = tuple(
                    Finding(place.path, place.span, rule_id, severity, message, fixable)
                    for place in places
                )
                yield Violation(rule, check, index, doc, subject, outcome, findings)


def violations(
    pack: Pack,
    documents: Iterable[Document],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    today: datetime.date | None = None,
) -> Iterator[Violation]:
    """Every failed check of every rule on every document, in rule and subject order.

    ``today`` is the date date checks compare with (the caller's clock by default).
    """
    filters = FileFilters()
    day = today or datetime.date.today()
    rule_options = {
        rule.id: {**rule.options, **(options or {}).get(rule.id, {}), TODAY: day}
        for rule in pack.rules
    }
    for doc in documents:
        subjects: dict[str, list[Subject]] = {}
        for rule in pack.rules:
            if rule.kind == doc.kind and filters.admits(rule, rule_options[rule.id], doc.files):
                yield from _violations(rule, doc, rule_options[rule.id], subjects)


def evaluate(
    pack: Pack,
    documents: Iterable[Document],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    today: datetime.date | None = None,
) -> list[Finding]:
    """Every finding of every rule on every document, sorted, without duplicates.

    Findings of a check that has a fix are ``fixable``.
    """
    found: set[Finding] = set()
    for violation in violations(pack, documents, options, today):
        found.update(violation.findings)
    return sorted(found, key=finding_key)


_LONG_LINE = 512


def fingerprints(
    findings: Iterable[Finding], line_text: Callable[[str, int], str]
) -> dict[Finding, str]:
    """Identities that survive unrelated edits: rule, path, message and the finding's line
    text (not its number), plus an occurrence count for look-alikes in one file."""
    seen: Counter[str] = Counter()
    result = {}
    lines: dict[tuple[str, int], str] = {}  # each line's text, normalized once
    for finding in sorted(findings, key=finding_key):
        where = (finding.path, finding.line)
        if where not in lines:
            text = " ".join(line_text(*where).split())
            # A long line stands for itself by its digest: keys stay small, and the
            # fingerprints of ordinary lines (and so existing baselines) are unchanged.
            long = len(text) > _LONG_LINE
            lines[where] = f"sha256:{hashlib.sha256(_bytes(text)).hexdigest()}" if long else text
        key = "\0".join((finding.rule, finding.path, finding.message, lines[where]))
        seen[key] += 1
        digest = hashlib.sha256(_bytes(f"{key}\0{seen[key]}")).hexdigest()[:32]
        result[finding] = digest
    return result


def _bytes(text: str) -> bytes:
    """UTF-8, with a file name's undecodable bytes (lone surrogates) as they were."""
    return text.encode("utf-8", "surrogateescape")
