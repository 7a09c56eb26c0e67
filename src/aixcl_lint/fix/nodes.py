"""A YAML file's composed nodes, found by position, and who shares each of them.

The compose model says where a value was written (a span); fixes need the node
written there, the mapping holding it, and which services an edit would reach: a
mapping written once may be the value of several services (aliases) or merged into
others (``<<: *anchor``).
"""

from __future__ import annotations

from collections.abc import Iterator

from aixcl_lint.core import Position
from aixcl_lint.documents.yamlload import MERGE, compose_all
from aixcl_lint.fix.text import Lines
from aixcl_lint.records import record
from aixcl_lint.yamllib import yaml


@record
class Entry:
    """One key and value of a mapping, as written at one place."""

    mapping: yaml.MappingNode
    index: int
    key: yaml.Node
    value: yaml.Node
    alias: bool
    """The value is written here as an alias (``*name``): its node's marks are elsewhere."""

    @property
    def name(self) -> str:
        """The key as text."""
        return str(self.key.value)


Place = Entry | None
"""Where a node is written: an entry of a mapping, or None (a list item, a document)."""


class FileNodes:
    """The nodes of one YAML text, indexed by the offsets where keys and values start."""

    def __init__(self, text: str) -> None:
        self.lines = Lines(text)
        self.roots = compose_all(text)
        self.by_key: dict[int, Entry] = {}
        self.by_value: dict[int, Entry] = {}
        self.places: dict[int, list[Place]] = {}
        self.mergers: dict[int, list[yaml.MappingNode]] = {}
        self.sources: dict[int, list[yaml.MappingNode]] = {}
        self.aliased: set[tuple[int, int]] = set()
        """(mapping or list, index) of entries and items written as aliases."""
        self.seen: set[int] = set()
        self.services: set[int] = set()
        self.root_ids = {id(root) for root in self.roots}
        for root in self.roots:
            self._walk(root)
            if isinstance(root, yaml.MappingNode):
                for key, value in root.value:
                    if key.value == "services" and isinstance(value, yaml.MappingNode):
                        self.services.add(id(value))

    @property
    def text(self) -> str:
        """The text the nodes were composed from."""
        return self.lines.text

    def _walk(self, node: yaml.Node) -> None:
        # Walked in document order, so the first time a node is met is where it is
        # defined; meeting it again means an alias.
        if id(node) in self.seen:
            return
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for index, (key, value) in enumerate(node.value):
                if id(value) in self.seen:
                    self.aliased.add((id(node), index))
                if key.tag == MERGE:
                    self._merge(node, value)
                    continue
                entry = Entry(node, index, key, value, (id(node), index) in self.aliased)
                self.by_key[self.lines.mark(key.start_mark)] = entry
                if not entry.alias:
                    self.by_value[self.lines.mark(value.start_mark)] = entry
                self.places.setdefault(id(value), []).append(entry)
                self._walk(key)
                self._walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                if id(item) in self.seen:
                    self.aliased.add((id(node), index))
                self.places.setdefault(id(item), []).append(None)
                self._walk(item)

    def _merge(self, node: yaml.MappingNode, value: yaml.Node) -> None:
        merged = value.value if isinstance(value, yaml.SequenceNode) else [value]
        if isinstance(value, yaml.SequenceNode):
            self.seen.add(id(value))
            for index, item in enumerate(merged):
                if id(item) in self.seen:
                    self.aliased.add((id(value), index))
        for source in merged:
            if isinstance(source, yaml.MappingNode):
                self.mergers.setdefault(id(source), []).append(node)
                self.sources.setdefault(id(node), []).append(source)
                self._walk(source)

    def offset(self, position: Position) -> int:
        """The offset of a 1-based position."""
        return self.lines.offset(position.line - 1, position.column - 1)

    def entry_at_key(self, position: Position) -> Entry | None:
        """The entry whose key starts at ``position``."""
        return self.by_key.get(self.offset(position))

    def entry_at_value(self, position: Position) -> Entry | None:
        """The entry whose value is written (not aliased) at ``position``."""
        return self.by_value.get(self.offset(position))

    def root_at(self, position: Position) -> yaml.Node | None:
        """The document root that starts at ``position``."""
        at = self.offset(position)
        return next((r for r in self.roots if self.lines.mark(r.start_mark) == at), None)

    def service_nodes(self, name: str) -> list[yaml.Node]:
        """The values written for service ``name`` in this file, in document order."""
        return [
            place.value
            for places in self.places.values()
            for place in places
            if place is not None and id(place.mapping) in self.services and place.name == name
        ]

    def own(self, mapping: yaml.MappingNode) -> Iterator[Entry]:
        """The entries written in ``mapping`` itself (not merged into it)."""
        for index, (key, value) in enumerate(mapping.value):
            if key.tag != MERGE:
                yield Entry(mapping, index, key, value, (id(mapping), index) in self.aliased)

    def provides(self, mapping: yaml.MappingNode, key: str, depth: int = 0) -> bool:
        """Whether ``mapping`` has ``key``, written in it or merged into it."""
        if depth > 100:
            return True
        return any(e.name == key for e in self.own(mapping)) or any(
            self.provides(source, key, depth + 1) for source in self.sources.get(id(mapping), [])
        )

    def reach(self, node: yaml.Node, key: str, depth: int = 0) -> set[str] | None:
        """Services whose effective ``key`` an edit of ``node``'s ``key`` entry would change.

        A service's own mapping reaches that service (and every service written as an
        alias of it); an anchor reaches the services merging it without a ``key`` of
        their own; a nested mapping reaches what its parent entry reaches. None when the
        node is shared in a way no service explains (a list item, an alias elsewhere).
        """
        if depth > 100:
            return None
        found: set[str] = set()
        for place in self.places.get(id(node), []):
            if place is None:
                return None
            if id(place.mapping) in self.services:
                found.add(place.name)
            elif id(place.mapping) not in self.root_ids:
                above = self.reach(place.mapping, place.name, depth + 1)
                if above is None:
                    return None
                found |= above
        if isinstance(node, yaml.MappingNode):
            for merger in self.mergers.get(id(node), []):
                if any(e.name == key for e in self.own(merger)):
                    continue
                first = next(
                    (s for s in self.sources.get(id(merger), []) if self.provides(s, key)), None
                )
                if first is node:
                    above = self.reach(merger, key, depth + 1)
                    if above is None:
                        return None
                    found |= above
        return found
