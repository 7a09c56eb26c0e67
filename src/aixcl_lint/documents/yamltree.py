"""YAML documents as plain data plus an index from pointers to spans.

PyYAML's C loader composes nodes (which carry marks) and never constructs Python
objects, so tags such as ``!!python/object`` are inert. Merge keys are resolved here so
every merged value keeps the span where it was written; aliases are expanded with a
bound, and nesting depth is bounded before the C composer sees the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from aixcl_lint.core import Finding, Pointer, Position, Severity, Span

MAX_DEPTH = 200
"""Deepest nesting of collections a document may have."""
_SAFE_COMPOSE_DEPTH = 10_000
"""libyaml's composer recurses on the C stack: never hand it anything deeper."""
MAX_EXPANSION = 100_000
"""Nodes alias expansion may add beyond the document's own (billion-laughs bound)."""

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"


@dataclass(frozen=True, slots=True)
class NodeSpans:
    """Where a value was written, and its mapping key if it has one."""

    value: Span
    key: Span | None = None

    @property
    def anchor(self) -> Span:
        """The span to point a finding at: the key if there is one, else the value."""
        return self.key or self.value


@dataclass(frozen=True)
class YamlDocument:
    """One YAML document: plain data, spans by pointer, and non-core tags by pointer."""

    data: Any
    spans: Mapping[Pointer, NodeSpans]
    tags: Mapping[Pointer, str] = field(default_factory=dict)


@dataclass(frozen=True)
class YamlFile:
    """A parsed YAML file: its documents and the problems found while reading them."""

    path: str
    documents: tuple[YamlDocument, ...]
    problems: tuple[Finding, ...]


class _Abort(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def node_span(node: yaml.Node) -> Span:
    """The span of a composed node."""
    start, end = _pos(node.start_mark), _pos(node.end_mark)
    return Span(start, max(start, end))


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, text = node.tag, node.value
    if tag == _CORE + "null":
        return None
    if tag == _CORE + "bool" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if tag == _CORE + "int" and _INT.fullmatch(text):
        return int(text)
    if tag == _CORE + "float" and _FLOAT.fullmatch(text):
        return float(text)
    return text


def scalar_text(value: Any) -> str:
    """A scalar as text, the way YAML 1.2 would write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
    flow = text.count("[") + text.count("{")
    if flow > _SAFE_COMPOSE_DEPTH // 2:
        flow = depth = 0
        for match in re.finditer(r"[\[\]{}]", text):
            depth = depth + 1 if match.group() in "[{" else max(0, depth - 1)
            flow = max(flow, depth)
    return flow + block


class _Converter:
    def __init__(self, path: str, problems: list[Finding]) -> None:
        self.path = path
        self.problems = problems
        self.spans: dict[Pointer, NodeSpans] = {}
        self.tags: dict[Pointer, str] = {}

    def problem(self, rule: str, message: str, span: Span) -> None:
        self.problems.append(Finding(self.path, span, rule, Severity.ERROR, message))

    def convert(self, node: yaml.Node, ptr: Pointer, key: Span | None) -> Any:
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
        self.spans[ptr] = NodeSpans(node_span(node), key)
        tag = node.tag
        if not tag.startswith(_CORE):
            self.tags[ptr] = tag
        elif tag.startswith(_CORE + "python/"):
            self.problem(
                "yaml/unsafe-tag",
                f"tag {tag.removeprefix(_CORE)!r} is not allowed (it names Python code)",
                node_span(node),
            )
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, ptr)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*ptr, i), None) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return _scalar(node) if tag.startswith(_CORE) else node.value

    def mapping(self, node: yaml.MappingNode, ptr: Pointer) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
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
            result[key] = self.convert(value_node, (*ptr, key), node_span(key_node))
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
        inner = _Converter(self.path, self.problems)
        merged = inner.mapping(source, ptr)
        depth = len(ptr)
        for key, value in merged.items():
            if key in result:
                continue
            result[key] = value
            for sub, spans in inner.spans.items():
                if len(sub) > depth and sub[depth] == key:
                    self.spans[sub] = spans
            for sub, tag in inner.tags.items():
                if len(sub) > depth and sub[depth] == key:
                    self.tags[sub] = tag


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes a tree walk of ``root`` visits once aliases are expanded."""
    memo: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = memo.get(id(node))
        if known is not None:
            return known
        memo[id(node)] = 1  # a cycle (recursive alias) counts once
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        memo[id(node)] = total
        return total

    total = size(root)
    return total - len(memo)


def _has_cycle(root: yaml.Node) -> bool:
    state: dict[int, bool] = {}

    def visit(node: yaml.Node) -> bool:
        if isinstance(node, yaml.ScalarNode):
            return False
        seen = state.get(id(node))
        if seen is not None:
            return not seen
        state[id(node)] = False
        children: Iterator[yaml.Node] = (
            (n for pair in node.value for n in pair)
            if isinstance(node, yaml.MappingNode)
            else iter(node.value)
        )
        if any(visit(child) for child in children):
            return True
        state[id(node)] = True
        return False

    return visit(root)


def _mark_finding(path: str, exc: yaml.MarkedYAMLError) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    span = Span.at(mark.line + 1, mark.column + 1) if mark else Span.at(1)
    reason = "; ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
    return Finding(path, span, "yaml/parse-error", Severity.ERROR, f"invalid YAML: {reason}")


def parse(path: str, text: str) -> YamlFile:
    """Parse every document of a YAML file; problems become findings, never exceptions."""
    if depth_bound(text) > _SAFE_COMPOSE_DEPTH:
        finding = Finding(
            path,
            Span.at(1),
            "yaml/too-deep",
            Severity.ERROR,
            "file may nest too deeply to parse safely; it was not parsed",
        )
        return YamlFile(path, (), (finding,))
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
    except yaml.MarkedYAMLError as exc:
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
            documents.append(_document(path, node, problems))
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
    return YamlFile(path, tuple(documents), tuple(problems))


def _document(path: str, node: yaml.Node, problems: list[Finding]) -> YamlDocument:
    own = len(_all_nodes(node))
    if _has_cycle(node):
        raise _Abort(
            Finding(
                path,
                node_span(node),
                "yaml/alias-bomb",
                Severity.ERROR,
                "document contains a recursive alias",
            )
        )
    extra = _expanded_size(node)
    if extra > max(MAX_EXPANSION, 10 * own):
        raise _Abort(
            Finding(
                path,
                node_span(node),
                "yaml/alias-bomb",
                Severity.ERROR,
                f"aliases expand the document by {extra:,} nodes; "
                f"refusing to expand more than {max(MAX_EXPANSION, 10 * own):,}",
            )
        )
    converter = _Converter(path, problems)
    data = converter.convert(node, (), None)
    return YamlDocument(data, converter.spans, converter.tags)


def _all_nodes(root: yaml.Node) -> set[int]:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return seen
