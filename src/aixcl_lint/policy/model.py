"""Compiled policies: frozen rules and checks, and the protocol checks read documents by."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any, NamedTuple

from aixcl_lint import deferred
from aixcl_lint.core import Kind, Location, Pointer, Severity
from aixcl_lint.kinds.base import Selector, Subject, Tree
from aixcl_lint.records import record

__all__ = [
    "Check",
    "Evaluator",
    "Fix",
    "Outcome",
    "Pack",
    "PolicyError",
    "Rule",
    "Selector",
    "Subject",
    "Tree",
    "Verdict",
]


class PolicyError(Exception):
    """A policy that cannot be used: names the file, line and what is wrong."""

    def __init__(self, path: str, line: int, message: str) -> None:
        # Line 0: the file (or folder) as a whole, such as one that does not exist.
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message


class Outcome(NamedTuple):
    """A check's verdict on a subject: ``ok`` is None when the check does not apply.

    ``ptr`` says what to point at (the value with ``at_value``, else its key); the engine
    turns it into a location only for a failure. ``everywhere`` points at every place
    the key was written (an override repeating a forbidden key is wrong too). The
    message facts (``field``, ``value``, ``raw``, ``expected``) ride along as plain
    fields: a check runs for every service, its message is needed only for a failure.
    """

    ok: bool | None
    ptr: Pointer | None = None
    at_value: bool = False
    everywhere: bool = False
    field: str = ""
    value: str = ""
    raw: str = ""
    expected: str = ""
    also: tuple[Location, ...] = ()
    """Places in other files that take part in the violation (a relation's other side)."""
    at: Location | None = None
    """Where to report instead of ``ptr``: a part of a value (an item of an env value)."""

    def variables(self) -> dict[str, str]:
        """The message variables this outcome provides."""
        return {
            "field": self.field,
            "value": self.value,
            "raw": self.raw,
            "expected": self.expected,
        }


Evaluator = Callable[[Subject, Mapping[str, Any]], Outcome]

Verdict = Callable[[Subject, Mapping[str, Any]], bool | None]
"""What an evaluator's outcome's ``ok`` is, without the outcome (``policy.verdicts``)."""


@record
class Fix:
    """A check's autofix: a fixer named in the policy, its options, and the check's field."""

    fixer: str
    target: Pointer
    """The field of the check it fixes, below the check's subject."""
    options: Mapping[str, Any] = field(default_factory=dict)


@record
class Check:
    """One assertion of a rule, with its own message and, optionally, sub-id and fix."""

    evaluate: Evaluator
    message: str
    selector: str
    """The selector's key (its name, and its parameter if it has one)."""
    pick: Selector
    """The selector itself: the subjects of a document."""
    sub_id: str | None = None
    severity: Severity | None = None
    unless: Evaluator | None = None
    where: Evaluator | None = None
    fix: Fix | None = None


@record
class Clause:
    """The clause of the repository's own governance a rule enforces: a document, and a
    section number (``"7"``, ``"7.1"``) or a heading anchor in it; ``source`` and
    ``line`` say where that was declared (a policy, a pack or a config file)."""

    path: str
    section: str | None = None
    anchor: str | None = None
    source: str = ""
    line: int = 1

    @classmethod
    def parse(cls, spec: Any, source: str, line: int) -> Clause:
        """A clause from ``{path, section}`` or ``{path, anchor}``; ValueError says why not."""
        if not isinstance(spec, Mapping) or not isinstance(spec.get("path"), str):
            raise ValueError("governed-by is {path: FILE, section: N} or {path: FILE, anchor: ID}")
        unknown = sorted(set(spec) - {"path", "section", "anchor"})
        if unknown:
            raise ValueError(f"governed-by: unknown key {unknown[0]!r}")
        path = spec["path"].strip().removeprefix("./")
        if (
            not path
            or path.startswith("/")
            or ".." in path.split("/")
            or "\\" in path
            or any(ord(c) < 32 or ord(c) == 127 for c in path)
        ):
            raise ValueError(f"governed-by: {spec['path']!r} is not a path inside the repository")
        if "section" in spec and "anchor" in spec:
            raise ValueError("governed-by names a section or an anchor, not both")
        section = spec.get("section")
        if section is not None and not _SECTION.fullmatch(str(section)):
            raise ValueError(f"governed-by: section {section!r} is not a number such as 7 or 7.1")
        anchor = spec.get("anchor")
        if anchor is not None and not (isinstance(anchor, str) and _ANCHOR.fullmatch(anchor)):
            raise ValueError(f"governed-by: anchor {anchor!r} is not a heading anchor")
        return cls(
            path,
            None if section is None else str(section),
            None if anchor is None else anchor.strip("#").lower(),
            source,
            line,
        )

    def label(self) -> str:
        """The citation as findings show it: ``docs/x.md §7`` or ``docs/x.md#anchor``."""
        if self.section:
            return f"{self.path} \u00a7{self.section}"
        return f"{self.path}#{self.anchor}" if self.anchor else self.path


_SECTION = re.compile(r"\d+(?:\.\d+)*")
_ANCHOR = deferred.pattern(r"#?[^\s\x00-\x1f\x7f#]+")


@record
class Citation:
    """A clause found: where its heading is."""

    clause: Clause
    location: Location


@record
class Rule:
    """A compiled rule: metadata, target, options and checks."""

    id: str
    title: str
    severity: Severity
    kind: Kind
    checks: tuple[Check, ...]
    source: str
    selector: str = ""
    """The rule's ``select``: its ``where`` and ``unless`` apply to checks using it."""
    line: int = 1
    rationale: str = ""
    references: tuple[str, ...] = ()
    files: tuple[str, ...] | str = ()
    """Globs limiting the files read, or the name of an option that holds them."""
    exclude: tuple[str, ...] = ()
    """Globs of files the rule never reads (``target.exclude``)."""
    options: Mapping[str, Any] = field(default_factory=dict)
    unless: Evaluator | None = None
    where: Evaluator | None = None
    unless_variables: frozenset[str] | None = None
    """The message variables that alone decide ``unless`` (None: it reads fields)."""
    where_variables: frozenset[str] | None = None
    """The message variables that alone decide ``where`` (None: it reads fields)."""
    governed_by: Clause | None = None
    """The governance clause the rule enforces, which its findings cite."""
    reads: frozenset[str] = frozenset()
    """The selectors it uses and the fields it reads (``links``, ``links.resolved``):
    a kind may read less of a file no rule reads more of (``policy.fields.reads``)."""

    def full_id(self, check: Check) -> str:
        """The id a finding of ``check`` is reported under."""
        return f"{self.id}[{check.sub_id}]" if check.sub_id else self.id


@record
class Pack:
    """Every rule a run uses, in load order."""

    rules: tuple[Rule, ...]

    def by_id(self) -> dict[str, Rule]:
        """Rules keyed by id."""
        return {rule.id: rule for rule in self.rules}
