"""Relations between documents: the set of values taken from the subject compared with
the set of another side (``policy.sides``: any kind's file, a compose project, an env
variable, another Markdown file, a list), each side after its own steps
(``policy.steps``) and both after ``normalize``.

    relation:
      values: {in: lists, where: {field: heading, matches: Services}, take: items}
      steps: [{strip: ' \\(.*\\)$'}]             # this side only
      compose: {file: compose.yaml, profile: core}  # or to: {kind, file, select, take}
      op: equals                                 # equals | subset-of | superset-of
      normalize: [trim, lower]                   # both sides

A value on one side and not the other is reported where it stands: on this side at
the item, key or value it was taken from, on the other side in that file (an env item
at its own column).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aixcl_lint.kinds.base import sources
from aixcl_lint.policy import mirror
from aixcl_lint.policy.access import NOT_APPLICABLE, CheckError, Context
from aixcl_lint.policy.model import Evaluator, Outcome, Subject
from aixcl_lint.policy.sides import SIDES
from aixcl_lint.policy.steps import STEPS, Origin, Value, compile_steps, locate
from aixcl_lint.policy.taking import taker

OPS = {
    "equals": "the two sets are equal",
    "subset-of": "every value here is on the other side",
    "superset-of": "every value of the other side is here",
}
"""The relations, by name."""


def _relation(ctx: Context, arg: Any) -> Evaluator:
    at = (*ctx.at, ctx.op)
    ours = taker(ctx, arg["values"])
    own_steps = compile_steps(arg.get("steps"), (*at, "steps"))
    both = compile_steps(arg.get("normalize"), (*at, "normalize"))
    op = arg.get("op", "equals")
    if op not in OPS:
        raise CheckError((*at, "op"), f"op is {', '.join(OPS)}")
    named = [k for k in SIDES if k in arg]
    if len(named) != 1:
        raise CheckError(at, f"a relation compares with one of {', '.join(SIDES)}")
    side = SIDES[named[0]].compile(ctx, arg[named[0]], (named[0],))

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        taken = ours(subject, options)
        if taken is None:
            return NOT_APPLICABLE
        found = sources(subject.tree)
        other = side(subject, options, found)
        if other is None:
            return NOT_APPLICABLE  # nothing to ask (a fix session), or no file named
        if isinstance(other, str):
            wanted = f"the {other} to compare with"
            gone = f"the {other} is missing"  # {value} says what differs, here too
            return Outcome(
                False, subject.pointer, field="relation", value=gone, raw=gone, expected=wanted
            )
        name, theirs = other
        mine = [Value(t.text, Origin(subject.tree, t.ptr, t.key, t.text)) for t in taken]
        left = _keyed(both(own_steps(mine)))
        right = _keyed(both(theirs))
        extra = sorted(set(left) - set(right)) if op in ("equals", "subset-of") else []
        missing = sorted(set(right) - set(left)) if op in ("equals", "superset-of") else []
        if not extra and not missing:
            return Outcome(True, subject.pointer)
        parts = []
        if extra:
            parts.append(f"not in {name}: {', '.join(extra)}")
        if missing:
            parts.append(f"missing here, in {name}: {', '.join(missing)}")
        text = "; ".join(parts)
        # Each differing value is reported where it stands: extra ones here, missing
        # ones on the other side (a missing one is also reported at the subject).
        places = [locate(left[v], found) for v in extra]
        places += [locate(right[v], found) for v in missing]
        first = places[0] if extra else None
        also = tuple(dict.fromkeys(p for p in places[1 if extra else 0 :] if p is not None))
        return Outcome(
            False,
            subject.pointer,
            False,
            False,
            "relation",
            text,
            text,
            f"{op} {name}",
            also,
            first,
        )

    return evaluate


def _keyed(values: list[Value]) -> dict[str, Value]:
    """Each value by its text, trimmed; the first occurrence is where it is reported."""
    keyed: dict[str, Value] = {}
    for value in values:
        text = value.text.strip()
        if text:
            start = len(value.text) - len(value.text.lstrip())
            keyed.setdefault(text, value.part(start, start + len(text)))
    return keyed


OPERATORS = {"relation": _relation, **mirror.OPERATORS}
"""Operators relating a document to another file."""


def schema() -> dict[str, Any]:
    """The policy schema's definitions for relations (``relation``, ``taken``,
    ``steps``), rendered from the registries; ``schema.json`` holds exactly these."""
    step_items: list[dict[str, Any]] = [
        {"enum": [name for name, spec in STEPS.items() if not spec.argument]}
    ]
    step_items += [
        {
            "type": "object",
            "additionalProperties": False,
            "required": [name],
            "properties": {name: dict(spec.schema or {})},
        }
        for name, spec in STEPS.items()
        if spec.argument
    ]
    properties: dict[str, Any] = {
        "values": {"$ref": "#/$defs/taken"},
        "steps": {"$ref": "#/$defs/steps"},
        "op": {"enum": list(OPS)},
        "normalize": {"$ref": "#/$defs/steps"},
    }
    properties.update((name, dict(side.schema)) for name, side in SIDES.items())
    return {
        "relation": {
            "type": "object",
            "additionalProperties": False,
            "required": ["values"],
            "description": "The set of values taken from the subject equals (or is a subset / "
            "superset of) the set of another side: any kind's file (to), a compose project, "
            "an env variable, another Markdown file or a list, each side after its steps.",
            "properties": properties,
        },
        "taken": {
            "description": "Values taken from a subject: a field (a list's items, a mapping's "
            "keys, a scalar) or {in, where, take}.",
            "oneOf": [
                {"$ref": "#/$defs/field"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["in"],
                    "properties": {
                        "in": {"$ref": "#/$defs/field"},
                        "where": {"$ref": "#/$defs/condition"},
                        "take": {"$ref": "#/$defs/field"},
                    },
                },
            ],
        },
        "steps": {"type": "array", "items": {"oneOf": step_items}},
        "identical-to": mirror.SCHEMA,
    }
