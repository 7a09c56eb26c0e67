"""The closed vocabulary of checks, compiled from policy data into evaluators.

Every operator answers True (holds), False (violated) or None (does not apply: a value
operator on a field that is not there). ``all`` / ``any`` / ``not`` combine answers.
Operators are registered by name in ``OPERATORS``; this module holds the basic ones,
``quantifiers`` and ``extract`` the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aixcl_lint.core import Pointer, matchable
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.policy import extract, ordering, patterns, quantifiers, relations
from aixcl_lint.policy.access import (
    MISSING,
    NOT_APPLICABLE,
    Argument,
    CheckError,
    Constant,
    Context,
    describe,
    field_pointer,
    reader,
    regex,
    value_reader,
)
from aixcl_lint.policy.model import Evaluator, Outcome, Subject
from aixcl_lint.policy.plain import literal_search, searching
from aixcl_lint.policy.template import placeholders, render
from aixcl_lint.policy.values import Test, needs, value_operator
from aixcl_lint.policy.verdicts import any_or_all, memo, negation, offer, pure

__all__ = ["OPERATORS", "CheckError", "compile_condition", "field_pointer", "needs"]


def _presence(ctx: Context, arg: Any) -> Evaluator:
    ctx.need_field()
    want = (ctx.op == "present") == bool(arg)
    read, label = reader(ctx.field), ".".join(map(str, ctx.field))
    expected = "present" if want else "absent"

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        ptr, value = read(subject)
        if value is MISSING:
            return Outcome(not want, subject.pointer, False, False, label, "", "", expected)
        shown = describe(value)
        return Outcome(want, ptr, False, True, label, shown, shown, expected)

    look = value_reader(ctx.field)
    field = ctx.field
    if len(field) == 1 and isinstance(field[0], str) and not field[0].startswith("@"):
        key = field[0]  # most fields: one key of the subject's mapping, read here

        def keyed(subject: Subject, options: Mapping[str, Any]) -> bool:
            target = subject.value
            if target.__class__ is dict:
                return want if key in target else not want
            return want if look(subject) is not MISSING else not want

        return offer(evaluate, keyed, pure=True)

    def answer(subject: Subject, options: Mapping[str, Any]) -> bool:
        return want if look(subject) is not MISSING else not want

    return offer(evaluate, answer, pure=True)


def _text(value: Any) -> str:
    """An argument as text; another field's mapping or list is described, never equal."""
    return describe(value) if isinstance(value, dict | list) else scalar_text(value)


def _equals(ctx: Context, arg: Any) -> Evaluator:
    return value_operator(
        ctx,
        lambda t, w: w is not None and t == w,
        _text,
        ctx.argument(arg),
        prepare=_equal_text,
        fixed_test=lambda w: _nothing if w is None else w.__eq__,
        pure=True,
    )


def _nothing(text: str) -> bool:
    return False


def _equal_text(value: Any) -> str | None:
    """What a value equals as text: None for a mapping or list, which equal nothing."""
    return None if isinstance(value, dict | list) else scalar_text(value)


def _texts(found: Any) -> list[str]:
    return [_text(c) for c in (found if isinstance(found, list) else [found])]


def _one_of(ctx: Context, arg: Any) -> Evaluator:
    return value_operator(
        ctx,
        lambda t, w: t in w,
        lambda w: ", ".join(_texts(w)),
        ctx.argument(arg),
        prepare=lambda w: frozenset(_texts(w)),
        fixed_test=lambda w: w.__contains__,
        pure=True,
    )


def _matches(ctx: Context, arg: Any) -> Evaluator:
    where = (*ctx.at, ctx.op)
    # A pattern is compiled at load; a templated one for each value put in (escaped),
    # after a trial at load with a stand-in value.
    used = placeholders(arg)
    fixed = regex(render(arg, dict.fromkeys(used, "x")), where, str(arg) if used else None)
    text = ctx.argument(arg, quote=patterns.escape)
    pattern = _templated(text, where) if used else Constant(fixed)
    plain = None if used else literal_search(arg)
    found: Test = plain or searching(arg, memo(_searcher(fixed)))
    # A fixed pattern's test never raises (nor has effects but remembering): it is
    # pure; a templated one is compiled for each text put in, and RE2 may refuse it.
    if ctx.op == "matches":
        return value_operator(
            ctx,
            lambda t, p: p.search(t) is not None,
            lambda p: p.pattern,
            pattern,
            fixed_test=lambda p: found,
            pure=not used,
        )
    return value_operator(
        ctx,
        lambda t, p: p.search(t) is None,
        lambda p: p.pattern,
        pattern,
        on_collection=True,
        fixed_test=lambda p: lambda t: not found(t),
        pure=not used,
    )


def _searcher(pattern: Any) -> Test:
    """Whether ``pattern`` is found in a text, searched as the UTF-8 bytes RE2 reads (its
    binding maps match offsets back to characters for a ``str``: twice the time, for a
    yes or no). A text with lone surrogates (``os.fsdecode`` makes them of a file name's
    bytes that are not UTF-8) has no UTF-8: it is searched with them as U+FFFD, as globs
    match such names."""

    def search(text: str) -> bool:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = matchable(text).encode("utf-8")
        return pattern.search(data) is not None

    return search


def _templated(text: Argument, where: Pointer) -> Argument:
    """A templated pattern, compiled once for each text put in."""
    compiled: dict[str, Any] = {}

    def pattern(subject: Subject, options: Mapping[str, Any]) -> Any:
        source = text(subject, options)
        found = compiled.get(source)
        if found is None:
            found = compiled[source] = regex(source, where)
        return found

    return pattern


def _option(ctx: Context, arg: Any) -> Evaluator:
    if arg not in ctx.options:
        known = ", ".join(sorted(ctx.options)) or "none declared"
        raise CheckError((*ctx.at, ctx.op), f"unknown option {arg!r} (options: {known})")

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        return Outcome(bool(options.get(arg)), subject.pointer)

    def answer(subject: Subject, options: Mapping[str, Any]) -> bool:
        return bool(options.get(arg))

    return offer(evaluate, answer, pure=True)


def _combine(ctx: Context, arg: Any) -> Evaluator:
    children = [ctx.compile(c, (*ctx.at, ctx.op, i)) for i, c in enumerate(arg)]
    # ``all`` stops at the first child that fails, ``any`` at the first that holds (that
    # child's outcome is the answer); otherwise the first child that applies answers.
    stop = ctx.op != "all"

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        first = None
        for child in children:
            outcome = child(subject, options)
            if outcome.ok is None:
                continue
            if bool(outcome.ok) is stop:
                return outcome
            if first is None:
                first = outcome
        return NOT_APPLICABLE if first is None else first

    every = all(pure(child) for child in children)
    return offer(evaluate, any_or_all(children, stop=stop), pure=every)


def _negate(ctx: Context, arg: Any) -> Evaluator:
    child = ctx.compile(arg, (*ctx.at, ctx.op))

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        outcome = child(subject, options)
        return outcome if outcome.ok is None else outcome._replace(ok=not outcome.ok)

    return offer(evaluate, negation(child), pure=pure(child))


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
    **ordering.OPERATORS,
    **extract.operators(value_operator),
}
"""Every operator a check may use, by name; exactly one per check."""


def compile_condition(
    spec: Mapping[str, Any],
    at: Pointer,
    options: Mapping[str, Any],
    variables: frozenset[str] = frozenset(),
) -> Evaluator:
    """Compile one check or condition mapping (already schema-valid) into an evaluator;
    ``variables`` are the subjects' message variables, which arguments may use."""
    used = [op for op in OPERATORS if op in spec]
    if len(used) != 1:
        found = ", ".join(used) or "none"
        raise CheckError(
            at, f"a check needs exactly one operator of {', '.join(OPERATORS)} (found: {found})"
        )
    op = used[0]

    def recurse(child: Mapping[str, Any], where: Pointer) -> Evaluator:
        return compile_condition(child, where, options, variables)

    ctx = Context(
        at,
        op,
        field_pointer(spec.get("field")),
        bool(spec.get("raw", False)),
        options,
        recurse,
        variables,
        whole=spec.get("field") == ".",
    )
    return OPERATORS[op](ctx, spec[op])
