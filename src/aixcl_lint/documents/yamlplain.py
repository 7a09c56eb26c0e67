"""A document without aliases or merge keys to plain data, in one walk of its tree.

Most files (every compose file of the benchmark) have neither: no node is reached
twice, so the alias bookkeeping of ``yamlconvert`` (a budget step and a recursion
check per node) has nothing to guard. This walk gives the same data, tags and problems
in the same order; it counts the nodes the general conversion would count, and gives
up (``None``) on what it does not handle: a merge key, nesting near ``MAX_DEPTH``, or
more nodes than the alias bound allows. The general conversion then decides, so a
refused document is refused exactly as before.
"""

from __future__ import annotations

from typing import Any

import yaml

from aixcl_lint.core import Finding, Pointer
from aixcl_lint.documents.yamlconvert import (
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_EXPANSION,
    RESOLVED,
    duplicate_key,
    not_scalar_key,
    note_tag,
    scalar,
    too_large,
)
from aixcl_lint.documents.yamlload import INT, MAP, MERGE, STR, MappingNode, ScalarNode

_DEEP = MAX_DEPTH - 2
"""Nesting past which the general conversion takes over (it reports too deep)."""


class _GiveUp(Exception):
    """The document needs the general conversion."""


def convert(
    path: str, root: yaml.Node, size: int
) -> tuple[dict[str, Any], dict[Pointer, str], list[Finding]] | None:
    """A mapping document's data, its non-core tags by pointer and its problems, as
    ``yamlconvert.convert`` gives them; None if that conversion must decide. The text
    (``size`` characters) must hold no alias."""
    if root.__class__ is not MappingNode or root.tag != MAP:
        return None
    walk = _Walk(path)
    try:
        data = walk.mapping(root, ())
    except _GiveUp:
        return None
    # The general conversion counts one step per value it converts (the root too) and
    # refuses the document past the bound: within it, it never would.
    if walk.count + 1 > MAX_EXPANSION + size:
        return None
    return data, walk.tags, walk.problems


class _Walk:
    __slots__ = ("count", "path", "problems", "tags")

    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0
        self.tags: dict[Pointer, str] = {}
        self.problems: list[Finding] = []

    def value(self, node: yaml.Node, ptr: Pointer) -> Any:
        """A value that is not a plain string, converted as ``_Converter.convert`` does."""
        tag = node.tag
        if tag not in RESOLVED and note_tag(self.path, node, tag, self.problems):
            self.tags[ptr] = tag
        if isinstance(node, ScalarNode):
            if tag == INT and len(node.value) > MAX_DIGITS:
                self.problems.append(too_large(self.path, node))
                return node.value
            return scalar(node)
        if len(ptr) > _DEEP:
            raise _GiveUp
        if isinstance(node, MappingNode):
            return self.mapping(node, ptr)
        return self.sequence(node.value, ptr)

    def mapping(self, node: yaml.MappingNode, ptr: Pointer) -> dict[str, Any]:
        result: dict[str, Any] = {}
        pairs = node.value
        self.count += len(pairs)
        for key_node, value_node in pairs:
            if key_node.tag == MERGE:
                raise _GiveUp
            if key_node.__class__ is not ScalarNode:
                self.count -= 1  # not converted
                self.problems.append(not_scalar_key(self.path, key_node))
                continue
            key = key_node.value
            if key in result:
                self.problems.append(duplicate_key(self.path, key_node))
            if value_node.__class__ is ScalarNode and value_node.tag == STR:
                result[key] = value_node.value
            else:
                result[key] = self.value(value_node, (*ptr, key))
        return result

    def sequence(self, items: list[yaml.Node], ptr: Pointer) -> list[Any]:
        self.count += len(items)
        return [
            item.value
            if item.__class__ is ScalarNode and item.tag == STR
            else self.value(item, (*ptr, i))
            for i, item in enumerate(items)
        ]
