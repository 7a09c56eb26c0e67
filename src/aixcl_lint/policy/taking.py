"""Values taken from a subject: ``{in: FIELD, where: COND, take: FIELD}``, as relations
and orderings read them, each with the pointer where it stands."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from aixcl_lint.core import Pointer
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.policy.access import MISSING, Context, field_pointer, resolve
from aixcl_lint.policy.model import Subject


class Taken(NamedTuple):
    """One value taken: its text, its pointer, and whether it is a mapping's key."""

    text: str
    ptr: Pointer
    key: bool = False


def members(ptr: Pointer, value: Any, *, keys: bool = True) -> list[Taken]:
    """A field's values: a list's items, a mapping's keys (with ``keys``), a scalar."""
    if value is MISSING or value is None:
        return []
    if isinstance(value, list):
        return [Taken(scalar_text(v), (*ptr, j)) for j, v in enumerate(value) if v is not None]
    if isinstance(value, dict):
        return [Taken(scalar_text(k), (*ptr, k), True) for k in value] if keys else []
    return [Taken(scalar_text(value), ptr)]


def field_values(subject: Subject, rel: Pointer) -> list[Taken]:
    """The values of one field of a subject (``members``); a message variable
    (``@service``) stands at the subject's key."""
    ptr, value = resolve(subject, rel)
    if rel and isinstance(rel[0], str) and rel[0].startswith("@"):
        return [Taken(scalar_text(value), ptr, True)] if value is not MISSING else []
    return members(ptr, value)


Taker = Callable[[Subject, Mapping[str, Any]], list[Taken] | None]


def taker(ctx: Context, spec: Any, key: Pointer = ("values",)) -> Taker:
    """Values taken from a subject (``{in, where, take}``, or a field name for ``{in}``
    alone) at ``key``; None when the ``in`` field is not there. A mapping's keys are
    its items when nothing is taken from them."""
    if not isinstance(spec, Mapping):
        spec = {"in": spec}
    rel = field_pointer(spec["in"])
    take = field_pointer(spec["take"]) if "take" in spec else None
    where = spec.get("where")
    condition = ctx.compile(where, (*ctx.at, ctx.op, *key, "where")) if where else None

    def values(subject: Subject, options: Mapping[str, Any]) -> list[Taken] | None:
        ptr, items = resolve(subject, rel)
        if items is MISSING:
            return None
        if condition is None and rel and isinstance(rel[0], str) and rel[0].startswith("@"):
            return field_values(subject, rel)
        if isinstance(items, dict) and take is None:
            pairs = [(Taken(scalar_text(k), (*ptr, k), True), k) for k in items]
        else:
            listed = items if isinstance(items, list) else [items]
            ptrs = [(*ptr, i) for i in range(len(listed))] if isinstance(items, list) else [ptr]
            pairs = [(Taken("", p), item) for p, item in zip(ptrs, listed, strict=True)]
        found: list[Taken] = []
        for at, item in pairs:
            sub = Subject(subject.tree, at.ptr, subject.variables, item)
            if condition is not None and condition(sub, options).ok is not True:
                continue
            if take is None:
                found.extend([at] if at.key else members(at.ptr, item, keys=False))
                continue
            inner_ptr, inner = resolve(sub, take)
            found.extend(members(inner_ptr, inner, keys=False))
        return found

    return values


def taken_values(
    ctx: Context, spec: Mapping[str, Any], key: Pointer = ("values",)
) -> Callable[[Subject, Mapping[str, Any]], list[tuple[str, Any]] | None]:
    """``taker`` as (text, pointer) pairs."""
    take = taker(ctx, spec, key)

    def values(subject: Subject, options: Mapping[str, Any]) -> list[tuple[str, Any]] | None:
        found = take(subject, options)
        return None if found is None else [(t.text, t.ptr) for t in found]

    return values
