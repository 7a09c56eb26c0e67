"""The closed vocabulary of checks, compiled from policy data into evaluators.

Every operator answers True (holds), False (violated) or None (does not apply: a value
operator on a field that is not there). ``all`` / ``any`` / ``not`` combine answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import re2

from aixcl_lint.core import Pointer
from aixcl_lint.documents.yamltree import scalar_text
from aixcl_lint.policy.model import Evaluator, Outcome, Subject

_MISSING = object()
_NOT_APPLICABLE = Outcome(None)


class CheckError(ValueError):
    """A check that cannot be compiled; ``where`` is the pointer of the offending key."""

    def __init__(self, where: Pointer, message: str) -> None:
        super().__init__(message)
        self.where = where


def field_pointer(spec: Any) -> Pointer:
    """A ``field:`` as a relative pointer: dotted text or a list of keys."""
    if spec is None:
        return ()
    if isinstance(spec, str):
        return tuple(spec.split("."))
    return tuple(spec)


def _lookup(data: Any, ptr: Pointer) -> Any:
    for key in ptr:
        if isinstance(data, dict):
            if key not in data:
                return _MISSING
            data = data[key]
        elif isinstance(data, list):
            index = int(key) if isinstance(key, str) and key.isdigit() else key
            if not isinstance(index, int) or not -len(data) <= index < len(data):
                return _MISSING
            data = data[index]
        else:
            return _MISSING
    return data


def _resolve(subject: Subject, rel: Pointer) -> tuple[Pointer, Any]:
    target = subject.value
    if target is None:
        target = _lookup(subject.tree.data, subject.pointer)
    value = _lookup(target, rel)
    return (*subject.pointer, *rel), value


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


Predicate = Callable[[str], bool]


def _value_operator(
    rel: Pointer, raw: bool, predicate: Predicate, expected: str, on_collection: bool = False
) -> Evaluator:
    label = ".".join(map(str, rel))

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        ptr, value = _resolve(subject, rel)
        if value is _MISSING:
            return _NOT_APPLICABLE
        if isinstance(value, dict | list):
            # A mapping or list equals and matches nothing: positive checks fail on it,
            # negative ones (not-matches) hold.
            shown = _describe(value)
            return Outcome(on_collection, ptr, True, False, label, shown, shown, expected)
        written = scalar_text(value)
        text = written if raw else subject.tree.interpolate(value)
        return Outcome(predicate(text), ptr, True, False, label, text, written, expected)

    return evaluate


def _presence(rel: Pointer, want: bool) -> Evaluator:
    label = ".".join(map(str, rel))
    expected = "present" if want else "absent"

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        ptr, value = _resolve(subject, rel)
        if value is _MISSING:
            return Outcome(not want, subject.pointer, False, False, label, "", "", expected)
        shown = _describe(value)
        return Outcome(want, ptr, False, True, label, shown, shown, expected)

    return evaluate


def _option(name: str) -> Evaluator:
    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        return Outcome(bool(options.get(name)), subject.pointer)

    return evaluate


def _flipped(outcome: Outcome, ok: bool) -> Outcome:
    """``outcome`` with another verdict, pointing at the same place."""
    return outcome._replace(ok=ok)


def _combine(children: list[Evaluator], mode: str) -> Evaluator:
    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        outcomes = [child(subject, options) for child in children]
        decided = [o for o in outcomes if o.ok is not None]
        if not decided:
            return _NOT_APPLICABLE
        if mode == "all":
            failed = next((o for o in decided if o.ok is False), None)
            return failed or _flipped(decided[0], ok=True)
        passed = next((o for o in decided if o.ok), None)
        return passed or _flipped(decided[0], ok=False)

    return evaluate


def _negate(child: Evaluator) -> Evaluator:
    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        outcome = child(subject, options)
        if outcome.ok is None:
            return outcome
        return _flipped(outcome, ok=not outcome.ok)

    return evaluate


def _regex(pattern: str, where: Pointer) -> Any:
    options = re2.Options()
    options.log_errors = False  # the error is ours to report, in one line
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise CheckError(where, f"RE2 rejects the pattern {pattern!r}: {reason}") from None


OPERATORS = (
    "present",
    "absent",
    "equals",
    "one-of",
    "matches",
    "not-matches",
    "option",
    "all",
    "any",
    "not",
)
"""Every operator a check may use; exactly one per check."""


def compile_condition(
    spec: Mapping[str, Any], at: Pointer, options: Mapping[str, Any]
) -> Evaluator:
    """Compile one check or condition mapping (already schema-valid) into an evaluator."""
    used = [op for op in OPERATORS if op in spec]
    if len(used) != 1:
        found = ", ".join(used) or "none"
        raise CheckError(
            at, f"a check needs exactly one operator of {', '.join(OPERATORS)} (found: {found})"
        )
    op = used[0]
    rel = field_pointer(spec.get("field"))
    raw = bool(spec.get("raw", False))
    arg = spec[op]
    if op in ("all", "any"):
        children = [compile_condition(c, (*at, op, i), options) for i, c in enumerate(arg)]
        return _combine(children, op)
    if op == "not":
        return _negate(compile_condition(arg, (*at, op), options))
    if op == "option":
        if arg not in options:
            known = ", ".join(sorted(options)) or "none declared"
            raise CheckError((*at, op), f"unknown option {arg!r} (options: {known})")
        return _option(arg)
    if not rel:
        raise CheckError(at, f"operator {op!r} needs a 'field'")
    if op in ("present", "absent"):
        return _presence(rel, want=(op == "present") == bool(arg))
    if op == "equals":
        wanted = scalar_text(arg)
        return _value_operator(rel, raw, lambda text: text == wanted, wanted)
    if op == "one-of":
        choices = frozenset(scalar_text(item) for item in arg)
        return _value_operator(rel, raw, choices.__contains__, ", ".join(sorted(choices)))
    regex = _regex(arg, (*at, op))
    if op == "matches":
        return _value_operator(rel, raw, lambda text: regex.search(text) is not None, arg)
    return _value_operator(
        rel, raw, lambda text: regex.search(text) is None, arg, on_collection=True
    )
