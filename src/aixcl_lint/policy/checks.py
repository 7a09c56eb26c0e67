"""The closed vocabulary of checks, compiled from policy data into evaluators.

Every operator answers True (holds), False (violated) or None (does not apply: a value
operator on a field that is not there). ``all`` / ``any`` / ``not`` combine answers.
Operators are registered by name in ``OPERATORS``; this module holds the basic ones,
``quantifiers`` and ``extract`` the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aixcl_lint.core import Pointer
from aixcl_lint.documents.yamltree import scalar_text
from aixcl_lint.policy import extract, quantifiers, relations
from aixcl_lint.policy.access import (
    MISSING,
    NOT_APPLICABLE,
    CheckError,
    Context,
    describe,
    field_pointer,
    regex,
    resolve,
)
from aixcl_lint.policy.model import Evaluator, Outcome, Subject

__all__ = ["OPERATORS", "CheckError", "compile_condition", "field_pointer"]

Predicate = Callable[[str, Mapping[str, Any]], bool]


def value_operator(
    ctx: Context,
    predicate: Predicate,
    expected: Callable[[Mapping[str, Any]], str],
    on_collection: bool = False,
) -> Evaluator:
    """An operator on a field's scalar value (interpolated unless ``raw``)."""
    ctx.need_field()
    rel, raw, label = ctx.field, ctx.raw, ".".join(map(str, ctx.field))

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        ptr, value = resolve(subject, rel)
        if value is MISSING:
            return NOT_APPLICABLE
        wanted = expected(options)
        if isinstance(value, dict | list):
            # A mapping or list equals and matches nothing: positive checks fail on it,
            # negative ones (not-matches) hold.
            shown = describe(value)
            return Outcome(on_collection, ptr, True, False, label, shown, shown, wanted)
        written = value if value.__class__ is str else scalar_text(value)
        shown = written if raw else subject.tree.interpolate(written)
        return Outcome(predicate(shown, options), ptr, True, False, label, shown, written, wanted)

    return evaluate


def _presence(ctx: Context, arg: Any) -> Evaluator:
    ctx.need_field()
    want = (ctx.op == "present") == bool(arg)
    rel, label = ctx.field, ".".join(map(str, ctx.field))
    expected = "present" if want else "absent"

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        ptr, value = resolve(subject, rel)
        if value is MISSING:
            return Outcome(not want, subject.pointer, False, False, label, "", "", expected)
        shown = describe(value)
        return Outcome(want, ptr, False, True, label, shown, shown, expected)

    return evaluate


def _equals(ctx: Context, arg: Any) -> Evaluator:
    wanted = ctx.argument(arg)
    return value_operator(
        ctx, lambda t, o: t == scalar_text(wanted(o)), lambda o: scalar_text(wanted(o))
    )


def _one_of(ctx: Context, arg: Any) -> Evaluator:
    choices = ctx.argument(arg)

    def texts(options: Mapping[str, Any]) -> list[str]:
        found = choices(options)
        return [scalar_text(c) for c in (found if isinstance(found, list) else [found])]

    return value_operator(ctx, lambda t, o: t in texts(o), lambda o: ", ".join(texts(o)))


def _matches(ctx: Context, arg: Any) -> Evaluator:
    pattern = regex(arg, (*ctx.at, ctx.op))
    if ctx.op == "matches":
        return value_operator(ctx, lambda t, o: pattern.search(t) is not None, lambda o: arg)
    return value_operator(
        ctx, lambda t, o: pattern.search(t) is None, lambda o: arg, on_collection=True
    )


def _option(ctx: Context, arg: Any) -> Evaluator:
    if arg not in ctx.options:
        known = ", ".join(sorted(ctx.options)) or "none declared"
        raise CheckError((*ctx.at, ctx.op), f"unknown option {arg!r} (options: {known})")

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        return Outcome(bool(options.get(arg)), subject.pointer)

    return evaluate


def _combine(ctx: Context, arg: Any) -> Evaluator:
    children = [ctx.compile(c, (*ctx.at, ctx.op, i)) for i, c in enumerate(arg)]
    mode = ctx.op

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        outcomes = [child(subject, options) for child in children]
        decided = [o for o in outcomes if o.ok is not None]
        if not decided:
            return NOT_APPLICABLE
        if mode == "all":
            failed = next((o for o in decided if o.ok is False), None)
            return failed or decided[0]._replace(ok=True)
        passed = next((o for o in decided if o.ok), None)
        return passed or decided[0]._replace(ok=False)

    return evaluate


def _negate(ctx: Context, arg: Any) -> Evaluator:
    child = ctx.compile(arg, (*ctx.at, ctx.op))

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        outcome = child(subject, options)
        return outcome if outcome.ok is None else outcome._replace(ok=not outcome.ok)

    return evaluate


Compiler = Callable[[Context, Any], Evaluator]

OPERATORS: dict[str, Compiler] = {
    "present": _presence,
    "absent": _presence,
    "equals": _equals,
    "one-of": _one_of,
    "matches": _matches,
    "not-matches": _matches,
    "option": _option,
    "all": _combine,
    "any": _combine,
    "not": _negate,
    **quantifiers.OPERATORS,
    **relations.OPERATORS,
    **extract.operators(value_operator),
}
"""Every operator a check may use, by name; exactly one per check."""


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

    def recurse(child: Mapping[str, Any], where: Pointer) -> Evaluator:
        return compile_condition(child, where, options)

    ctx = Context(
        at, op, field_pointer(spec.get("field")), bool(spec.get("raw", False)), options, recurse
    )
    return OPERATORS[op](ctx, spec[op])
