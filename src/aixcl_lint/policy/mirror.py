"""``identical-to``: a file and its counterpart elsewhere in the repository hold the
same bytes (the same skill kept in ``.claude/`` and ``.opencode/``).

    select: {files: ".claude/skills/**"}
    checks:
      - identical-to: {replace: '^\\.claude/', with: .opencode/}
        message: "{path} differs from {expected}: {value}"

The counterpart's path is a template of the subject's variables (``docs/{name}``) or
the subject's ``{path}`` with an RE2 pattern replaced (``\\1`` is a group). A missing
counterpart is a finding at the subject; a difference is reported at the first line
that differs, in both files; its ``{value}`` names the two in path order, so a rule
checking both directions (a second check with the replacement reversed) reports a
difference once when its message does not name ``{path}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aixcl_lint.core import Location, Span
from aixcl_lint.kinds.base import sources
from aixcl_lint.policy.access import MISSING, NOT_APPLICABLE, CheckError, Context, regex
from aixcl_lint.policy.model import Evaluator, Outcome, Subject


def _counterpart(ctx: Context, arg: Any) -> Any:
    """The counterpart's path for a subject, as written in the policy."""
    where = (*ctx.at, ctx.op)
    if isinstance(arg, Mapping):
        if set(arg) != {"replace", "with"}:
            raise CheckError(where, "identical-to is a path template or {replace: RE2, with: TEXT}")
        if "path" not in ctx.variables:
            raise CheckError(where, "identical-to with replace needs subjects with a {path}")
        pattern = regex(str(arg["replace"]), (*where, "replace"))
        replacement = str(arg["with"])
        return lambda subject, options: pattern.sub(replacement, subject.variables["path"], 1)
    return ctx.argument(str(arg))


def first_difference(ours: bytes, theirs: bytes) -> int | None:
    """The 1-based line where two texts first differ; None when they are equal."""
    if ours == theirs:
        return None
    a, b = ours.split(b"\n"), theirs.split(b"\n")
    for number, (x, y) in enumerate(zip(a, b, strict=False), 1):
        if x != y:
            return number
    return min(len(a), len(b)) + (0 if len(a) == len(b) else 1)


def _lines(data: bytes) -> int:
    return max(1, data.count(b"\n") + (0 if data.endswith(b"\n") else 1))


def _identical(ctx: Context, arg: Any) -> Evaluator:
    other_path = _counterpart(ctx, arg)

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        found = sources(subject.tree)
        path = subject.variables.get("path")
        other = other_path(subject, options)
        if found is None or path is None or other in (MISSING, None, "", path):
            return NOT_APPLICABLE
        ours = found.file_bytes(path)
        if ours is None:
            return NOT_APPLICABLE
        theirs = found.file_bytes(str(other))
        if theirs is None:
            gone = not found.exists(str(other))
            value = (
                f"{other} is missing"
                if gone
                else f"{other} is not a file aixcl-lint reads (a folder, a special file, too large)"
            )
            return Outcome(
                False,
                subject.pointer,
                field="identical-to",
                value=value,
                raw=value,
                expected=str(other),
            )
        line = first_difference(ours, theirs)
        if line is None:
            return Outcome(True, subject.pointer)
        # Named in path order: checking both directions gives the same finding once.
        first, second = sorted((path, str(other)))
        value = f"{first} and {second} differ from line {line}"
        here = Location(path, Span.at(min(line, _lines(ours))))
        there = Location(str(other), Span.at(min(line, _lines(theirs))))
        return Outcome(
            False,
            subject.pointer,
            False,
            False,
            "identical-to",
            value,
            value,
            str(other),
            (there,),
            here,
        )

    return evaluate


SCHEMA: dict[str, Any] = {
    "description": "The file holds the same bytes as its counterpart: a path template, or "
    "the subject's path with an RE2 pattern replaced.",
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["replace", "with"],
            "properties": {"replace": {"type": "string"}, "with": {"type": "string"}},
        },
    ],
}
"""The policy schema of its argument."""

OPERATORS = {"identical-to": _identical}
"""Operators comparing a file with its counterpart."""
