"""The value operator every check on one field's scalar is built on (``equals``,
``one-of``, ``matches``, ``number``, ...): its evaluator, its verdict, and the fast
forms of a test whose argument is the same for every subject."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from aixcl_lint.core import Pointer
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.policy.access import (
    MISSING,
    NOT_APPLICABLE,
    Argument,
    Constant,
    Context,
    describe,
    reader,
    value_reader,
)
from aixcl_lint.policy.model import Evaluator, Outcome, Subject, Verdict
from aixcl_lint.policy.verdicts import offer

__all__ = ["Predicate", "Test", "needs", "value_operator"]

Predicate = Callable[[str, Any], bool]
"""Whether a value (as text) satisfies the operator, given its argument's value."""

Test = Callable[[str], bool]
"""A predicate with its argument fixed."""

_NEEDS: weakref.WeakKeyDictionary[Evaluator, str] = weakref.WeakKeyDictionary()


def needs(evaluator: Evaluator) -> str | None:
    """The key of a subject's mapping without which ``evaluator`` never applies (a value
    operator on that one field), or None: the engine skips subjects that lack it."""
    return _NEEDS.get(evaluator)


class _Compared(NamedTuple):
    """What a value operator compares, worked out at load."""

    field: Pointer
    raw: bool
    argument: Argument | None
    """None: a constant, which ``test`` compares with."""
    shape: Callable[[Any], Any]
    predicate: Predicate
    test: Test | None
    on_collection: bool


def value_operator(
    ctx: Context,
    predicate: Predicate,
    expected: Callable[[Any], str],
    argument: Argument | None = None,
    on_collection: bool = False,
    prepare: Callable[[Any], Any] | None = None,
    fixed_test: Callable[[Any], Test] | None = None,
    *,
    pure: bool = False,
) -> Evaluator:
    """An operator on a field's scalar value (interpolated unless ``raw``), given its
    argument for the subject (as ``prepare`` makes it for ``predicate``); an argument
    naming an absent field makes it not apply. ``fixed_test`` makes, from a constant
    argument (prepared), a test answering as ``predicate`` with it does. Its verdict
    reads the same value and asks the same test, and builds no outcome; ``pure``: the
    test and the argument never raise (``verdicts.offer``)."""
    ctx.need_field()
    argument = argument or Constant(None)
    shape = prepare or (lambda arg: arg)
    test: Test | None = None
    fixed = wanted = None
    if isinstance(argument, Constant):  # what it compares with is worked out once
        fixed, wanted = shape(argument.value), expected(argument.value)
        test = fixed_test(fixed) if fixed_test else (lambda text: predicate(text, fixed))
        argument = None
    compared = _Compared(ctx.field, ctx.raw, argument, shape, predicate, test, on_collection)
    evaluate = _evaluator(compared, expected, fixed, wanted)
    key = ctx.field[0] if len(ctx.field) == 1 else None
    if isinstance(key, str) and not key.startswith("@"):  # read by ``access.reader``'s one_key
        _NEEDS[evaluate] = key
    return offer(evaluate, _answer(compared, pure=pure), pure=pure)


def _evaluator(
    compared: _Compared, expected: Callable[[Any], str], fixed: Any, shown_fixed: Any
) -> Evaluator:
    field, raw, argument, shape, predicate, test, on_collection = compared
    read, label = reader(field), ".".join(map(str, field)) or "."

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        ptr, value = read(subject)
        if value is MISSING:
            return NOT_APPLICABLE
        if argument is None:
            arg, wanted = fixed, shown_fixed
        else:
            arg = argument(subject, options)
            if arg is MISSING:
                return NOT_APPLICABLE
            arg, wanted = shape(arg), expected(arg)
        if value.__class__ is str:
            written = value
        elif isinstance(value, dict | list):
            # A mapping or list equals and matches nothing: positive checks fail on it,
            # negative ones (not-matches) hold.
            shown = describe(value)
            return Outcome(on_collection, ptr, True, False, label, shown, shown, wanted)
        else:
            written = scalar_text(value)
        shown = written if raw else subject.tree.interpolate(written)
        ok = predicate(shown, arg) if test is None else test(shown)
        return Outcome(ok, ptr, True, False, label, shown, written, wanted)

    return evaluate


def _answer(compared: _Compared, *, pure: bool) -> Verdict:
    field, raw, argument, shape, predicate, test, on_collection = compared
    look = value_reader(field)
    first = field[0] if len(field) == 1 else None
    key = first if isinstance(first, str) and not first.startswith("@") else None
    if key is not None and argument is None and test is not None:
        return _keyed(key, test, raw, on_collection, look, pure=pure)

    def answer(subject: Subject, options: Mapping[str, Any]) -> bool | None:
        target = subject.value  # most fields: one key of the subject's mapping
        if key is not None and target.__class__ is dict:
            value = target.get(key, MISSING)
        else:
            value = look(subject)
        if value is MISSING:
            return None
        arg = None
        if argument is not None:
            arg = argument(subject, options)
            if arg is MISSING:
                return None
            arg = shape(arg)
        if value.__class__ is str:
            written = value
        elif value is True or value is False:  # most facts of links and headings
            written = "true" if value else "false"
        elif isinstance(value, dict | list):
            return on_collection
        else:
            written = scalar_text(value)
        shown = written if raw else subject.tree.interpolate(written)
        return predicate(shown, arg) if test is None else test(shown)

    return answer


def _keyed(
    key: str,
    test: Test,
    raw: bool,
    on_collection: bool,
    look: Callable[[Subject], Any],
    *,
    pure: bool,
) -> Verdict:
    """``_answer`` of the common form, one key and a constant argument (``equals: host``,
    ``one-of``, a fixed pattern), with its steps decided at load: a text without ``$``
    is its own interpolation (``Tree.interpolate``), a boolean's text is known, and so
    is a pure test's answer for it, once asked (most fields of links and headings are
    facts, ``fragment_exists: true``: 85k of the 200k answers a medium run asks; asked
    at load, a pattern would be compiled, and RE2 imported, by runs that match none)."""
    known: dict[bool, bool | None] = {}

    def answer(subject: Subject, options: Mapping[str, Any]) -> bool | None:
        target = subject.value
        value = target.get(key, MISSING) if target.__class__ is dict else look(subject)
        if value is True or value is False:
            if not pure:
                return test("true" if value else "false")
            try:
                return known[value]
            except KeyError:
                found = known[value] = test("true" if value else "false")
                return found
        if value.__class__ is str:
            return test(value if raw or "$" not in value else subject.tree.interpolate(value))
        if value is MISSING:
            return None
        if isinstance(value, dict | list):
            return on_collection
        written = scalar_text(value)
        return test(written if raw else subject.tree.interpolate(written))

    return answer
