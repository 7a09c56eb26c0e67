"""The fixers, registered by the names policies use (``aixcl_lint.policy.fixers``).

A fixer is given one violation and returns edits by file, or the reason it cannot fix
it. It edits only where the compose model says the value was written, and only what
reaches no service that is not being fixed for the same check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from aixcl_lint.core import Location, Pointer
from aixcl_lint.documents.compose import ComposeProject
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.engine import Violation
from aixcl_lint.fix import layout
from aixcl_lint.fix.nodes import FileNodes
from aixcl_lint.fix.text import Edit
from aixcl_lint.policy.model import Fix
from aixcl_lint.yamllib import yaml


class FixContext(NamedTuple):
    """What a fixer is given for one violation."""

    violation: Violation
    fix: Fix
    project: ComposeProject
    nodes: Callable[[str], FileNodes | None]
    """The nodes of a file the run may edit, None for any other file."""
    wanted: Callable[[str], bool]
    """Whether the same check fails for this service and is being fixed."""


Planned = list[tuple[str, Edit]] | str
"""Edits by file, or why the violation cannot be fixed."""
Fixer = Callable[[FixContext], Planned]


def _where(location: Location) -> str:
    return f"{location.path}:{location.span.start.line}"


def _others(ctx: FixContext, reach: set[str] | None) -> str | None:
    """Why an edit reaching these services may not be made, or None if it may."""
    if reach is None:
        return "it is shared through an alias"
    others = sorted(name for name in reach if not ctx.wanted(name))
    if others:
        return "an anchor shares it with " + ", ".join(f"'{n}'" for n in others)
    return None


def set_value(ctx: FixContext) -> Planned:
    """Change a wrong value where it is written, or add the key to the subject."""
    subject, target = ctx.violation.subject.pointer, ctx.fix.target
    value = ctx.fix.options["value"]
    written = ctx.project.location((*subject, *target), value=True)
    if written is None:
        where = ctx.project.location(subject)
        nodes = ctx.nodes(where.path) if where is not None else None
        if where is None or nodes is None:
            return "the subject is written in a file that is not being fixed"
        return _add(ctx, where, nodes, _subject_node(nodes, where, subject), target, value)
    nodes = ctx.nodes(written.path)
    if nodes is None:
        return f"'{target[-1]}' is written in {written.path}, which is not being fixed"
    entry = nodes.entry_at_value(written.span.start)
    if entry is None:
        return f"cannot find the value written at {_where(written)}"
    reason = _others(ctx, nodes.reach(entry.mapping, entry.name))
    if reason is None:
        edit = layout.replace_scalar(nodes, entry, value)
        return [(written.path, edit)] if isinstance(edit, Edit) else edit
    # Written in an anchor (or a service it extends) that services not being fixed share:
    # give the service a key of its own (own keys win over merged and extended ones).
    if len(subject) == 2 and len(target) == 1:
        for node in reversed(nodes.service_nodes(str(subject[1]))):
            if not isinstance(node, yaml.MappingNode) or node is entry.mapping:
                continue
            if nodes.provides(node, entry.name):
                return _add(ctx, written, nodes, node, target, value)
        where = ctx.project.location(subject)
        own = ctx.nodes(where.path) if where is not None else None
        if where is not None and own is not None:
            mine = _subject_node(own, where, subject)
            if mine is not None and mine is not entry.mapping:
                return _add(ctx, where, own, mine, target, value)
    return f"'{entry.name}' at {_where(written)} stays: {reason}"


def _subject_node(nodes: FileNodes, where: Location, subject: Pointer) -> yaml.Node | None:
    if not subject:
        return nodes.root_at(where.span.start)
    entry = nodes.entry_at_key(where.span.start)
    return entry.value if entry is not None else None


def _add(
    ctx: FixContext,
    where: Location,
    nodes: FileNodes,
    node: yaml.Node | None,
    target: Pointer,
    value: Any,
) -> Planned:
    for part in target[:-1]:
        inner = None
        if isinstance(node, yaml.MappingNode):
            inner = next((e.value for e in nodes.own(node) if e.name == part), None)
        if not isinstance(inner, yaml.MappingNode):
            return (
                f"cannot add '{'.'.join(map(str, target))}': '{part}' is missing or not a mapping"
            )
        node = inner
    if node is None:
        return f"cannot find the mapping written at {_where(where)}"
    key = str(target[-1])
    if isinstance(node, yaml.MappingNode) and any(e.name == key for e in nodes.own(node)):
        return f"'{key}' is already set in {where.path}; another file or merge overrides it"
    reason = _others(ctx, nodes.reach(node, key))
    if reason is not None:
        return f"cannot add '{key}' at {_where(where)}: {reason}"
    edit = layout.add_entry(nodes, node, key, value)
    return [(where.path, edit)] if isinstance(edit, Edit) else edit


def remove_key(ctx: FixContext) -> Planned:
    """Remove the field everywhere it was written (the base file and each override)."""
    ptr = (*ctx.violation.subject.pointer, *ctx.fix.target)
    edits: list[tuple[str, Edit]] = []
    for place in ctx.project.locations(ptr):
        nodes = ctx.nodes(place.path)
        if nodes is None:
            continue
        entry = nodes.entry_at_key(place.span.start)
        if entry is None:
            return f"cannot find the key written at {_where(place)}"
        reason = _others(ctx, nodes.reach(entry.mapping, entry.name))
        if reason is not None:
            return f"'{entry.name}' at {_where(place)} stays: {reason}"
        removal = layout.remove_entry(nodes, entry)
        if isinstance(removal, str):
            return removal
        edits += [(place.path, edit) for edit in removal]
    return edits or "it is written only in files that are not being fixed"


def _names(value: Any) -> set[str]:
    """What a service field refers to: mapping keys, list items (``name:/path`` gives
    ``name``), or the ``source`` of long-syntax items."""
    if isinstance(value, dict):
        return {str(k) for k in value}
    found: set[str] = set()
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            found.add(scalar_text(item.get("source")))
        else:
            found.add(scalar_text(item).split(":", 1)[0])
    return found


def remove_unused_top_level(ctx: FixContext) -> Planned:
    """Remove a top-level key once no service refers to an entry it declares."""
    key = str(ctx.fix.target[0])
    used_by = str(ctx.fix.options.get("used-by", key))
    declared = _names(ctx.project.data.get(key))
    users = [
        name
        for name, service in ctx.project.services()
        if used_by in service and (not declared or _names(service[used_by]) & declared)
    ]
    if users:
        services = ", ".join(f"'{u}'" for u in users)
        return f"top-level '{key}' is still used by {services}"
    return remove_key(ctx)


FIXERS: dict[str, Fixer] = {
    "set-value": set_value,
    "remove-key": remove_key,
    "remove-unused-top-level": remove_unused_top_level,
}
"""The fixer of each name a policy may use (the names in ``aixcl_lint.policy.fixers``)."""
