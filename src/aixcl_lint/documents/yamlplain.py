"""A mapping document to plain data in one walk of its tree, aliases and merge keys too.

The general conversion (``yamlconvert``) guards every node against what aliases may do:
a budget step, a depth check and a recursion check each. This walk gives the same data,
tags and problems in the same order with less per node: it counts the nodes the general
conversion would count, and gives up (``None``) on what only that conversion decides:
nesting near ``MAX_DEPTH``, a merged mapping that merges itself, more nodes than the
alias bound allows (checked as it goes, so an alias bomb stops early), or Python's own
recursion limit. The general conversion then decides, so a refused document is refused
exactly as before.

An alias is its node again: it is converted again where it is used, as the general
conversion does; a merged mapping is converted once per document and its values shared.
"""

from __future__ import annotations

from typing import Any

from aixcl_lint.core import Finding, Pointer
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.documents.yamlconvert import (
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_EXPANSION,
    RESOLVED,
    Converted,
    duplicate_key,
    merge_converted,
    merge_sources,
    not_mergeable,
    not_scalar_key,
    note_tag,
    scalar,
    too_large,
)
from aixcl_lint.documents.yamlindex import Memo
from aixcl_lint.documents.yamlload import INT, MAP, MERGE, STR, MappingNode, ScalarNode
from aixcl_lint.yamllib import yaml

_DEEP = MAX_DEPTH - 2
"""Nesting past which the general conversion takes over (it reports too deep)."""

Converted_ = tuple[dict[str, Any], dict[Pointer, str], list[Finding], tuple[NodeSpans, ...]]


class _GiveUp(Exception):
    """The document needs the general conversion."""


def convert(path: str, root: yaml.Node, size: int) -> Converted_ | None:
    """A mapping document's data, its non-core tags by pointer, its problems and its
    repeated merge keys, as ``yamlconvert.convert`` gives them; None if that conversion
    must decide. ``size`` is the text's length (the alias bound grows with it)."""
    if root.__class__ is not MappingNode or root.tag != MAP:
        return None
    # The general conversion counts one step per value it converts (the root too) and
    # refuses the document past the bound: within it, it never would.
    walk = _Walk(path, MAX_EXPANSION + size - 1)
    try:
        data = walk.mapping(root, ())
    except (_GiveUp, RecursionError):
        return None
    if walk.count > walk.bound:
        return None
    return data, walk.tags, walk.problems, tuple(walk.repeated)


class _Walk:
    __slots__ = (
        "bound",
        "count",
        "entries",
        "merged",
        "merging",
        "path",
        "problems",
        "repeated",
        "tags",
    )

    def __init__(self, path: str, bound: int) -> None:
        self.path = path
        self.bound = bound
        self.count = 0
        self.tags: dict[Pointer, str] = {}
        self.problems: list[Finding] = []
        self.repeated: list[NodeSpans] = []
        self.merged: dict[int, Converted] = {}
        """Each mapping a merge key names, converted once, with tags relative to it."""
        self.merging: set[int] = set()
        """The merged mappings being converted (one met again merges itself)."""
        self.entries: Memo = {}

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
        if self.count > self.bound:
            raise _GiveUp
        merges: list[yaml.Node] | None = None
        for key_node, value_node in pairs:
            if key_node.tag == MERGE:
                self.count -= 1  # not converted
                if merges is None:
                    merges = []
                else:
                    self.repeated.append(NodeSpans(key_node, None, self.path))
                merges.extend(merge_sources(value_node))
                continue
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
        if merges is not None:
            for source in merges:
                self.merge_into(result, source, ptr)
        return result

    def merge_into(self, result: dict[str, Any], source: yaml.Node, ptr: Pointer) -> None:
        if not isinstance(source, MappingNode):
            self.problems.append(not_mergeable(self.path, source))
            return
        converted = self.merged.get(id(source)) or self.merged_mapping(source)
        self.count += merge_converted(result, converted, ptr, self.tags)

    def merged_mapping(self, source: yaml.MappingNode) -> Converted:
        """A mapping a merge key names, converted on its own (once per document)."""
        at = id(source)
        if at in self.merging:
            raise _GiveUp  # it merges itself: the general conversion refuses it
        self.merging.add(at)
        outer, self.tags = self.tags, {}
        try:
            data = self.mapping(source, ())
        finally:
            self.merging.discard(at)
            tags, self.tags = self.tags, outer
        converted = self.merged[at] = Converted.of(source, data, tags, self.entries)
        return converted

    def sequence(self, items: list[yaml.Node], ptr: Pointer) -> list[Any]:
        self.count += len(items)
        if self.count > self.bound:
            raise _GiveUp
        return [
            item.value
            if item.__class__ is ScalarNode and item.tag == STR
            else self.value(item, (*ptr, i))
            for i, item in enumerate(items)
        ]
