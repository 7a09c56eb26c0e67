"""Selectors: what in a document each check is asked about, registered by kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aixcl_lint.core import Kind
from aixcl_lint.documents.compose import ComposeProject
from aixcl_lint.documents.mdtree import MarkdownTree
from aixcl_lint.documents.textlines import TextTree
from aixcl_lint.policy.model import Selector, Subject, Tree


def _project(tree: Tree) -> Iterator[Subject]:
    assert isinstance(tree, ComposeProject)
    yield Subject(tree, (), {"project": tree.name}, tree.data)


def _services(tree: Tree) -> Iterator[Subject]:
    assert isinstance(tree, ComposeProject)
    for name, service in tree.services():
        yield Subject(tree, ("services", name), {"project": tree.name, "service": name}, service)


def _mounts(tree: Tree) -> Iterator[Subject]:
    assert isinstance(tree, ComposeProject)
    for name, index, facts in tree.bind_mounts():
        variables = {"project": tree.name, "service": name, "source": facts["source"]}
        yield Subject(tree, ("services", name, "volumes", index), variables, facts)


def _lines(tree: Tree) -> Iterator[Subject]:
    assert isinstance(tree, TextTree)
    for i, line in enumerate(tree.data["lines"]):
        yield Subject(tree, ("lines", i), {"path": tree.path, "line": line["text"]}, line)


def _text_references(tree: Tree) -> Iterator[Subject]:
    assert isinstance(tree, TextTree)
    for i, ref in enumerate(tree.data["references"]):
        variables = {
            "path": tree.path,
            "target": ref["path"],
            "number": ref["number"],
            "resolved": ref.get("resolved") or "",
        }
        yield Subject(tree, ("references", i), variables, ref)


def _document(tree: Tree) -> Iterator[Subject]:
    assert isinstance(tree, MarkdownTree)
    yield Subject(tree, (), {"path": tree.path}, tree.data)


Describe = Callable[[dict[str, Any]], dict[str, str]]


def _each(field: str, describe: Describe) -> Selector:
    """A selector for every item of one of a Markdown document's lists."""

    def select(tree: Tree) -> Iterator[Subject]:
        assert isinstance(tree, MarkdownTree)
        for i, item in enumerate(tree.data[field]):
            variables = {"path": tree.path, "heading": item.get("heading", ""), **describe(item)}
            yield Subject(tree, (field, i), variables, item)

    return select


def _rows(tree: Tree) -> Iterator[Subject]:
    assert isinstance(tree, MarkdownTree)
    for t, table in enumerate(tree.data["tables"]):
        for r, record in enumerate(table["records"]):
            variables = {
                "path": tree.path,
                "heading": table.get("heading", ""),
                "row": " | ".join(table["rows"][r]),
            }
            yield Subject(tree, ("tables", t, "records", r), variables, record)


def _heading(item: dict[str, Any]) -> dict[str, str]:
    return {
        "heading": item["text"],
        "number": item["number"] or "",
        "level": str(item["level"]),
        "duplicate_of": item.get("duplicate_of") or "",
        "number_expected": item.get("number_expected") or "",
    }


SELECTORS: dict[Kind, dict[str, Selector]] = {
    Kind.COMPOSE: {"project": _project, "services": _services, "mounts": _mounts},
    Kind.TEXT: {"lines": _lines, "references": _text_references},
    Kind.MARKDOWN: {
        "document": _document,
        "headings": _each("headings", _heading),
        "tables": _each("tables", lambda t: {}),
        "rows": _rows,
        "links": _each(
            "links",
            lambda link: {
                "text": link["text"],
                "target": link["target"],
                "resolved": link.get("resolved") or "",
            },
        ),
        "references": _each(
            "references",
            lambda r: {
                "target": r["path"],
                "number": r["number"],
                "resolved": r.get("resolved") or "",
            },
        ),
        "contacts": _each("contacts", lambda c: {"address": c["address"]}),
        "text": _each("text", lambda t: {}),
        "lists": _each("lists", lambda t: {}),
        "code_blocks": _each("code_blocks", lambda c: {"lang": c["lang"]}),
    },
}
"""Selectors by document kind and name: the closed list a policy may use."""

_MARKDOWN = frozenset({"path", "heading"})
VARIABLES: dict[str, frozenset[str]] = {
    "project": frozenset({"project"}),
    "services": frozenset({"project", "service"}),
    "mounts": frozenset({"project", "service", "source"}),
    "document": frozenset({"path"}),
    "lines": frozenset({"path", "line"}),
    "headings": _MARKDOWN | {"number", "level", "duplicate_of", "number_expected"},
    "tables": _MARKDOWN,
    "rows": _MARKDOWN | {"row"},
    "links": _MARKDOWN | {"text", "target", "resolved"},
    "references": _MARKDOWN | {"target", "number", "resolved"},
    "contacts": _MARKDOWN | {"address"},
    "text": _MARKDOWN,
    "lists": _MARKDOWN,
    "code_blocks": _MARKDOWN | {"lang"},
}
"""Message variables each selector provides, besides a check's own."""

CHECK_VARIABLES = frozenset({"field", "value", "raw", "expected"})
"""Message variables every check provides."""

_IN_SECTION = frozenset({"heading", "headings"})
FIELDS: dict[str, frozenset[str]] = {
    "mounts": frozenset({"source", "resolved", "exists"}),
    "lines": frozenset({"text", "number"}),
    "headings": _IN_SECTION
    | {
        "text",
        "level",
        "number",
        "slug",
        "body",
        "targets",
        "duplicate",
        "duplicate_of",
        "empty",
        "version",
        "parents",
        "addresses",
        "number_expected",
    },
    "tables": _IN_SECTION | {"header", "columns", "rows", "records"},
    "rows": _IN_SECTION | {"cells"},
    "links": _IN_SECTION
    | {
        "text",
        "target",
        "kind",
        "path",
        "fragment",
        "address",
        "resolved",
        "target_exists",
        "fragment_exists",
    },
    "references": _IN_SECTION | {"path", "number", "resolved", "target_exists", "section_exists"},
    "text": _IN_SECTION | {"text"},
    "lists": _IN_SECTION | {"ordered", "items"},
    "code_blocks": _IN_SECTION | {"lang", "text"},
    "contacts": _IN_SECTION | {"address"},
}
"""Fields the subjects of a selector have (a heading's ``heading`` is its parent's text,
``headings`` the path of headings above it). A malformed link's ``stray`` is on those
links only. Compose selectors read compose keys, and
``document`` the whole model, so they are open-ended and not listed."""
