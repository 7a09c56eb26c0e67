"""The engine: documents x rules -> findings. Pure: no I/O, no globals.

Checks say where and what; the engine stamps each finding with the rule id (and
sub-id), the severity and the rendered message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from aixcl_lint.core import Finding, Kind, Location, Severity, Span, finding_key
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.kinds import KINDS
from aixcl_lint.kinds.base import Document
from aixcl_lint.policy.checks import needs
from aixcl_lint.policy.extract import TODAY
from aixcl_lint.policy.model import (
    Check,
    Evaluator,
    Outcome,
    Pack,
    Rule,
    Selector,
    Subject,
    Tree,
    Verdict,
)
from aixcl_lint.policy.targets import FileFilters, file_globs
from aixcl_lint.policy.template import Formatter, formatter
from aixcl_lint.policy.verdicts import pure, verdict

__all__ = [
    "Document",
    "Evaluation",
    "FileFilters",
    "Guard",
    "Violation",
    "evaluate",
    "file_globs",
    "violations",
]


class _AsWritten:
    """The tree of a subject made of a file's variables alone (``KindSpec.file_variables``):
    its kinds interpolate text as it is."""

    data = None

    def location(self, ptr: Any, *, value: bool = False) -> None:
        return None

    def locations(self, ptr: Any) -> list[Location]:
        return []

    def interpolate(self, value: Any) -> str:
        return value if isinstance(value, str) else scalar_text(value)


_AS_WRITTEN = _AsWritten()


class Guard(NamedTuple):
    """A check of a rule, made ready to ask of each subject (unpacked as a tuple in the
    engine's loop)."""

    position: int
    """The check's position in its rule."""
    check: Check
    unless: Verdict | None
    where: Verdict | None
    rule_id: str
    """The id its findings carry (one string for all of them)."""
    key: str | None
    """The key a subject's mapping must hold for the check to apply (``checks.needs``;
    None: any subject)."""
    holds: Verdict
    """The check's own verdict: its ``Outcome`` is built only when this says it fails."""
    first: bool
    """Whether ``holds`` is asked first: the check and its conditions are pure
    (``verdicts.pure``), so they are asked only where it fails."""
    message: Formatter
    severity: Severity
    fixable: bool


class _Group(NamedTuple):
    """A rule's checks on one selector's subjects."""

    selector: str
    pick: Selector
    own: bool
    """The rule's own selector: the rule's ``where`` / ``unless`` apply to its subjects."""
    checks: tuple[Guard, ...]
    needs: frozenset[str] | None
    """Keys one of which a subject's mapping must hold for any check to apply (None:
    every subject may be checked): a link without a fragment is not read for
    ``fragment_exists``, nor its rule's ``unless`` evaluated."""
    asks: tuple[tuple[str | None, Verdict, bool, Guard], ...]
    """Each check's key, verdict and whether it is asked first (``Guard``), as the
    engine's loop reads them for every subject."""


def _guard(rule: Rule, index: int, check: Check) -> Guard:
    unless, where, evaluate = check.unless, check.where, check.evaluate
    return Guard(
        index,
        check,
        _verdict(unless),
        _verdict(where),
        rule.full_id(check),
        needs(evaluate),
        verdict(evaluate),
        pure(evaluate) and pure(unless) and pure(where),
        formatter(check.message),
        check.severity or rule.severity,
        check.fix is not None,
    )


def _group(rule: Rule, selector: str) -> _Group:
    checks = tuple(_guard(rule, i, c) for i, c in enumerate(rule.checks) if c.selector == selector)
    keys = [guard.key for guard in checks]
    return _Group(
        selector,
        next(c.pick for c in rule.checks if c.selector == selector),
        selector == rule.selector,
        checks,
        None if None in keys else frozenset(k for k in keys if k is not None),
        tuple((guard.key, guard.holds, guard.first, guard) for guard in checks),
    )


class _Planned:
    """One rule ready to evaluate: options merged, target globs compiled, checks grouped
    by selector, and ``where`` / ``unless`` decided per file when only the file's
    variables decide them."""

    def __init__(
        self,
        rule: Rule,
        options: dict[str, Any],
        file_variables: frozenset[str],
        filters: FileFilters,
    ):
        self.rule, self.options, self.filters = rule, options, filters
        self.exclude, self.globs = rule.exclude, file_globs(rule, options)
        by_file = {
            key: names
            for key, names in (("unless", rule.unless_variables), ("where", rule.where_variables))
            if names is not None and names <= file_variables
        }
        self.by_file = by_file
        self.everywhere = not (self.exclude or self.globs or by_file)
        """The rule reads every document of its kind (``admits`` need not be asked)."""
        self.unless = None if "unless" in by_file else _verdict(rule.unless)
        self.where = None if "where" in by_file else _verdict(rule.where)
        self.lazy = pure(rule.unless) and pure(rule.where)
        """The rule's conditions may wait until one of its checks fails."""
        self.groups = tuple(
            _group(rule, selector)
            for selector in dict.fromkeys(check.selector for check in rule.checks)
        )

    def admits(self, files: tuple[str, ...]) -> bool:
        """Whether the rule reads a document of these files: its globs select one, and its
        conditions decided by the file alone do not leave the file out."""
        if not self.filters.passes(self.exclude, self.globs, files):
            return False
        if self.by_file and files:
            names = self.by_file.get("unless", frozenset()) | self.by_file.get("where", frozenset())
            probe = Subject(_AS_WRITTEN, (), dict.fromkeys(names, files[0]))
            rule = self.rule
            if "unless" in self.by_file and _holds(rule.unless, probe, self.options):
                return False
            if "where" in self.by_file and not _holds(rule.where, probe, self.options):
                return False
        return True


def _verdict(condition: Evaluator | None) -> Verdict | None:
    return None if condition is None else verdict(condition)


def _holds(condition: Evaluator | None, subject: Subject, options: Mapping[str, Any]) -> bool:
    return condition is not None and verdict(condition)(subject, options) is True


def _places(tree: Tree, outcome: Outcome, subject: Subject) -> list[Location]:
    ptr = subject.pointer if outcome.ptr is None else outcome.ptr
    if outcome.everywhere:
        return tree.locations(ptr)
    if outcome.at is not None:
        return [outcome.at, *outcome.also]
    where = tree.location(ptr, value=outcome.at_value) or tree.location(subject.pointer)
    return ([where] if where else []) + list(outcome.also)


def _variables_set(tree: Tree, outcome: Outcome) -> str:
    """Where an interpolated value's variables were set (`` (TAG set in .env:2)``), for a
    document whose variables come from files (a compose project's ``.env``, or an
    included project's, whose values are interpolated when imported)."""
    raw = outcome.raw
    if raw != outcome.value and "$" in raw:
        where = getattr(tree, "variables_set", None)
        return str(where(raw)) if where is not None else ""
    cited = getattr(tree, "variables_cited", None)
    return str(cited(outcome.ptr)) if cited is not None and outcome.ptr is not None else ""


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


def _violation(
    rule: Rule, guard: Guard, doc: Document, subject: Subject, outcome: Outcome
) -> Violation:
    message = guard.message({**subject.variables, **outcome.variables()})
    message += _variables_set(doc.tree, outcome)
    places = _places(doc.tree, outcome, subject) or [Location(doc.files[0], Span.at(1))]
    rule_id, severity, fixable = guard.rule_id, guard.severity, guard.fixable
    findings = tuple(
        Finding(place.path, place.span, rule_id, severity, message, fixable) for place in places
    )
    return Violation(rule, guard.check, guard.position, doc, subject, outcome, findings)


def _violations(
    planned: _Planned, doc: Document, subjects: dict[str, list[Subject]]
) -> Iterator[Violation]:
    rule, options, unless, where = planned.rule, planned.options, planned.unless, planned.where
    for group in planned.groups:
        chosen = subjects.get(group.selector)
        if chosen is None:  # selected once per document, whatever rules ask
            chosen = subjects[group.selector] = list(group.pick(doc.tree))
        # The rule's own where / unless speak of its own selector's subjects; pure ones
        # are asked once a check fails, others before any check.
        own = group.own and (unless is not None or where is not None)
        eager = own and not planned.lazy
        # One check's key is asked by the check itself: the subject's keys need not be
        # looked at first unless conditions are asked before any check.
        keys = group.needs if eager or len(group.asks) > 1 else None
        for subject in chosen:
            value = subject.value
            mapping = value.__class__ is dict
            if keys is not None and mapping and keys.isdisjoint(value):
                continue  # no check applies: the conditions need not be asked
            admitted = None if own else True
            if eager:
                admitted = _admitted(unless, where, subject, options)
                if not admitted:
                    continue
            for key, holds, first, guard in group.asks:
                if key is not None and mapping and key not in value:
                    continue
                if first and holds(subject, options) is not False:
                    continue
                if admitted is None:
                    admitted = _admitted(unless, where, subject, options)
                if not admitted:
                    break
                outcome = _failed(guard, subject, options)
                if outcome is not None:
                    yield _violation(rule, guard, doc, subject, outcome)


def _failed(guard: Guard, subject: Subject, options: Mapping[str, Any]) -> Outcome | None:
    """The outcome of a check its own conditions admit the subject to and that fails on
    it (a check asked first has failed already); None otherwise."""
    if (guard.unless is not None and guard.unless(subject, options) is True) or (
        guard.where is not None and guard.where(subject, options) is not True
    ):
        return None
    if not guard.first and guard.holds(subject, options) is not False:
        return None
    outcome = guard.check.evaluate(subject, options)
    return outcome if outcome.ok is False else None


def _admitted(
    unless: Verdict | None, where: Verdict | None, subject: Subject, options: Mapping[str, Any]
) -> bool:
    """Whether a rule's conditions leave the subject in."""
    return not (unless is not None and unless(subject, options) is True) and (
        where is None or where(subject, options) is True
    )


class Evaluation:
    """A pack made ready to evaluate documents, once a run: its rules by kind, each with
    its options, compiled target globs and checks grouped by selector."""

    def __init__(
        self,
        pack: Pack,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        today: datetime.date | None = None,
    ) -> None:
        day = today or datetime.date.today()
        filters = FileFilters()
        self.rules: dict[Kind, list[_Planned]] = {}
        for rule in pack.rules:
            merged = {**rule.options, **(options or {}).get(rule.id, {}), TODAY: day}
            spec = KINDS.get(rule.kind)
            variables = spec.file_variables if spec is not None else frozenset()
            planned = _Planned(rule, merged, variables, filters)
            self.rules.setdefault(rule.kind, []).append(planned)

    def reads(self, kind: Kind, files: tuple[str, ...]) -> bool:
        """Whether a rule could find anything in a document of ``kind`` made of ``files``
        (a kind with no rules reads every file: it is loaded for its files' problems)."""
        planned = self.rules.get(kind)
        return not planned or any(p.admits(files) for p in planned)

    def violations(self, documents: Iterable[Document]) -> Iterator[Violation]:
        """Every failed check of every rule on every document, in rule and subject order."""
        for doc in documents:
            subjects: dict[str, list[Subject]] = {}
            for planned in self.rules.get(doc.kind, ()):
                if planned.everywhere or planned.admits(doc.files):
                    yield from _violations(planned, doc, subjects)

    def evaluate(self, documents: Iterable[Document]) -> list[Finding]:
        """Every finding of every rule on every document, sorted, without duplicates."""
        found: set[Finding] = set()
        for violation in self.violations(documents):
            found.update(violation.findings)
        return sorted(found, key=finding_key)


def violations(
    pack: Pack,
    documents: Iterable[Document],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    today: datetime.date | None = None,
) -> Iterator[Violation]:
    """Every failed check of every rule on every document, in rule and subject order.

    ``today`` is the date date checks compare with (the caller's clock by default).
    """
    return Evaluation(pack, options, today).violations(documents)


def evaluate(
    pack: Pack,
    documents: Iterable[Document],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    today: datetime.date | None = None,
) -> list[Finding]:
    """Every finding of every rule on every document, sorted, without duplicates.

    Findings of a check that has a fix are ``fixable``.
    """
    return Evaluation(pack, options, today).evaluate(documents)
