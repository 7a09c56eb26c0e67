"""YAML documents as plain data plus an index from pointers to spans.

PyYAML's C loader composes nodes (which carry marks) and never constructs Python
objects, so tags such as ``!!python/object`` are inert. Nodes become data in
``yamlconvert`` (merge keys resolved, aliases expanded with a bound); each document
keeps its root node, from which ``yamlindex`` reads where a value was written, so every
merged value keeps the span where it was written. Nesting depth is bounded before the
C composer sees the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from aixcl_lint.core import Finding, Pointer, Severity, Span
from aixcl_lint.documents import yamlindex, yamlplain
from aixcl_lint.documents.spans import NodeSpans, node_span
from aixcl_lint.documents.yamlconvert import MAX_DEPTH, MAX_DIGITS, MAX_EXPANSION, Abort, convert
from aixcl_lint.documents.yamlload import compose_all, events
from aixcl_lint.inputs import hexdigest
from aixcl_lint.records import record
from aixcl_lint.yamllib import yaml

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "MAX_EXPANSION", "YamlDocument", "YamlFile", "parse"]

_SAFE_COMPOSE_DEPTH = 10_000
"""libyaml's composer recurses on the C stack: never hand it anything deeper."""

_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
"""libyaml's own refusal of deep input (its parser, newer releases)."""


@record
class YamlDocument:
    """One YAML document: plain data, spans by pointer, and non-core tags by pointer."""

    data: Any
    spans: Mapping[Pointer, NodeSpans]
    tags: Mapping[Pointer, str] = field(default_factory=dict)
    repeated_merges: tuple[NodeSpans, ...] = ()
    """Merge keys ``<<`` written again in the same mapping (Compose refuses them)."""


@record
class YamlFile:
    """A parsed YAML file: its documents and the problems found while reading them."""

    path: str
    documents: tuple[YamlDocument, ...]
    problems: tuple[Finding, ...]
    digest: str = ""
    """A hash of the text the documents were parsed from (a key for cached results)."""


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
        except Abort as abort:
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
    return YamlFile(path, tuple(documents), tuple(problems), text_digest(text))


def text_digest(text: str) -> str:
    """What identifies a YAML text's parse (``YamlFile.digest``): a BLAKE2b digest, as
    every key of the cache (importing hashlib loads OpenSSL: 12M instructions of a cold
    run)."""
    return hexdigest(text.encode(), 32)


def _document(path: str, node: yaml.Node, problems: list[Finding], size: int) -> YamlDocument:
    walked = yamlplain.convert(path, node, size)
    if walked is not None:
        data, tags, found, repeated = walked
        problems.extend(found)
        return YamlDocument(data, yamlindex.NodeIndex(node, path), tags, repeated)
    data, tags, repeated = convert(path, node, problems, size)
    return YamlDocument(data, yamlindex.NodeIndex(node, path), tags, repeated)
