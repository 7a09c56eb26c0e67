"""PyYAML's C parser with a lean resolver: the composer asks it for every node's tag.

PyYAML resolves implicit tags in Python, with a regular expression per candidate tag,
for every node the C composer builds. The model only tells null, true/false, decimal
integers, plain floats and merge keys from strings (YAML 1.2, as Compose reads files),
so this resolver answers those directly and calls everything else a string.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import Any

from aixcl_lint import deferred
from aixcl_lint.yamllib import libyaml, yaml

CORE = "tag:yaml.org,2002:"
STR, NULL, BOOL, INT, FLOAT = (CORE + t for t in ("str", "null", "bool", "int", "float"))
SEQ, MAP, MERGE = CORE + "seq", CORE + "map", CORE + "merge"

INT_TEXT = deferred.pattern(r"[-+]?[0-9]+")
FLOAT_TEXT = deferred.pattern(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_WORDS = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), NULL),
    **dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), BOOL),
    "<<": MERGE,
}
"""The plain scalars that are not strings, numbers aside."""
_NUMBER_FIRST = frozenset("0123456789+-.")
_NUMBER_CHARS = "0123456789+-.eE"
"""Every character an integer or a plain float may hold."""


class ScalarNode(yaml.ScalarNode):
    """PyYAML's scalar node with slots: the composer builds one per scalar (about 340k on
    the benchmark's compose files), and a node without an instance dict is built in about
    three quarters of the time."""

    __slots__ = ("end_mark", "start_mark", "style", "tag", "value")


class SequenceNode(yaml.SequenceNode):
    """PyYAML's sequence node with slots (see ``ScalarNode``)."""

    __slots__ = ("end_mark", "flow_style", "start_mark", "tag", "value")


class MappingNode(yaml.MappingNode):
    """PyYAML's mapping node with slots (see ``ScalarNode``)."""

    __slots__ = ("end_mark", "flow_style", "start_mark", "tag", "value")


_NODES = (ScalarNode, SequenceNode, MappingNode)
_NAMES = ("ScalarNode", "SequenceNode", "MappingNode")


def _tag(kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
    """The tag of an untagged node (about 400k calls on the benchmark's compose files:
    one dict look-up for most, a call more for those that start like a number)."""
    if kind is ScalarNode:
        if implicit[0]:
            if value[:1] in _NUMBER_FIRST:
                return _number(value)
            return _WORDS.get(value, STR)
        return STR
    return SEQ if kind is SequenceNode else MAP


def _number(value: str) -> str:
    """The tag of a plain scalar that starts like a number."""
    if value.isdigit() and value.isascii():
        return INT
    if value.strip(_NUMBER_CHARS):  # a port mapping, a version with letters, ...
        return STR
    if INT_TEXT.fullmatch(value):
        return INT
    return FLOAT if FLOAT_TEXT.fullmatch(value) else STR


class Loader(libyaml.CParser):
    """Composes nodes only: nothing is ever constructed from a document."""

    # The composer calls these two around every node, for path resolvers, which are not
    # used: C functions that do nothing cost it no Python frame (about 0.1 s of the 0.7 s
    # the medium corpus's 1,000 compose files take to compose).
    descend_resolver = staticmethod(operator.is_)
    ascend_resolver = staticmethod(tuple)

    # The composer looks ``resolve`` up on the loader for every node: a static one is
    # handed over as it is, where a method is bound anew for each call.
    resolve = staticmethod(_tag)


def compose_all(text: str) -> list[yaml.Node]:
    """Every document of ``text`` as a node graph, of the slotted node classes above
    (subclasses of PyYAML's: ``isinstance`` answers as before)."""
    loader = Loader(text)
    # The C composer builds the node classes its module names: ours, while it composes
    # (anything else composing with PyYAML's C loader gets PyYAML's own classes).
    space = vars(libyaml)
    before = [space[name] for name in _NAMES]
    space.update(zip(_NAMES, _NODES, strict=True))
    try:
        documents = []
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                documents.append(node)
        return documents
    finally:
        space.update(zip(_NAMES, before, strict=True))
        loader.dispose()


def events(text: str) -> Iterator[yaml.Event]:
    """The parser's events for ``text``, one at a time (no recursion, no nodes)."""
    loader = Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if event is not None:
                yield event
    finally:
        loader.dispose()
