"""Ordering checks: the values taken from a subject's items are in ascending or
descending order of versions, dates, numbers or text.

    ordered:
      in: headings
      where: {field: level, equals: 2}
      take: text
      by: version                  # version | date | number | text
      direction: descending        # ascending (the default) | descending
      pattern: '\\[(\\d[^\\]]*)\\]'  # optional: group 1 is the key
      strict: false                # true: equal neighbours are out of order too

Items whose key cannot be read (no match, not a version or a date) are left out, so an
"Unreleased" heading does not count. A failure points at the first item out of order.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from aixcl_lint import deferred
from aixcl_lint.policy.access import NOT_APPLICABLE, CheckError, Context, field_pointer, regex
from aixcl_lint.policy.model import Evaluator, Outcome, Subject
from aixcl_lint.policy.patterns import checking as checking_patterns
from aixcl_lint.policy.taking import taken_values

_SEMVER = deferred.pattern(r"[vV]?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?")

PATTERNS = {
    "version": r"([vV]?\d+(?:\.\d+)+(?:-[0-9A-Za-z][0-9A-Za-z.]*)?(?:\+[0-9A-Za-z.-]+)?)",
    "date": r"(\d{4}-\d{2}-\d{2})",
    "number": r"(-?\d+(?:\.\d+)?)",
    "text": r"(?s)^(.*)$",
}
"""The pattern each kind of key is found by, unless the check gives its own."""


def version_key(text: str) -> tuple[Any, ...] | None:
    """A version as semver orders it: dotted numbers (``1.2`` is ``1.2.0``), a
    pre-release (``-rc.1``) before its release; build metadata ignored."""
    match = _SEMVER.fullmatch(text.strip())
    if match is None:
        return None
    release = [int(part) for part in match.group(1).split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    if match.group(2) is None:
        return (tuple(release), 1, ())
    ids = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in match.group(2).split(".")
    )
    return (tuple(release), 0, ids)


def _date_key(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _number_key(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


KEYS: dict[str, Callable[[str], Any]] = {
    "version": version_key,
    "date": _date_key,
    "number": _number_key,
    "text": lambda text: text,
}
"""How each kind of key is read; None: the item has no key and is left out."""


def _ordered(ctx: Context, arg: Any) -> Evaluator:
    by = arg.get("by", "text")
    if by not in KEYS:
        raise CheckError((*ctx.at, ctx.op, "by"), f"by is one of {', '.join(KEYS)}")
    descending = arg.get("direction", "ascending") == "descending"
    strict = bool(arg.get("strict", False))
    pattern = regex(arg.get("pattern", PATTERNS[by]), (*ctx.at, ctx.op, "pattern"))
    if checking_patterns() and pattern.groups < 1:
        raise CheckError((*ctx.at, ctx.op, "pattern"), "the pattern needs a group for the key")
    values, read = taken_values(ctx, arg, ()), KEYS[by]
    label = ".".join(map(str, (*field_pointer(arg["in"]), *field_pointer(arg.get("take")))))
    words = ("below", "at most") if descending else ("above", "at least")
    word = words[0] if strict else words[1]

    def key_of(text: str) -> tuple[str, Any] | None:
        match = pattern.search(text)
        found = match.group(1) if match else None
        if found is None:
            return None
        key = read(found)
        return None if key is None else (found, key)

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        taken = values(subject, options)
        if taken is None:
            return NOT_APPLICABLE
        previous: tuple[str, Any] | None = None
        for text, ptr in taken:
            found = key_of(text)
            if found is None:
                continue
            if previous is not None:
                a, b = (found[1], previous[1]) if descending else (previous[1], found[1])
                if a > b or (strict and a == b):
                    shown, before = found[0].strip(), previous[0].strip()
                    return Outcome(False, ptr, True, False, label, shown, shown, f"{word} {before}")
            previous = found
        return Outcome(True, subject.pointer)

    return evaluate


OPERATORS = {"ordered": _ordered}
"""Operators over the order of items."""
