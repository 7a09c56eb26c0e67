"""Load-time checks that a rule can match something: every field a check names is one
its selector provides, and every operator applies to the rule's kind.

A selector with a closed list of fields (Markdown links, text lines, the file tree)
refuses any other name; one whose fields are the document's own keys takes any name
(YAML nodes) or any its schema allows (a compose service's keys, ``x-`` extensions).
Inside ``some`` / ``every`` / ``count`` / ``relation``, fields name the items of the
list field, so a list of plain values (a Markdown list's ``items``) is addressed as
``field: .``, never through a key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from aixcl_lint.core import Pointer, did_you_mean
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.kinds.base import SCALAR, Field, KindSpec, SelectorSpec
from aixcl_lint.policy.access import field_pointer

Scope = tuple[Field, ...] | str | frozenset[str] | None
"""What a field names here: a closed list of fields, ``SCALAR`` items, the closed set of
a document's first keys (any below them), or None (any)."""

NEEDS: dict[str, tuple[str, str]] = {
    "near": ("lines", "reads the lines around a text line"),
    "file-exists": ("repository", "asks whether repository files exist"),
    "relation": ("repository", "compares with another file"),
    "identical-to": ("repository", "reads another file"),
}
"""Operators that apply only to kinds with a capability, and why."""

_NESTED = ("some", "every", "count")


class FieldError(ValueError):
    """A check that can never match; ``where`` is the pointer of the offending key."""

    def __init__(self, where: Pointer, message: str) -> None:
        super().__init__(message)
        self.where = where


def _names(scope: tuple[Field, ...]) -> str:
    return ", ".join(f.name for f in scope)


def _field(
    written: Any, scope: Scope, where: Pointer, what: str, variables: frozenset[str]
) -> Scope:
    """Check one ``field:``; the scope of its items if it names a list."""
    if written == ".":
        return None
    if isinstance(written, str) and written.startswith("@"):
        if written[1:] not in variables:
            names = [f"@{v}" for v in sorted(variables)]
            hint = did_you_mean(written, names) or f" (known: {', '.join(names)})"
            raise FieldError(where, f"{what} provides no variable {written!r}{hint}")
        return None
    ptr = field_pointer(written)
    if scope == SCALAR:
        raise FieldError(
            where,
            f"the items here are plain values with no field {'.'.join(map(str, ptr))!r}: "
            "address the item itself as `field: .`",
        )
    if isinstance(scope, frozenset):
        first = ptr[0] if ptr else None
        if isinstance(first, str) and first not in scope and not first.startswith("x-"):
            hint = did_you_mean(first, sorted(scope)) or ""
            raise FieldError(where, f"{what} provides no field {first!r}{hint}")
        return None
    if not isinstance(scope, tuple) or not ptr:
        return None
    found = next((f for f in scope if f.name == ptr[0]), None)
    if found is None:
        hint = did_you_mean(str(ptr[0]), [f.name for f in scope]) or f" (fields: {_names(scope)})"
        raise FieldError(where, f"{what} provides no field {ptr[0]!r}{hint}")
    if len(ptr) > 1 or found.open:
        return None
    return found.items


_NUMERIC = ("at-least", "at-most", "number")
"""Operators that compare a field's value as a number."""


def _domain(cond: Mapping[str, Any], scope: Scope, at: Pointer) -> None:
    """Refuse an ``equals`` / ``one-of`` constant a closed-domain field never takes, and
    a numeric comparison of a closed-domain field that holds no number (a boolean)."""
    if not isinstance(scope, tuple) or not isinstance(cond["field"], str):
        return
    found = next((f for f in scope if f.name == cond["field"]), None)
    if found is None or found.values is None:
        return
    numeric = next((op for op in _NUMERIC if op in cond), None)
    if numeric is not None and not any(_is_number(v) for v in found.values):
        raise FieldError(
            (*at, numeric),
            f"operator {numeric!r} compares numbers, and field {found.name!r} is "
            f"{_alternatives(found.values)}, never a number: compare it with `equals`",
        )
    for op in ("equals", "one-of"):
        arg = cond.get(op)
        for i, value in enumerate(arg if op == "one-of" and isinstance(arg, list) else [arg]):
            if isinstance(value, dict | list) or value is None:
                continue  # another field, an option, or no operator
            text = scalar_text(value)
            if "{" in text or text in found.values:
                continue  # a template is decided per subject
            where = (*at, op, i) if isinstance(arg, list) else (*at, op)
            hint = did_you_mean(text.lower(), list(found.values)) or ""
            raise FieldError(
                where,
                f"field {found.name!r} is one of {', '.join(found.values)}, never {text!r}{hint}",
            )


def _alternatives(values: tuple[str, ...]) -> str:
    """``true or false``; ``lf, crlf, cr or none``."""
    return " or ".join((", ".join(values[:-1]), values[-1])) if len(values) > 1 else values[0]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _walk(
    cond: Any, scope: Scope, at: Pointer, what: str, variables: frozenset[str]
) -> Iterator[tuple[str, Pointer, Any]]:
    """Check every field of a condition; yield each key used, its pointer and value."""
    if not isinstance(cond, Mapping):
        return
    if "field" in cond:
        _field(cond["field"], scope, (*at, "field"), what, variables)
        _domain(cond, scope, at)
    for op, arg in cond.items():
        yield op, (*at, op), arg
        if op in ("all", "any") and isinstance(arg, list):
            for i, child in enumerate(arg):
                yield from _walk(child, scope, (*at, op, i), what, variables)
        elif op == "not":
            yield from _walk(arg, scope, (*at, op), what, variables)
        elif op in _NESTED and isinstance(arg, Mapping):
            inner = _field(arg.get("in"), scope, (*at, op, "in"), what, variables)
            yield from _walk(arg.get("where"), inner, (*at, op, "where"), what, variables)
        elif op == "relation" and isinstance(arg, Mapping):
            values = arg.get("values") or {}
            values = values if isinstance(values, Mapping) else {"in": values}
            inner = _field(values.get("in"), scope, (*at, op, "values", "in"), what, variables)
            yield from _walk(
                values.get("where"), inner, (*at, op, "values", "where"), what, variables
            )
            if "take" in values:
                _field(values["take"], inner, (*at, op, "values", "take"), what, variables)


def check(
    cond: Mapping[str, Any], kind: KindSpec, name: str, selector: SelectorSpec, at: Pointer
) -> None:
    """Raise ``FieldError`` if ``cond`` (a check, a ``where`` or an ``unless``) names a
    field ``selector`` does not provide or an operator ``kind`` cannot answer."""
    what = f"the {kind.name} selector {name!r}"
    variables = frozenset(selector.variables)
    scope: Scope = selector.fields
    if scope is None and selector.keys is not None:
        scope = selector.keys()
    for op, where, _arg in _walk(cond, scope, at, what, variables):
        if op == "identical-to" and "path" not in variables:
            raise FieldError(
                where,
                f"operator 'identical-to' compares a subject's file, and {what} has no "
                "{path} (its subjects may span several files): compare the file with a "
                "text or tree rule",
            )
        need = NEEDS.get(op)
        if need is not None and need[0] not in kind.capabilities:
            able = ", ".join(kind.name for kind in _able(need[0]))
            raise FieldError(
                where,
                f"operator {op!r} does not apply to {kind.name} rules: it {need[1]} "
                f"(it applies to {able})",
            )


def _able(capability: str) -> list[KindSpec]:
    from aixcl_lint.kinds import KINDS

    return [spec for spec in KINDS.values() if capability in spec.capabilities]


_READING = ("field", "in", "take", "values")
"""Keys whose value, when not a mapping, names a field (``in`` and ``take``: of a list's
items; ``values``: a relation's, ``{in, where, take}`` when a mapping)."""


def _fields_in(cond: Any) -> Iterator[str]:
    """The first key of every field a condition names, at any depth (an over-estimate:
    fields of a list's items count as the subject's)."""
    if isinstance(cond, Mapping):
        for key, value in cond.items():
            if key in _READING and isinstance(value, str | list) and value:
                ptr = field_pointer(value)
                if ptr and isinstance(ptr[0], str) and not ptr[0].startswith("@"):
                    yield ptr[0]
            else:
                yield from _fields_in(value)
    elif isinstance(cond, list):
        for item in cond:
            yield from _fields_in(item)


def reads(rule: Mapping[str, Any]) -> frozenset[str]:
    """What a rule (its policy data) reads: each selector's name, and ``NAME.FIELD`` for
    each field of its subjects some check, ``where`` or ``unless`` names."""
    found: set[str] = set()

    def read(select: Any, cond: Any) -> None:
        name = str(next(iter(select))) if isinstance(select, Mapping) else str(select)
        found.add(name)
        found.update(f"{name}.{key}" for key in _fields_in(cond))

    read(rule["select"], [rule.get("where"), rule.get("unless")])
    for check in rule["checks"]:
        read(check.get("select", rule["select"]), check)
    return frozenset(found)
