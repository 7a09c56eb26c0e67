"""Verdicts: what an evaluator answers (its ``Outcome.ok``) without the outcome.

A condition (a rule's or a check's ``where`` / ``unless``, an item filter) needs only
True, False or None, and a check needs its full ``Outcome`` (pointer, shown values,
message variables) only when it fails, which is rare. So an operator may offer, beside
its evaluator, a verdict function that answers exactly what the evaluator's outcome's
``ok`` would be and allocates nothing; ``verdict`` gives it, or for an operator that
offers none, the evaluator's ``ok``. The operator registry (``checks.OPERATORS``) stays
the one source of truth: a verdict is an optimisation of an evaluator, never a second
meaning (``tests/test_verdicts.py`` holds them equal).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aixcl_lint.policy.model import Evaluator, Subject, Verdict

__all__ = ["any_or_all", "memo", "negation", "offer", "offered", "pure", "verdict"]

_VERDICTS: weakref.WeakKeyDictionary[Evaluator, Verdict] = weakref.WeakKeyDictionary()
_PURE: weakref.WeakSet[Evaluator] = weakref.WeakSet()


def offer(evaluator: Evaluator, answer: Verdict, *, pure: bool = False) -> Evaluator:
    """Register ``answer`` as ``evaluator``'s verdict (it must answer as its ``ok``);
    ``pure``: it reads only the subject and the options, has no effects and never
    raises, so it may be asked in any order, or not at all."""
    _VERDICTS[evaluator] = answer
    if pure:
        _PURE.add(evaluator)
    return evaluator


def pure(evaluator: Evaluator | None) -> bool:
    """Whether ``evaluator`` (None: no condition) may be asked in any order or not at
    all: the engine then asks a check first, and its conditions only if it fails."""
    return evaluator is None or evaluator in _PURE


def offered(evaluator: Evaluator) -> bool:
    """Whether ``evaluator`` has a verdict of its own (not its outcome's ``ok``)."""
    return evaluator in _VERDICTS


def verdict(evaluator: Evaluator) -> Verdict:
    """The verdict function of ``evaluator``: its own if it offers one, else its ``ok``."""
    found = _VERDICTS.get(evaluator)
    if found is not None:
        return found

    def ok(subject: Subject, options: Mapping[str, Any]) -> bool | None:
        return evaluator(subject, options).ok

    return ok


def any_or_all(children: Sequence[Evaluator], *, stop: bool) -> Verdict:
    """The verdict of ``any`` (``stop``: the first child that holds answers) or ``all``
    (the first that fails answers); otherwise the first child that applies answers, and
    None if none does. The children's answers are passed on as they are."""
    answers = tuple(verdict(child) for child in children)

    def combined(subject: Subject, options: Mapping[str, Any]) -> bool | None:
        first = None
        for answer in answers:
            ok = answer(subject, options)
            if ok is None:
                continue
            if bool(ok) is stop:
                return ok
            if first is None:
                first = ok
        return first

    return combined


def negation(child: Evaluator) -> Verdict:
    """The verdict of ``not``: the child's, reversed; None stays None."""
    answer = verdict(child)

    def not_(subject: Subject, options: Mapping[str, Any]) -> bool | None:
        ok = answer(subject, options)
        return ok if ok is None else not ok

    return not_


_MEMO_ENTRIES = 4096
_MEMO_TEXT = 256


def memo(test: Callable[[str], bool]) -> Callable[[str], bool]:
    """``test`` remembered for short texts (image names, link targets repeat across a
    repository): at most ``_MEMO_ENTRIES`` of them, forgotten all at once when full."""
    known: dict[str, bool] = {}

    def remembered(text: str) -> bool:
        found = known.get(text)
        if found is None:
            found = test(text)
            if len(text) <= _MEMO_TEXT:
                if len(known) >= _MEMO_ENTRIES:
                    known.clear()
                known[text] = found
        return found

    return remembered
