"""Checks over a list field: ``some``, ``every`` and ``count`` of its items, and numeric
bounds (``at-least`` / ``at-most``) on a number or on the length of a list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aixcl_lint.policy.access import (
    MISSING,
    NOT_APPLICABLE,
    CheckError,
    Context,
    describe,
    field_pointer,
    resolve,
)
from aixcl_lint.policy.model import Evaluator, Outcome, Subject


def _items(ctx: Context, arg: Mapping[str, Any]) -> tuple[Any, Evaluator | None]:
    where = arg.get("where")
    condition = ctx.compile(where, (*ctx.at, ctx.op, "where")) if where is not None else None
    return field_pointer(arg["in"]), condition


def _verdicts(
    subject: Subject, rel: Any, condition: Evaluator | None, options: Mapping[str, Any]
) -> list[tuple[Outcome, Subject]] | None:
    ptr, items = resolve(subject, rel)
    if not isinstance(items, list):
        return None
    found = []
    for i, item in enumerate(items):
        sub = Subject(subject.tree, (*ptr, i), subject.variables, item)
        found.append((condition(sub, options) if condition else Outcome(True, sub.pointer), sub))
    return found


def _some_or_every(ctx: Context, arg: Any) -> Evaluator:
    rel, condition = _items(ctx, arg)
    label, every = ".".join(map(str, rel)), ctx.op == "every"

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        verdicts = _verdicts(subject, rel, condition, options)
        if verdicts is None:
            return NOT_APPLICABLE
        if every:
            failed = next((o for o, _ in verdicts if o.ok is False), None)
            return failed or Outcome(True, subject.pointer, field=label)
        ok = any(o.ok for o, _ in verdicts)
        return Outcome(
            ok, subject.pointer, False, False, label, str(len(verdicts)), "", "at least one"
        )

    return evaluate


def _count(ctx: Context, arg: Any) -> Evaluator:
    rel, condition = _items(ctx, arg)
    low, high = ctx.argument(arg.get("at-least")), ctx.argument(arg.get("at-most"))
    if "at-least" not in arg and "at-most" not in arg:
        raise CheckError((*ctx.at, ctx.op), "count needs at-least, at-most or both")
    label = ".".join(map(str, rel))

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        verdicts = _verdicts(subject, rel, condition, options)
        if verdicts is None:
            return NOT_APPLICABLE
        n = sum(1 for o, _ in verdicts if o.ok)
        lo, hi = low(subject, options), high(subject, options)
        if lo is MISSING or hi is MISSING:
            return NOT_APPLICABLE
        lo, hi = _bound_number(lo), _bound_number(hi)
        ok = (lo is None or n >= lo) and (hi is None or n <= hi)
        wanted = " and ".join(
            p
            for p in (lo is not None and f"at least {lo:g}", hi is not None and f"at most {hi:g}")
            if p
        )
        return Outcome(ok, subject.pointer, False, False, label, str(n), str(n), wanted)

    return evaluate


def _bound(ctx: Context, arg: Any) -> Evaluator:
    ctx.need_field()
    limit = ctx.argument(arg)
    compare: Callable[[float, float], bool] = (
        (lambda a, b: a >= b) if ctx.op == "at-least" else (lambda a, b: a <= b)
    )
    rel, label = ctx.field, ".".join(map(str, ctx.field))
    words = "at least" if ctx.op == "at-least" else "at most"

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        ptr, value = resolve(subject, rel)
        bound = _number(limit(subject, options))
        if value is MISSING or bound is None:
            return NOT_APPLICABLE  # no value, or the bound is another field not there
        shown = describe(value)
        amount = len(value) if isinstance(value, list | dict) else _number(value)
        wanted = f"{words} {bound:g}"
        if amount is None:
            return Outcome(False, ptr, True, False, label, shown, shown, f"a number {wanted}")
        return Outcome(compare(amount, bound), ptr, True, False, label, shown, shown, wanted)

    return evaluate


def _bound_number(value: Any) -> Any:
    """A count's bound: a number, or None (no bound)."""
    return None if value is None else _number(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value) if isinstance(value, int | float) else float(str(value))
    except (ValueError, OverflowError):  # not a number, or an integer past any float
        return None


OPERATORS = {
    "some": _some_or_every,
    "every": _some_or_every,
    "count": _count,
    "at-least": _bound,
    "at-most": _bound,
}
"""Operators over lists and numbers."""
