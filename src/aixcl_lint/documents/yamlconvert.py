"""Composed YAML nodes to plain data: merge keys resolved, aliases expanded with a bound.

Only data and the tags YAML does not define are built here, a few steps per node; where
each value was written is read from the same nodes when asked (``yamlindex``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from aixcl_lint.core import Finding, Pointer, Severity, Span
from aixcl_lint.documents import yamlindex
from aixcl_lint.documents.spans import NodeSpans, node_span
from aixcl_lint.documents.yamlindex import Memo
from aixcl_lint.documents.yamlload import (
    BOOL,
    FLOAT,
    FLOAT_TEXT,
    INT,
    INT_TEXT,
    MAP,
    NULL,
    SEQ,
    STR,
    ScalarNode,
)
from aixcl_lint.records import record
from aixcl_lint.yamllib import yaml

MAX_DEPTH = 200
"""Deepest nesting of collections a document may have."""
MAX_DIGITS = 1000
"""Longest integer read as a number (Python refuses to convert 4,300 digits and more)."""
MAX_EXPANSION = 100_000
"""Nodes alias expansion may add beyond one per character of text (billion-laughs bound)."""

_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"
_PYTHON = _CORE + "python/"
RESOLVED = frozenset({STR, NULL, BOOL, INT, FLOAT, SEQ, MAP})
"""The tags the resolver gives: YAML's own, none naming Python code."""


class Abort(Exception):
    """The document is refused: ``finding`` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def scalar(node: yaml.ScalarNode) -> Any:
    """A scalar node's value, by its tag (YAML's own; text for any other)."""
    tag, text = node.tag, node.value
    if not tag.startswith(_CORE):
        return text
    if tag == _CORE + "null":
        return None
    if tag == _CORE + "bool" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if tag == _CORE + "int" and INT_TEXT.fullmatch(text):
        return int(text)
    if tag == _CORE + "float" and FLOAT_TEXT.fullmatch(text):
        return float(text)
    return text


def too_large(path: str, node: yaml.ScalarNode) -> Finding:
    """The finding of an integer too long to read as a number."""
    message = f"a number of {len(node.value):,} digits (at most {MAX_DIGITS:,}); read as text"
    return Finding(path, node_span(node), "yaml/too-large-number", Severity.ERROR, message)


def not_scalar_key(path: str, key_node: yaml.Node) -> Finding:
    """The finding of a mapping key that is a collection."""
    message = "mapping keys must be scalars"
    return Finding(path, node_span(key_node), "yaml/parse-error", Severity.ERROR, message)


def duplicate_key(path: str, key_node: yaml.ScalarNode) -> Finding:
    """The finding of a key written twice in one mapping."""
    message = f"duplicate key {key_node.value!r}; the later value wins"
    return Finding(path, node_span(key_node), "yaml/duplicate-key", Severity.ERROR, message)


def not_mergeable(path: str, node: yaml.Node) -> Finding:
    """The finding of a merge key ``<<`` naming what is not a mapping."""
    message = "a merge key '<<' needs a mapping or a list of them"
    return Finding(path, node_span(node), "yaml/parse-error", Severity.ERROR, message)


def merge_sources(value_node: yaml.Node) -> list[yaml.Node]:
    """What a merge key's value names: a list of nodes, or one."""
    return value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]


def note_tag(path: str, node: yaml.Node, tag: str, problems: list[Finding]) -> bool:
    """Whether a tag the resolver did not give is kept beside the data (not YAML's
    own); one naming Python code is a problem."""
    if not tag.startswith(_CORE):
        return True
    if tag.startswith(_PYTHON):
        message = f"tag {tag.removeprefix(_CORE)!r} is not allowed (it names Python code)"
        problems.append(Finding(path, node_span(node), "yaml/unsafe-tag", Severity.ERROR, message))
    return False


def convert(
    path: str, root: yaml.Node, problems: list[Finding], size: int
) -> tuple[Any, dict[Pointer, str], tuple[NodeSpans, ...]]:
    """A document's data, its non-core tags by pointer and its repeated merge keys;
    ``Abort`` if it is refused (too deep, or aliases expanding it past the bound)."""
    # Aliases may repeat nodes, never without bound: a document converts at most
    # MAX_EXPANSION nodes more than its text (``size`` characters) could hold on its own.
    converter = _Converter(path, problems, [MAX_EXPANSION + size])
    converter.root = root
    data = converter.convert(root, ())
    return data, converter.tags, tuple(converter.repeated)


class _Converter:
    def __init__(self, path: str, problems: list[Finding], budget: list[int]) -> None:
        self.path = path
        self.problems = problems
        self.budget = budget
        """Nodes left to convert, shared by every converter of a document (alias bound)."""
        self.active: set[int] = set()
        self.root: yaml.Node | None = None
        self.tags: dict[Pointer, str] = {}
        self.merged: dict[int, Converted] = {}
        """Each mapping a merge key names, converted once, with tags relative to it."""
        self.entries: Memo = {}
        """The merged mappings' spans, counted for the alias bound (``yamlindex``)."""
        self.repeated: list[NodeSpans] = []

    def refuse(self, message: str) -> Abort:
        """Give up on the whole document: the finding points at its start."""
        start = self.root.start_mark if self.root is not None else None
        span = Span.at(start.line + 1, start.column + 1) if start else Span.at(1)
        return Abort(Finding(self.path, span, "yaml/alias-bomb", Severity.ERROR, message))

    def convert(self, node: yaml.Node, ptr: Pointer) -> Any:
        if len(ptr) > MAX_DEPTH:
            raise Abort(
                Finding(
                    self.path,
                    node_span(node),
                    "yaml/too-deep",
                    Severity.ERROR,
                    f"document nests deeper than {MAX_DEPTH} levels",
                )
            )
        budget = self.budget
        budget[0] -= 1
        if budget[0] < 0:
            raise self.refuse("aliases expand the document past the node limit")
        tag = node.tag
        if tag not in RESOLVED:
            self.check_tag(node, ptr, tag)
        if isinstance(node, yaml.ScalarNode):
            if tag == INT and len(node.value) > MAX_DIGITS:
                self.problems.append(too_large(self.path, node))
                return node.value
            return scalar(node)
        active, at = self.active, id(node)
        if at in active:
            raise self.refuse("document contains a recursive alias")
        active.add(at)
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, ptr)
            return self.sequence(node.value, ptr)
        finally:
            active.discard(at)

    def check_tag(self, node: yaml.Node, ptr: Pointer, tag: str) -> None:
        """Note a tag the resolver did not give (explicit or not YAML's own)."""
        if note_tag(self.path, node, tag, self.problems):
            self.tags[ptr] = tag

    def sequence(self, items: list[yaml.Node], ptr: Pointer) -> list[Any]:
        if len(ptr) >= MAX_DEPTH:
            return [self.convert(item, (*ptr, i)) for i, item in enumerate(items)]
        result: list[Any] = []
        budget = self.budget
        for i, item in enumerate(items):
            if item.__class__ is ScalarNode and item.tag == STR:
                # The common case, inlined: a plain string item (``convert``'s steps).
                budget[0] -= 1
                if budget[0] < 0:
                    raise self.refuse("aliases expand the document past the node limit")
                result.append(item.value)
            else:
                result.append(self.convert(item, (*ptr, i)))
        return result

    def mapping(self, node: yaml.MappingNode, ptr: Pointer) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merges: list[yaml.Node] = []
        merge_keys = 0
        budget = self.budget
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merge_keys += 1
                if merge_keys > 1:
                    self.repeated.append(NodeSpans(key_node, None, self.path))
                merges.extend(merge_sources(value_node))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(not_scalar_key(self.path, key_node))
                continue
            key = key_node.value
            if key in result:
                self.problems.append(duplicate_key(self.path, key_node))
            if value_node.__class__ is ScalarNode and value_node.tag == STR:
                # The common case, inlined: a plain string value.
                budget[0] -= 1
                result[key] = value_node.value
            else:
                result[key] = self.convert(value_node, (*ptr, key))
        for source in merges:
            self.merge_into(result, source, ptr)
        return result

    def merge_into(self, result: dict[str, Any], source: yaml.Node, ptr: Pointer) -> None:
        if not isinstance(source, yaml.MappingNode):
            self.problems.append(not_mergeable(self.path, source))
            return
        converted = self.merged.get(id(source)) or self.convert_merged(source)
        # Each merged value's spans count against the alias bound, as if copied.
        self.budget[0] -= merge_converted(result, converted, ptr, self.tags)

    def convert_merged(self, source: yaml.MappingNode) -> Converted:
        """A mapping a merge key names, converted on its own (once per document)."""
        if id(source) in self.active:
            raise self.refuse("document contains a recursive alias")
        inner = _Converter(self.path, self.problems, self.budget)
        inner.merged, inner.entries = self.merged, self.entries
        inner.active, inner.root, inner.repeated = self.active, self.root, self.repeated
        self.active.add(id(source))
        try:
            data = inner.mapping(source, ())
        finally:
            self.active.discard(id(source))
        converted = self.merged[id(source)] = Converted.of(source, data, inner.tags, self.entries)
        return converted


@record
class Converted:
    """A mapping a merge key names, converted once per document."""

    data: dict[str, Any]
    tags: dict[Pointer, str]
    """Its non-core tags, by pointer relative to it."""
    counts: Counter[str | int]
    """How many spans each key's value has (its nodes, and theirs merged)."""

    @classmethod
    def of(
        cls, source: yaml.MappingNode, data: dict[str, Any], tags: dict[Pointer, str], memo: Memo
    ) -> Converted:
        """The converted mapping, with its keys' span counts (``yamlindex``)."""
        entries = yamlindex.mapping_entries(source, memo)[1]
        return cls(data, tags, Counter(sub[0] for sub in entries))


def merge_converted(
    result: dict[str, Any], converted: Converted, ptr: Pointer, tags: dict[Pointer, str]
) -> int:
    """Merge into ``result`` (at ``ptr``) the keys of a merged mapping it lacks, with
    their tags; the number of spans they add (the alias bound counts them)."""
    fresh = {key: value for key, value in converted.data.items() if key not in result}
    result.update(fresh)
    for sub, tag in converted.tags.items():
        if sub and sub[0] in fresh:
            tags[(*ptr, *sub)] = tag
    return sum(converted.counts.get(key, 0) for key in fresh)
