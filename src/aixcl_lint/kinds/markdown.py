"""``markdown``: a Markdown file parsed with pulldown-cmark (``documents.markdown``),
with the facts ``documents.mdtree`` derives for rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from aixcl_lint import globs as patterns
from aixcl_lint.core import matchable
from aixcl_lint.kinds.base import (
    BOOLEAN,
    SCALAR,
    Document,
    Field,
    KindSpec,
    Planned,
    Reader,
    SelectorSpec,
    Subject,
    Tree,
    Unit,
    single_units,
)

NAME = "markdown"

_PLACE = (Field("heading"), Field("headings"), Field("section"))
"""Where an item is: its section's heading, the headings down to it, the heading's index."""
HEADING = (
    Field("text"),
    Field("level"),
    Field("number", "`7`, `7.1`"),
    Field("slug"),
    Field("body", "prose of the section and its subsections, table rows included"),
    Field("targets", "link targets in the section", items=SCALAR),
    Field("addresses", "e-mail addresses written in the section, as `contacts`", items=SCALAR),
    Field("parents", "the texts of the headings above, one a line"),
    Field("version", "a release heading's version"),
    Field("duplicate"),
    Field("duplicate_of", "the first heading's text, for a duplicate"),
    Field("empty"),
    Field("number_expected", "only when the number is out of sequence"),
    Field("heading", "the parent heading's text; empty at the top"),
    Field("headings", "the headings above it: `Guide / 1. Start`"),
    Field("parent"),
    Field("end_line"),
)
ROW = (
    Field(
        "cells",
        "`cells.<column>`: the column name lower-cased, trailing punctuation dropped, "
        "so `Supported?` is `cells.supported`",
        open=True,
    ),
    Field("text", "the row's cells, as prose"),
    *_PLACE,
)
TABLE = (
    Field("header", items=SCALAR),
    Field("columns", "header names compared loosely", items=SCALAR),
    Field("rows", items=None),
    Field("records", items=ROW),
    Field("align", items=SCALAR),
    *_PLACE,
)
LINK = (
    Field("text"),
    Field("target"),
    Field(
        "kind",
        "`file`, `root`, `anchor`, `url`, `mailto`, `other`, `malformed`: link syntax left "
        "in the text",
    ),
    Field("stray", "a malformed link's text left over (or its destination, `(https://...)`)"),
    Field(
        "image", "true for an image (`![alt](src)`, `<img src>`): its text is empty", values=BOOLEAN
    ),
    Field(
        "role",
        "a MyST role's name: `doc`, `ref`, `numref`, `download`; a label's target is `#label`",
    ),
    Field("path"),
    Field("fragment"),
    Field("address", "a mailto link's address"),
    Field("resolved", "repository path; not set for a template's relative links"),
    Field("target_exists", values=BOOLEAN),
    Field("fragment_exists", "only when the target is a Markdown file", values=BOOLEAN),
    *_PLACE,
)
REFERENCE = (
    Field("path"),
    Field("number"),
    Field("resolved"),
    Field("target_exists", values=BOOLEAN),
    Field("section_exists", "only when the file exists", values=BOOLEAN),
    *_PLACE,
)
TEXT = (Field("text"), *_PLACE)
LIST = (Field("ordered"), Field("items", items=SCALAR), *_PLACE)
CODE = (Field("lang"), Field("text"), *_PLACE)
DOCUMENT = (
    Field("headings", items=HEADING),
    Field("tables", items=TABLE),
    Field("links", items=LINK),
    Field("lists", items=LIST),
    Field("text", items=TEXT),
    Field("references", items=REFERENCE),
    Field("contacts", items=(Field("address"), *_PLACE)),
    Field("anchors", items=None),
    Field("code_blocks", items=CODE),
    Field("comments", items=(Field("text"),)),
    Field("prose", "all headings, paragraphs, list items and table rows"),
    Field("front_matter", open=True),
    Field("template", "true for an issue, pull-request or release template", values=BOOLEAN),
)


def _document(tree: Tree, _: str) -> Iterator[Subject]:
    from aixcl_lint.documents.mdtree import MarkdownTree

    assert isinstance(tree, MarkdownTree)
    yield Subject(tree, (), {"path": tree.path}, tree.data)


_subject = tuple.__new__

Describe = Callable[[str, dict[str, Any]], dict[str, str]]
"""A subject's message variables, from its file's path and its item."""


def _each(field: str, describe: Describe) -> Callable[[Tree, str], Iterator[Subject]]:
    """A selector for every item of one of a Markdown document's lists."""

    def select(tree: Tree, _: str) -> Iterator[Subject]:
        from aixcl_lint.documents.mdtree import MarkdownTree

        assert isinstance(tree, MarkdownTree)
        path = tree.path
        for i, item in enumerate(tree.data[field]):
            # the tuple made in C: a named tuple's own __new__ is a Python call (41k
            # subjects of the benchmark's 1,000 documents)
            yield _subject(Subject, (tree, (field, i), describe(path, item), item))

    return select


def _rows(tree: Tree, _: str) -> Iterator[Subject]:
    from aixcl_lint.documents.mdtree import MarkdownTree

    assert isinstance(tree, MarkdownTree)
    for t, table in enumerate(tree.data["tables"]):
        for r, record in enumerate(table["records"]):
            variables = {
                "path": tree.path,
                "heading": table.get("heading", ""),
                "row": " | ".join(table["rows"][r]),
            }
            yield Subject(tree, ("tables", t, "records", r), variables, record)


def _heading(path: str, item: dict[str, Any]) -> dict[str, str]:
    return {
        "path": path,
        "heading": item["text"],
        "number": item["number"] or "",
        "level": str(item["level"]),
        "duplicate_of": item.get("duplicate_of") or "",
        "number_expected": item.get("number_expected") or "",
    }


def _link(path: str, link: dict[str, Any]) -> dict[str, str]:
    return {
        "path": path,
        "heading": link.get("heading", ""),
        "text": link["text"],
        "target": link["target"],
        "resolved": link.get("resolved") or "",
    }


def _reference(path: str, ref: dict[str, Any]) -> dict[str, str]:
    return {
        "path": path,
        "heading": ref.get("heading", ""),
        "target": ref["path"],
        "number": ref["number"],
        "resolved": ref.get("resolved") or "",
    }


def _placed(path: str, item: dict[str, Any]) -> dict[str, str]:
    return {"path": path, "heading": item.get("heading", "")}


def _contact(path: str, item: dict[str, Any]) -> dict[str, str]:
    return {**_placed(path, item), "address": item["address"]}


def _code(path: str, item: dict[str, Any]) -> dict[str, str]:
    return {**_placed(path, item), "lang": item["lang"]}


_AT = ("path", "heading")


SCANNED: Mapping[str, frozenset[str]] = {
    "links": frozenset(),
    "references": frozenset(),
    "headings": frozenset({"body", "addresses"}),
}
"""The selectors whose subjects the scan of a file (``documents.mdscan``) provides, each
with the fields it lacks: the others need the full model (prose, tables, lists...)."""


def needs_model(reads: frozenset[str]) -> bool:
    """Whether a rule reading ``reads`` (``Rule.reads``) needs the full model."""
    for read in reads:
        name, _, field = read.partition(".")
        lacking = SCANNED.get(name)
        if lacking is None or field in lacking:
            return True
    return False


def _units(planned: Planned) -> list[Unit]:
    """One unit per file; those only rules answered by the scan read are scanned."""
    paths = planned.of(NAME)
    modelled = [globs for globs, reads in planned.reads if needs_model(reads)]
    if not planned.reads or any(not globs for globs in modelled):
        return single_units(NAME, paths)
    # As the engine admits a file to a rule: by that rule's globs alone.
    specs = [spec for globs in modelled if (spec := patterns.lenient_spec(globs)) is not None]
    scanned = frozenset[str]().union(*(reads for _, reads in planned.reads))
    return [
        Unit(NAME, (path,), path)
        if any(spec.match_file(matchable(path)) for spec in specs)
        else Unit(NAME, (path,), path, reads=scanned)
        for path in paths
    ]


def _load(reader: Reader, units: Sequence[Unit]) -> Iterator[Document]:
    """Each Markdown file with its derived facts (links resolved against the repository).

    Every file is parsed before any is enriched, so that links between them find their
    target's outline already known instead of reading the file twice.
    """
    from aixcl_lint.documents import mdtree

    parsed = [reader.markdown(unit.paths[0], full=unit.reads is None) for unit in units]
    repository = reader.repository()
    for i, doc in enumerate(parsed):
        if doc is not None:
            parsed[i] = None  # let each document go once it is evaluated
            tree = mdtree.enrich(doc, repository, template=reader.is_template(doc.path))
            yield Document(NAME, (doc.path,), tree)


def _comments(reader: Reader, rel: str) -> list[tuple[int, int, str]]:
    """Directives in a Markdown file are HTML comments."""
    doc = reader.markdown(rel, full=False)
    if doc is None:
        return []
    return [
        (span.start.line, span.start.column, comment["text"])
        for i, comment in enumerate(doc.data["comments"])
        for span in [doc.spans[("comments", i)].value]
    ]


SPEC = KindSpec(
    name=NAME,
    summary=(
        "A Markdown file, parsed with pulldown-cmark (CommonMark + GFM tables). Code blocks "
        "and inline code are never links or prose."
    ),
    globs=("*.md", "*.markdown"),
    readable=("*.md", "*.markdown"),
    selectors={
        "document": SelectorSpec("the file", ("path",), _document, DOCUMENT),
        "headings": SelectorSpec(
            "each heading",
            ("path", "heading", "number", "level", "duplicate_of", "number_expected"),
            _each("headings", _heading),
            HEADING,
        ),
        "tables": SelectorSpec("each table", _AT, _each("tables", _placed), TABLE),
        "rows": SelectorSpec("each body row of a table", (*_AT, "row"), _rows, ROW),
        "links": SelectorSpec(
            "each link (inline, reference, autolink, `<a href>`), image (`![alt](src)`, "
            "`<img src>`) and, on a MyST page, role naming a document, label or file "
            "(``{doc}`intro` ``, ``{ref}`label` ``, `{numref}`, `{download}`)",
            (*_AT, "text", "target", "resolved"),
            _each("links", _link),
            LINK,
        ),
        "references": SelectorSpec(
            'each prose reference such as "see docs/x.md section 7" or "section 7.1 of docs/x.md"',
            (*_AT, "target", "number", "resolved"),
            _each("references", _reference),
            REFERENCE,
        ),
        "contacts": SelectorSpec(
            "each e-mail address written but not linked (in prose, inline code, a code block "
            "or a table cell; also written out, `info [at] example [dot] org`, as `address`: "
            "`info@example.org`), once per section",
            (*_AT, "address"),
            _each("contacts", _contact),
            (Field("address"), *_PLACE),
        ),
        "text": SelectorSpec("each paragraph or list item", _AT, _each("text", _placed), TEXT),
        "lists": SelectorSpec("each list", _AT, _each("lists", _placed), LIST),
        "code_blocks": SelectorSpec(
            "each code block",
            (*_AT, "lang"),
            _each("code_blocks", _code),
            CODE,
        ),
    },
    units=_units,
    load=_load,
    capabilities=frozenset({"exists", "repository"}),
    comments=_comments,
)
