"""YAML documents as plain data plus an index from pointers to spans.

PyYAML's C loader composes nodes (which carry marks) and never constructs Python
objects, so tags such as ``!!python/object`` are inert. Merge keys are resolved here so
every merged value keeps the span where it was written; aliases are expanded with a
bound, and nesting depth is bounded before the C composer sees the text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from aixcl_lint.core import Finding, Pointer, Severity, Span
from aixcl_lint.documents.spans import NodeSpans, node_span
from aixcl_lint.documents.yamlload import FLOAT_TEXT, INT, INT_TEXT, STR, compose_all, events

MAX_DEPTH = 200
"""Deepest nesting of collections a document may have."""
MAX_DIGITS = 1000
"""Longest integer read as a number (Python refuses to convert 4,300 digits and more)."""
_SAFE_COMPOSE_DEPTH = 10_000
"""libyaml's composer recurses on the C stack: never hand it anything deeper."""
MAX_EXPANSION = 100_000
"""Nodes alias expansion may add beyond one per character of text (billion-laughs bound)."""

_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
"""libyaml's own refusal of deep input (its parser, newer releases)."""

_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"


@dataclass(frozen=True)
class YamlDocument:
    """One YAML document: plain data, spans by pointer, and non-core tags by pointer."""

    data: Any
    spans: Mapping[Pointer, NodeSpans]
    tags: Mapping[Pointer, str] = field(default_factory=dict)
    repeated_merges: tuple[NodeSpans, ...] = ()
    """Merge keys ``<<`` written again in the same mapping (Compose refuses them)."""


@dataclass(frozen=True)
class YamlFile:
    """A parsed YAML file: its documents and the problems found while reading them."""

    path: str
    documents: tuple[YamlDocument, ...]
    problems: tuple[Finding, ...]
    digest: str = ""
    """A hash of the text the documents were parsed from (a key for cached results)."""


class _Abort(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, text = node.tag, node.value
    if tag == _CORE + "null":
        return None
    if tag == _CORE + "bool" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if tag == _CORE + "int" and INT_TEXT.fullmatch(text):
        return int(text)
    if tag == _CORE + "float" and FLOAT_TEXT.fullmatch(text):
        return float(text)
    return text


def depth_bound(text: str) -> int:
    """A cheap upper bound on how deeply ``text`` can nest YAML collections."""
    lines = text.splitlines()
    block = 2 * (max(map(len, lines), default=0) + 1)
    if block > 2000:
        # A block collection nests by indenting, or inline by "- " and "? " indicators.
        block = max(
            2 * (len(line) - len(line.lstrip(" ")) + 1) + line.count("- ") + line.count("? ")
            for line in lines
        )
    return text.count("[") + text.count("{") + block


def _too_deep_at(text: str, limit: int) -> Span | None:
    """Where ``text`` first nests deeper than ``limit``, by libyaml's event parser.

    The parser keeps its own stack (the composer recurses), and stopping at the limit
    keeps it fast on input built to be deep. Invalid YAML stops the scan: composing it
    fails at the same place, no deeper.
    """
    depth = 0
    try:
        for event in events(text):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit + 1:  # the root collection is depth 1 here, 0 for MAX_DEPTH
                    mark = event.start_mark
                    return Span.at(mark.line + 1, mark.column + 1) if mark else Span.at(1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


class _Converter:
    def __init__(self, path: str, problems: list[Finding], budget: list[int]) -> None:
        self.path = path
        self.problems = problems
        self.budget = budget
        """Nodes left to convert, shared by every converter of a document (alias bound)."""
        self.active: set[int] = set()
        self.root: yaml.Node | None = None
        self.spans: dict[Pointer, NodeSpans] = {}
        self.tags: dict[Pointer, str] = {}
        self.merged: dict[int, _Converted] = {}
        self.repeated: list[NodeSpans] = []
        """Each mapping a merge key names, converted once, with spans relative to it."""

    def refuse(self, message: str) -> _Abort:
        """Give up on the whole document: the finding points at its start."""
        start = self.root.start_mark if self.root is not None else None
        span = Span.at(start.line + 1, start.column + 1) if start else Span.at(1)
        return _Abort(Finding(self.path, span, "yaml/alias-bomb", Severity.ERROR, message))

    def problem(self, rule: str, message: str, span: Span) -> None:
        self.problems.append(Finding(self.path, span, rule, Severity.ERROR, message))

    def convert(self, node: yaml.Node, ptr: Pointer, key: yaml.Node | None) -> Any:
        if len(ptr) > MAX_DEPTH:
            raise _Abort(
                Finding(
                    self.path,
                    node_span(node),
                    "yaml/too-deep",
                    Severity.ERROR,
                    f"document nests deeper than {MAX_DEPTH} levels",
                )
            )
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise self.refuse("aliases expand the document past the node limit")
        self.spans[ptr] = NodeSpans(node, key, self.path)
        tag = node.tag
        if not tag.startswith(_CORE):
            self.tags[ptr] = tag
        elif tag.startswith(_CORE + "python/"):
            self.problem(
                "yaml/unsafe-tag",
                f"tag {tag.removeprefix(_CORE)!r} is not allowed (it names Python code)",
                node_span(node),
            )
        if isinstance(node, yaml.ScalarNode):
            if tag == INT and len(node.value) > MAX_DIGITS:
                self.problem(
                    "yaml/too-large-number",
                    f"a number of {len(node.value):,} digits (at most {MAX_DIGITS:,}); "
                    "read as text",
                    node_span(node),
                )
                return node.value
            return _scalar(node) if tag.startswith(_CORE) else node.value
        if id(node) in self.active:
            raise self.refuse("document contains a recursive alias")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, ptr)
            return [self.convert(item, (*ptr, i), None) for i, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, ptr: Pointer) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merges: list[yaml.Node] = []
        merge_keys = 0
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merge_keys += 1
                if merge_keys > 1:
                    self.repeated.append(NodeSpans(key_node, None, self.path))
                merges.extend(
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(
                    "yaml/parse-error", "mapping keys must be scalars", node_span(key_node)
                )
                continue
            key = key_node.value
            if key in result:
                self.problem(
                    "yaml/duplicate-key",
                    f"duplicate key {key!r}; the later value wins",
                    node_span(key_node),
                )
            if value_node.__class__ is yaml.ScalarNode and value_node.tag == STR:
                # The common case, inlined: a plain string value.
                self.budget[0] -= 1
                self.spans[(*ptr, key)] = NodeSpans(value_node, key_node, self.path)
                result[key] = value_node.value
            else:
                result[key] = self.convert(value_node, (*ptr, key), key_node)
        for source in merges:
            self.merge_into(result, source, ptr)
        return result

    def merge_into(self, result: dict[str, Any], source: yaml.Node, ptr: Pointer) -> None:
        if not isinstance(source, yaml.MappingNode):
            self.problem(
                "yaml/parse-error",
                "a merge key '<<' needs a mapping or a list of them",
                node_span(source),
            )
            return
        converted = self.merged.get(id(source))
        if converted is None:
            if id(source) in self.active:
                raise self.refuse("document contains a recursive alias")
            inner = _Converter(self.path, self.problems, self.budget)
            inner.merged = self.merged
            inner.active = self.active
            inner.root = self.root
            inner.repeated = self.repeated
            self.active.add(id(source))
            try:
                converted = _Converted(inner.mapping(source, ()), inner.spans, inner.tags)
            finally:
                self.active.discard(id(source))
            self.merged[id(source)] = converted
        fresh = {key: value for key, value in converted.data.items() if key not in result}
        result.update(fresh)
        for sub, spans in converted.spans.items():
            if sub and sub[0] in fresh:
                self.spans[(*ptr, *sub)] = spans
                self.budget[0] -= 1
        for sub, tag in converted.tags.items():
            if sub and sub[0] in fresh:
                self.tags[(*ptr, *sub)] = tag


@dataclass(frozen=True)
class _Converted:
    data: dict[str, Any]
    spans: dict[Pointer, NodeSpans]
    tags: dict[Pointer, str]


def _mark_finding(path: str, exc: yaml.MarkedYAMLError) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    span = Span.at(mark.line + 1, mark.column + 1) if mark else Span.at(1)
    reason = "; ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
    return Finding(path, span, "yaml/parse-error", Severity.ERROR, f"invalid YAML: {reason}")


def _refuse_deep(path: str, text: str) -> YamlFile | None:
    """The file as one ``yaml/too-deep`` finding, if it nests past ``MAX_DEPTH``."""
    deep = _too_deep_at(text, MAX_DEPTH)
    if deep is None:
        return None
    message = f"document nests deeper than {MAX_DEPTH} levels"
    return YamlFile(path, (), (Finding(path, deep, "yaml/too-deep", Severity.ERROR, message),))


def parse(path: str, text: str) -> YamlFile:
    """Parse every document of a YAML file; problems become findings, never exceptions."""
    if depth_bound(text) > _SAFE_COMPOSE_DEPTH:
        refused = _refuse_deep(path, text)
        if refused is not None:
            return refused
    try:
        nodes = compose_all(text)
    except yaml.MarkedYAMLError as exc:
        # Newer libyaml refuses nesting past 1000 levels itself: that is too deep too.
        # The scan stops where libyaml stopped: its scanner reads ahead past the limit.
        mark = exc.problem_mark
        refused = (
            _refuse_deep(path, text[: mark.index])
            if exc.problem == _LIBYAML_TOO_DEEP and mark is not None
            else None
        )
        if refused is not None:
            return refused
        return YamlFile(path, (), (_mark_finding(path, exc),))
    except yaml.YAMLError as exc:
        finding = Finding(
            path, Span.at(1), "yaml/parse-error", Severity.ERROR, f"invalid YAML: {exc}"
        )
        return YamlFile(path, (), (finding,))
    problems: list[Finding] = []
    documents: list[YamlDocument] = []
    for node in nodes:
        if node is None:
            continue
        try:
            documents.append(_document(path, node, problems, len(text)))
        except _Abort as abort:
            problems.append(abort.finding)
        except RecursionError:
            problems.append(
                Finding(
                    path,
                    node_span(node),
                    "yaml/too-deep",
                    Severity.ERROR,
                    f"document nests deeper than {MAX_DEPTH} levels",
                )
            )
    digest = hashlib.sha256(text.encode()).hexdigest()
    return YamlFile(path, tuple(documents), tuple(problems), digest)


def _document(path: str, node: yaml.Node, problems: list[Finding], size: int) -> YamlDocument:
    # Aliases may repeat nodes, never without bound: a document converts at most
    # MAX_EXPANSION nodes more than its text could hold on its own.
    converter = _Converter(path, problems, [MAX_EXPANSION + size])
    converter.root = node
    data = converter.convert(node, (), None)
    repeated = tuple(converter.repeated)
    return YamlDocument(data, converter.spans, converter.tags, repeated)
