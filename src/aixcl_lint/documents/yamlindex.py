"""Where each value of a YAML document was written, worked out from its nodes when asked.

A composed node graph already holds every mark, so a document keeps its root node and
a pointer is looked up by walking the nodes (a rule asks for a few positions per
service). Only a caller that lists every entry (merging override files, front matter)
gets the whole index, built once. Both follow the conversion's rules: a later
duplicate key wins, a key written in the mapping wins over a merged one, the first
merged mapping holding a key gives it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from aixcl_lint.core import Pointer
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.documents.yamlload import MERGE
from aixcl_lint.yamllib import yaml

Entry = tuple[yaml.Node, yaml.Node | None]
"""A value's node and its mapping key's node (None in a sequence or at the root)."""
Memo = dict[int, tuple[set[str], dict[Pointer, Entry]]]
"""Each merged mapping's keys and entries (relative to it), by node id."""


WALKS = 64
"""Pointers looked up by walking the nodes before the whole index is built instead."""


class NodeIndex(Mapping[Pointer, NodeSpans]):
    """The spans of a document's values by pointer, read from its node graph."""

    __slots__ = ("_all", "_asked", "_path", "_root")

    def __init__(self, root: yaml.Node, path: str) -> None:
        self._root = root
        self._path = path
        self._all: dict[Pointer, NodeSpans] | None = None
        self._asked = 0

    def get(self, ptr: Pointer, default: Any = None) -> Any:
        """The spans at ``ptr``, or ``default`` if no value was written there."""
        if self._all is None:
            # A walk scans each mapping's keys: asked about many values (a fix of every
            # one of 20,000 services), the whole index, built once, answers in time
            # linear in the document instead of quadratic.
            self._asked += 1
            if self._asked > WALKS:
                self.everything()
        if self._all is not None:
            return self._all.get(ptr, default)
        found = _find(self._root, None, ptr, 0)
        return default if found is None else NodeSpans(found[0], found[1], self._path)

    def __getitem__(self, ptr: Pointer) -> NodeSpans:
        found: NodeSpans | None = self.get(ptr)
        if found is None:
            raise KeyError(ptr)
        return found

    def __contains__(self, ptr: object) -> bool:
        return isinstance(ptr, tuple) and self.get(ptr) is not None

    def __iter__(self) -> Iterator[Pointer]:
        return iter(self.everything())

    def __len__(self) -> int:
        return len(self.everything())

    def everything(self) -> dict[Pointer, NodeSpans]:
        """Every entry, built on first use and kept."""
        if self._all is None:
            path = self._path
            built = entries(self._root)
            self._all = {ptr: NodeSpans(node, key, path) for ptr, (node, key) in built.items()}
        return self._all


def _find(node: yaml.Node, key: yaml.Node | None, ptr: Pointer, i: int) -> Entry | None:
    if i == len(ptr):
        return node, key
    part = ptr[i]
    if isinstance(node, yaml.MappingNode):
        return _find_key(node, ptr, i) if isinstance(part, str) else None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        items = node.value
        return _find(items[part], None, ptr, i + 1) if 0 <= part < len(items) else None
    return None


def _find_key(node: yaml.MappingNode, ptr: Pointer, i: int) -> Entry | None:
    """``ptr[i:]`` below a mapping: its own keys (the last writing it first), else the
    first merged mapping that has the key."""
    part = ptr[i]
    written = False
    for key_node, value_node in reversed(node.value):
        if key_node.tag != MERGE and key_node.value == part and _is_scalar(key_node):
            written = True
            found = _find(value_node, key_node, ptr, i + 1)
            if found is not None:
                return found
    if written:
        return None
    for source in merged(node):
        if _has(source, part):
            return _find_key(source, ptr, i)
    return None


def _is_scalar(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode)


def _has(node: yaml.MappingNode, part: str | int) -> bool:
    """Whether a mapping's data holds the key ``part`` (its own or merged)."""
    for key_node, _ in node.value:
        if key_node.tag != MERGE and key_node.value == part and _is_scalar(key_node):
            return True
    return any(_has(source, part) for source in merged(node))


def merged(node: yaml.MappingNode) -> list[yaml.MappingNode]:
    """The mappings a mapping's merge keys name, in order (others are not merged)."""
    sources: list[yaml.Node] = []
    for key_node, value_node in node.value:
        if key_node.tag == MERGE:
            sources.extend(
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
    return [source for source in sources if isinstance(source, yaml.MappingNode)]


def entries(root: yaml.Node) -> dict[Pointer, Entry]:
    """Every pointer of a document with its nodes, as the conversion writes them."""
    out: dict[Pointer, Entry] = {}
    _entries(root, None, (), out, {})
    return out


def mapping_entries(node: yaml.MappingNode, memo: Memo) -> tuple[set[str], dict[Pointer, Entry]]:
    """A merged mapping's keys and entries, relative to it (computed once per node)."""
    found = memo.get(id(node))
    if found is None:
        inner: dict[Pointer, Entry] = {}
        found = memo[id(node)] = (_mapping(node, (), inner, memo), inner)
    return found


def _entries(
    node: yaml.Node, key: yaml.Node | None, ptr: Pointer, out: dict[Pointer, Entry], memo: Memo
) -> None:
    out[ptr] = (node, key)
    if isinstance(node, yaml.MappingNode):
        _mapping(node, ptr, out, memo)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _entries(item, None, (*ptr, i), out, memo)


def _mapping(
    node: yaml.MappingNode, ptr: Pointer, out: dict[Pointer, Entry], memo: Memo
) -> set[str]:
    """Write a mapping's entries into ``out``; return the keys of its data."""
    keys: set[str] = set()
    for key_node, value_node in node.value:
        if key_node.tag == MERGE or not _is_scalar(key_node):
            continue
        keys.add(key_node.value)
        _entries(value_node, key_node, (*ptr, key_node.value), out, memo)
    for source in merged(node):
        source_keys, inner = mapping_entries(source, memo)
        fresh = source_keys - keys
        keys |= fresh
        for sub, entry in inner.items():
            if sub and sub[0] in fresh:
                out[(*ptr, *sub)] = entry
    return keys
