"""Compiling one schema-valid rule: its selectors from the kinds registry, its checks,
fixes and target files, each proved able to match before the rule is accepted."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from aixcl_lint import globs as patterns
from aixcl_lint.core import Pointer, Severity, did_you_mean
from aixcl_lint.kinds import KINDS
from aixcl_lint.policy import fields
from aixcl_lint.policy import patterns as regexes
from aixcl_lint.policy.checks import CheckError, compile_condition, field_pointer
from aixcl_lint.policy.fixers import FixError, compile_fix
from aixcl_lint.policy.model import Check, Clause, Evaluator, Fix, PolicyError, Rule
from aixcl_lint.policy.parsed import Lines
from aixcl_lint.policy.reach import unreachable
from aixcl_lint.policy.scope import deciding_variables
from aixcl_lint.policy.selectors import (
    CHECK_VARIABLES,
    Selection,
    SelectorError,
    compile_selector,
)
from aixcl_lint.policy.template import placeholders
from aixcl_lint.records import replace

_NOT_CONDITIONS = ("id", "message", "severity", "select", "unless", "where", "fix")
"""Keys of a check that are not part of its condition."""


def line_of(lines: Lines, ptr: Pointer) -> int:
    """The line of ``ptr``, or of its nearest ancestor that has a span."""
    for depth in range(len(ptr), -1, -1):
        line = lines.get(ptr[:depth])
        if line is not None:
            return line
    return 1


def dotted(ptr: Iterable[Any]) -> str:
    """A pointer as a policy author reads it: ``rules[0].checks[1].field``."""
    out = ""
    for part in ptr:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


class _Compiler:
    """One rule's compilation; every failure names the policy file and line."""

    def __init__(self, display: str, spec: dict[str, Any], at: Pointer, spans: Lines) -> None:
        self.display, self.spec, self.at, self.spans = display, spec, at, spans
        self.kind = str(spec["target"]["kind"])
        self.options = dict(spec.get("options") or {})

    def fail(self, ptr: Pointer, message: str) -> PolicyError:
        return PolicyError(self.display, line_of(self.spans, ptr), message)

    def selection(self, written: Any, ptr: Pointer) -> Selection:
        try:
            return compile_selector(self.kind, written)
        except SelectorError as exc:
            raise self.fail(ptr, f"{dotted(ptr)}: {exc}") from None

    def condition(self, cond: Mapping[str, Any], ptr: Pointer, chosen: Selection) -> Evaluator:
        try:
            fields.check(cond, KINDS[self.kind], chosen.name, chosen.spec, ptr)
            return compile_condition(cond, ptr, self.options, frozenset(chosen.spec.variables))
        except (CheckError, fields.FieldError) as exc:
            raise self.fail(exc.where, f"{dotted(exc.where)}: {exc}") from None

    def optional(
        self, owner: Mapping[str, Any], key: str, ptr: Pointer, chosen: Selection
    ) -> Evaluator | None:
        return self.condition(owner[key], (*ptr, key), chosen) if key in owner else None

    def fix(self, check: Mapping[str, Any], selector: str, ptr: Pointer) -> Fix | None:
        # A check's own fix, else the rule's (which then fixes each of its checks).
        if "fix" in check:
            owner, where = check, (*ptr, "fix")
        else:
            owner, where = self.spec, (*self.at, "fix")
        if "fix" not in owner:
            return None
        try:
            return compile_fix(
                owner["fix"], field_pointer(check.get("field")), selector, self.kind, where
            )
        except FixError as exc:
            raise self.fail(exc.where, f"{dotted(exc.where)}: {exc}") from None

    def check(self, check: Mapping[str, Any], ptr: Pointer, default: Selection) -> Check:
        chosen = self.selection(check["select"], (*ptr, "select")) if "select" in check else default
        known = frozenset(chosen.spec.variables) | CHECK_VARIABLES
        unknown = sorted(placeholders(check["message"]) - known)
        if unknown:
            hint = did_you_mean(unknown[0], known) or f" (known: {', '.join(sorted(known))})"
            raise self.fail((*ptr, "message"), f"unknown message variable {{{unknown[0]}}}{hint}")
        body = {k: v for k, v in check.items() if k not in _NOT_CONDITIONS}

        def conditions() -> Conditions:
            return (
                self.condition(body, ptr, chosen),
                self.optional(check, "unless", ptr, chosen),
                self.optional(check, "where", ptr, chosen),
            )

        rest = {  # the fields of LATER_REST
            "message": check["message"],
            "selector": chosen.key,
            "pick": chosen,
            "sub_id": check.get("id"),
            "severity": Severity.parse(check["severity"]) if "severity" in check else None,
            "fix": self.fix(check, chosen.name, ptr),
        }
        if not regexes.checking():  # the file compiled before: its conditions can wait
            return Later(conditions, rest)
        evaluate, unless, where = conditions()
        return Check(evaluate=evaluate, unless=unless, where=where, **rest)

    def files(self) -> tuple[str, ...] | str:
        """``target.files``: globs any file of the kind can match, or ``{option: NAME}``
        naming the option that holds them."""
        where = (*self.at, "target", "files")
        files = self.spec["target"].get("files", ())
        if isinstance(files, dict):
            name = files["option"]
            if name not in self.options:
                raise self.fail(where, f"unknown option {name!r} for target files")
            return str(name)
        problem = unreachable(KINDS[self.kind], tuple(files))
        if problem is not None:
            raise self.fail(where, f"{dotted(where)}: {problem}")
        return tuple(files)

    def exclude(self) -> tuple[str, ...]:
        """``target.exclude``: valid globs of files the rule never reads."""
        where = (*self.at, "target", "exclude")
        globs = tuple(self.spec["target"].get("exclude", ()))
        try:
            patterns.spec(globs)
        except patterns.PatternError as exc:
            raise self.fail((*where, exc.index), f"{dotted(where)}: {exc}") from None
        return globs

    def rule(self) -> Rule:
        spec, at = self.spec, self.at
        default = self.selection(spec["select"], (*at, "select"))
        checks = tuple(
            self.check(check, (*at, "checks", i), default) for i, check in enumerate(spec["checks"])
        )
        return Rule(
            id=spec["id"],
            title=spec["title"],
            severity=Severity.parse(spec["severity"]),
            kind=self.kind,
            checks=checks,
            source=self.display,
            selector=default.key,
            line=line_of(self.spans, (*at, "id")),
            rationale=spec.get("rationale", "").strip(),
            references=tuple(spec.get("references", ())),
            files=self.files(),
            exclude=self.exclude(),
            options=self.options,
            unless=self.optional(spec, "unless", at, default),
            where=self.optional(spec, "where", at, default),
            unless_variables=deciding_variables(spec["unless"]) if "unless" in spec else None,
            where_variables=deciding_variables(spec["where"]) if "where" in spec else None,
            governed_by=self.clause(),
            reads=fields.reads(spec),
        )

    def clause(self) -> Clause | None:
        """``governed-by``: the governance clause the rule enforces."""
        if "governed-by" not in self.spec:
            return None
        line = line_of(self.spans, (*self.at, "governed-by"))
        try:
            return Clause.parse(self.spec["governed-by"], self.display, line)
        except ValueError as exc:
            raise PolicyError(self.display, line, str(exc)) from None


Conditions = tuple[Evaluator, Evaluator | None, Evaluator | None]
"""A check's ``evaluate``, ``unless`` and ``where``."""

LATER_REST = ("message", "selector", "pick", "sub_id", "severity", "fix")
"""A ``Later`` check's fields set at load (the rest are its deferred conditions)."""


def replaced(check: Check, **changes: Any) -> Check:
    """``dataclasses.replace`` for a check: a ``Later`` stays one, its conditions still
    deferred (``replace`` cannot make one: its fields are set, not passed)."""
    if not isinstance(check, Later):
        return replace(check, **changes)
    state = check.__dict__
    made = Later(state["_conditions"], {**{n: state[n] for n in LATER_REST}, **changes})
    if "_made" in state:
        object.__setattr__(made, "_made", state["_made"])
    return made


class Later(Check):
    """A check of a policy file that compiled before (the shipped pack, ``policy.parsed``)
    whose conditions are compiled when first asked for: the engine asks for them when it
    plans a run's evaluation, which a run whose every result is kept never does (the
    pack's conditions were about 70% of compiling it). The rest of the check, which a
    run's cache key and report read, is compiled at load as before."""

    def __init__(self, conditions: Callable[[], Conditions], rest: Mapping[str, Any]) -> None:
        # Check's own __init__ is not called: its fields are set as a frozen dataclass's.
        for name, value in rest.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_conditions", conditions)

    def _compiled(self) -> Conditions:
        made: Conditions | None = self.__dict__.get("_made")
        if made is None:
            with regexes.deferring():  # as at load: each pattern compiled on first use
                made = self.__dict__["_conditions"]()
            object.__setattr__(self, "_made", made)
        return made

    @property
    def evaluate(self) -> Evaluator:
        """The check's condition."""
        return self._compiled()[0]

    @property
    def unless(self) -> Evaluator | None:
        """The check's ``unless``, if it has one."""
        return self._compiled()[1]

    @property
    def where(self) -> Evaluator | None:
        """The check's ``where``, if it has one."""
        return self._compiled()[2]


def compile_rule(display: str, spec: dict[str, Any], at: Pointer, spans: Lines) -> Rule:
    """A rule from its (schema-valid) policy data at pointer ``at`` of file ``display``."""
    return _Compiler(display, spec, at, spans).rule()
