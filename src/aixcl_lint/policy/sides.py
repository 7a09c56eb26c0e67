"""The other side of a relation, as a typed registry (``SIDES``): where the values the
subject's are compared with come from.

The general side is ``to:``, a file of any kind read through the kinds registry::

    to: {kind: yaml, file: PATH, select: SELECTOR, where: COND, take: FIELD, steps: [...]}

The others are shorthands for it (``compose: PATH``, ``env: {file, key}``, ``markdown:
{file, values}``) or a literal ``list``. ``docs/policy-language.md`` holds the table
``table()`` renders (a test checks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from aixcl_lint.core import Pointer
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.kinds import KINDS, targetable
from aixcl_lint.kinds.base import Sources
from aixcl_lint.policy import fields
from aixcl_lint.policy.access import MISSING, CheckError, Context, field_pointer
from aixcl_lint.policy.model import Subject
from aixcl_lint.policy.selectors import Selection, SelectorError, compile_selector
from aixcl_lint.policy.steps import Origin, Value, compile_steps
from aixcl_lint.policy.taking import Taken, Taker, field_values, taker
from aixcl_lint.records import record

Found = tuple[str, list[Value]]
"""The other side's name (for messages) and its values."""
Side = Callable[[Subject, Mapping[str, Any], Sources | None], Found | str | None]
"""The other side for one subject; the path it wants when that is no file of its kind;
None when nothing can be asked (no sources, a template field that is absent)."""


def _selection(spec: Mapping[str, Any], at: Pointer) -> Selection:
    """The other side's selector, once its kind, fields and conditions are known good."""
    kind = spec.get("kind")
    if kind not in KINDS or not KINDS[kind].selectors:
        known = ", ".join(name for name, k in KINDS.items() if k.selectors)
        raise CheckError((*at, "kind"), f"the other side's kind is one of {known}")
    if "file" not in spec or "select" not in spec:
        raise CheckError(at, "the other side names a file and a select")
    try:
        selection = compile_selector(kind, spec["select"])
    except SelectorError as exc:
        raise CheckError((*at, "select"), str(exc)) from None
    if "take" in spec and "values" in spec:
        raise CheckError(at, "the other side takes its values by take or by values, not both")
    conditions: dict[str, Callable[[Any], Any]] = {
        "where": lambda c: c,
        "values": _some,
        "take": lambda c: {"field": c},
    }
    for part, condition in conditions.items():
        if part in spec:
            cond = condition(spec[part])
            try:
                fields.check(cond, KINDS[kind], selection.name, selection.spec, (*at, part))
            except fields.FieldError as exc:
                raise CheckError(exc.where, str(exc)) from None
    return selection


def _taker(ctx: Context, spec: Mapping[str, Any], key: Pointer) -> Taker:
    """How values are taken from each of the other side's subjects."""
    if "values" in spec:
        return taker(ctx, spec["values"], (*key, "values"))
    rel = field_pointer(spec.get("take", "."))

    def take(other: Subject, options: Mapping[str, Any]) -> list[Taken] | None:
        return field_values(other, rel)

    return take


def _source(ctx: Context, spec: Mapping[str, Any], key: Pointer) -> Side:
    """``{kind, file, select, where, take | values, steps}``: values of any kind's file."""
    at = (*ctx.at, ctx.op, *key)
    selection = _selection(spec, at)
    kind = str(spec["kind"])
    file = ctx.argument(spec["file"], key=(*key, "file"))
    where = ctx.compile(spec["where"], (*at, "where")) if "where" in spec else None
    take = _taker(ctx, spec, key)
    steps = compile_steps(spec.get("steps"), (*at, "steps"))
    suffix = str(spec.get("suffix", ""))

    def side(
        subject: Subject, options: Mapping[str, Any], found: Sources | None
    ) -> Found | str | None:
        path = file(subject, options)
        if found is None or path is MISSING or path is None:
            return None
        document = found.document(kind, str(path))
        if document is None:
            return f"{kind} file {path}"
        values: list[Value] = []
        for other in selection(document.tree):
            if where is not None:
                joined = {**other.variables, **subject.variables}
                if where(other._replace(variables=joined), options).ok is not True:
                    continue
            for t in take(other, options) or []:
                values.append(Value(t.text, Origin(other.tree, t.ptr, t.key, t.text)))
        return f"{path}{suffix}", steps(values)

    return side


def _some(spec: Any) -> Mapping[str, Any]:
    """``values`` as the condition whose fields it names."""
    return {"some": spec if isinstance(spec, Mapping) else {"in": spec}}


def _compose(ctx: Context, spec: Any, key: Pointer) -> Side:
    written = spec if isinstance(spec, Mapping) else {"file": spec}
    source: dict[str, Any] = {
        "kind": "compose",
        "file": written.get("file"),
        "select": "services",
        "take": "@service",
    }
    if "profile" in written:
        profile = str(written["profile"])
        source["where"] = {"some": {"in": "profiles", "where": {"field": ".", "equals": profile}}}
        source["suffix"] = f" profile {profile}"
    return _source(ctx, source, key)


def _env(ctx: Context, spec: Any, key: Pointer) -> Side:
    separator = str(spec.get("split", ","))
    source = {
        "kind": "env",
        "file": spec["file"],
        "select": "variables",
        "where": {"field": "key", "equals": spec["key"]},
        "take": "value",
        "steps": [{"split": re.escape(separator)}] if separator else [],
        "suffix": f" {spec['key']}",
    }
    return _source(ctx, source, key)


def _markdown(ctx: Context, spec: Any, key: Pointer) -> Side:
    source = {"kind": "markdown", "file": spec["file"], "select": "document"}
    return _source(ctx, {**source, "values": spec["values"]}, key)


def _list(ctx: Context, spec: Any, key: Pointer) -> Side:
    literal = ctx.argument(spec, key=key)

    def side(subject: Subject, options: Mapping[str, Any], found: Sources | None) -> Found:
        listed = literal(subject, options)
        listed = listed if isinstance(listed, list) else [listed]
        return "the list", [Value(scalar_text(v), None) for v in listed if v not in (MISSING, None)]

    return side


@record
class SideSpec:
    """One way of writing the other side: how it is written, what it reads, and where
    its values' findings land."""

    spelling: str
    reads: str
    positions: str
    compile: Callable[[Context, Any, Pointer], Side]
    schema: Mapping[str, Any]


_FILE = {
    "type": "string",
    "description": "A repository path; a template of the subject's variables.",
}
_TAKEN = {"$ref": "#/$defs/taken"}
_STEPS = {"$ref": "#/$defs/steps"}

SIDES: dict[str, SideSpec] = {
    "to": SideSpec(
        "`to: {kind, file, select, where, take \\| values, steps}`",
        "the values of any kind's file: `file` (a template of the subject's variables, "
        "`docs/{service}.md`), `select` one of that kind's selectors (tables above), "
        "`where` which of its subjects (their fields; `{NAME}` is this subject's "
        "variable), `take` a field of each (default `.`: the subject itself; a list "
        "gives its items, a mapping its keys) or `values: {in, where, take}`",
        "where each value was written in that file (see the table below)",
        _source,
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "file", "select"],
            "properties": {
                "kind": {"enum": targetable()},
                "file": _FILE,
                "select": {"$ref": "#/$defs/selector"},
                "where": {"$ref": "#/$defs/condition"},
                "take": {"$ref": "#/$defs/field"},
                "values": _TAKEN,
                "steps": _STEPS,
            },
        },
    ),
    "compose": SideSpec(
        "`compose: PATH`, `compose: {file, profile}`",
        "the service names of the compose project whose base file is PATH (its overrides "
        "merged); with `profile`, the services whose `profiles:` name it",
        "each service's key, in the file that first defines it",
        _compose,
        {
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["file"],
                    "properties": {"file": _FILE, "profile": {"type": "string"}},
                },
            ]
        },
    ),
    "env": SideSpec(
        "`env: {file, key, split}`",
        "the variable `key` of an env file, its variables expanded from the same file, "
        "split at the literal `split` (default `,`)",
        "each item at its line and column in the value (the value's start when "
        "expansion changed the text)",
        _env,
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["file", "key"],
            "properties": {"file": _FILE, "key": {"type": "string"}, "split": {"type": "string"}},
        },
    ),
    "markdown": SideSpec(
        "`markdown: {file, values}`",
        "values taken from another Markdown file's `document`, as `values` takes them here",
        "each item, row or heading it was taken from",
        _markdown,
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["file", "values"],
            "properties": {"file": _FILE, "values": _TAKEN},
        },
    ),
    "list": SideSpec(
        "`list: [A, B]`",
        "a literal list (a template of the subject's variables, or `{option: NAME}`)",
        "none: only this side's values are reported",
        _list,
        {
            "oneOf": [
                {"type": "array", "items": {"type": ["string", "number"]}},
                {"$ref": "#/$defs/option-ref"},
            ]
        },
    ),
}
"""Every way of writing a relation's other side; a relation has exactly one."""


POSITIONS: dict[str, str] = {
    "compose": "a service name at its key; a value at the value, in the file that wrote it "
    "(a list item at the item, a mapping's key at the key: `depends_on`)",
    "env": "a variable's value where it starts, each part at its own column",
    "markdown": "a table cell, or a paragraph on one line, at its text, each part at its "
    "own column; a list item, heading or link at its start",
    "yaml": "a scalar at its value (inside its quotes), a key at the key",
    "text": "a line at its text, each part at its own column",
    "tree": "a file at its line 1 (`.` for the repository)",
}
"""Where a value taken from each kind is reported, on either side of a relation."""


def positions_table() -> str:
    """The docs table of where each kind's values are reported."""
    lines = ["| kind | a value is reported at |", "| --- | --- |"]
    lines += [f"| `{kind}` | {text} |" for kind, text in POSITIONS.items()]
    return "\n".join(lines) + "\n"


def table() -> str:
    """The docs table of the sides."""
    lines = ["| other side | reads | its findings land at |", "| --- | --- | --- |"]
    lines += [f"| {s.spelling} | {s.reads} | {s.positions} |" for s in SIDES.values()]
    return "\n".join(lines) + "\n"
