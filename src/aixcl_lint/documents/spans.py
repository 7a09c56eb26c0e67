"""Where values were written: spans kept beside a document's data, by pointer.

A composed YAML node carries its marks; turning them into a ``Span`` is deferred until
a finding needs it, since every node of every file gets an entry and few are read.
"""

from __future__ import annotations

from typing import Any

from aixcl_lint.core import Position, Span


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def node_span(node: Any) -> Span:
    """The span of a composed node."""
    start, end = _pos(node.start_mark), _pos(node.end_mark)
    return Span(start, max(start, end))


class NodeSpans:
    """Where a value was written (its file, span and mapping key's span, if any).

    Built for every node of every file but read for a few, so a composed node's marks
    become a ``Span`` only when asked for.
    """

    __slots__ = ("_key", "_value", "path")

    def __init__(self, value: Span | Any, key: Span | Any | None = None, path: str = "") -> None:
        self._value = value
        self._key = key
        self.path = path

    @property
    def value(self) -> Span:
        """The value's span."""
        value = self._value
        return value if isinstance(value, Span) else node_span(value)

    @property
    def key(self) -> Span | None:
        """The mapping key's span, if the value has a key."""
        key = self._key
        return key if key is None or isinstance(key, Span) else node_span(key)

    @property
    def anchor(self) -> Span:
        """The span to point a finding at: the key if there is one, else the value."""
        return self.key or self.value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NodeSpans):
            return NotImplemented
        return (self.value, self.key, self.path) == (other.value, other.key, other.path)

    def __hash__(self) -> int:
        return hash((self.value, self.key, self.path))

    def __repr__(self) -> str:
        return f"NodeSpans(value={self.value!r}, key={self.key!r}, path={self.path!r})"
