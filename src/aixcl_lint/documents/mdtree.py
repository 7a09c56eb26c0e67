"""A Markdown document as rules see it: the parsed model plus facts derived from it.

Derived facts are plain data beside the model's own, so policies test them with the
ordinary operators: where each link leads and whether that file and heading exist,
each section's prose, duplicate and out-of-sequence headings, table rows keyed by
their column names. Questions about other files go to a ``Repository`` the caller
provides (the run layer, which owns all I/O).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import field
from typing import TYPE_CHECKING, Any, Protocol

from aixcl_lint.core import Location, Pointer, Span
from aixcl_lint.documents import fragments, numbering
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.records import record

if TYPE_CHECKING:  # the parser (pyromark) is imported only by runs that read Markdown
    from aixcl_lint.documents.markdown import MarkdownDocument

_TRAILING = " ?:.!*_`"
"""Punctuation (and spaces, all single by then) a column name may end with."""
_SPACES = re.compile(r"\s+")


class Repository(Protocol):
    """What a document may ask about the rest of the repository."""

    def exists(self, path: str) -> bool:
        """Whether a repository-relative path names a file or folder in the repository."""

    def anchors(self, path: str) -> AbstractSet[str] | None:
        """Heading slugs and HTML anchors of a Markdown file (None: not Markdown)."""

    def numbers(self, path: str) -> AbstractSet[str] | None:
        """Section numbers of a Markdown file's headings (None: not Markdown)."""

    def project(self, path: str) -> str | None:
        """The source folder of the Sphinx project whose MyST pages hold ``path``."""

    def labels(self, folder: str) -> Mapping[str, str]:
        """The explicit targets of the Sphinx project in ``folder``, with their files."""


def column_key(text: str) -> str:
    """A table column name compared loosely: case, spacing, trailing punctuation."""
    # rstrip, not a `[...]+$` pattern: that backtracks on long runs of punctuation.
    return _SPACES.sub(" ", text.strip().lower()).rstrip(_TRAILING)


def resolve(document: str, target: str, *, root_relative: bool = False) -> str | None:
    """A link's path as a repository path, or None if it leaves the repository."""
    base = "" if root_relative else document.rpartition("/")[0]
    target = target.lstrip("/")
    if _plain(base):  # then leading ./ and ../ are taken off as normpath would
        rest = target
        while rest.startswith(("./", "../")):
            if rest[1] != "/":
                if not base:
                    return None  # above the repository's root
                base = base.rpartition("/")[0]
            rest = rest.partition("/")[2]
        if rest and _plain(rest):
            return f"{base}/{rest}" if base else rest  # what normpath would leave
        base = "" if root_relative else document.rpartition("/")[0]
    joined = posixpath.normpath(posixpath.join(base, target))
    return None if joined == ".." or joined.startswith("../") else joined.removeprefix("./")


def _plain(path: str) -> bool:
    """Whether a path has no ``.``, ``..`` or empty part (``.x`` files are not told
    apart: they only take the longer way)."""
    return (
        not path.startswith((".", "/"))
        and "/." not in path
        and "//" not in path
        and path[-1:] != "/"
    )


@record
class MarkdownTree:
    """A Markdown document with derived facts, read by checks through ``Tree``."""

    path: str
    data: dict[str, Any]
    spans: Mapping[Pointer, NodeSpans]
    aliases: Mapping[Pointer, Pointer] = field(default_factory=dict)
    """Derived pointers and the model pointer whose span they share."""
    repo: Repository | None = None

    def exists(self, path: str) -> bool:
        """Whether a repository-relative path exists in the repository."""
        return self.repo is not None and self.repo.exists(path)

    def _spans(self, ptr: Pointer) -> NodeSpans | None:
        for depth in range(len(ptr), -1, -1):
            head = ptr[:depth]
            head = self.aliases.get(head, head)
            if head in self.spans:
                return self.spans[head]
            if not head:
                break
        return None

    def location(self, ptr: Pointer, *, value: bool = False) -> Location:
        """Where ``ptr`` was written (its nearest ancestor with a span; else line 1)."""
        spans = self._spans(ptr)
        return Location(self.path, spans.value if spans is not None else Span.at(1))

    def locations(self, ptr: Pointer) -> list[Location]:
        """The one place ``ptr`` was written."""
        return [self.location(ptr)]

    def interpolate(self, value: Any) -> str:
        """A scalar as text (Markdown has no variables)."""
        return value if value.__class__ is str else scalar_text(value)


def _links(doc: MarkdownDocument, repo: Repository, *, template: bool) -> None:
    # A MyST page's links also name documents and labels (``sphinx``). Facts that do
    # not apply (a fragment of a file that is not Markdown, a template's relative link)
    # are left out, so that checks on them do not apply either.
    myst = doc.flavour == "myst"  # (mdanchors.MYST: that module is the parser's)
    if myst:
        from aixcl_lint.documents import sphinx  # (it reads this module's resolve)
    hugo_page = doc.flavour == "hugo"
    if hugo_page:
        from aixcl_lint.documents import hugo  # (as sphinx)
    for link in doc.data["links"]:
        resolved = None
        link["address"] = link["target"].removeprefix("mailto:")
        if myst and link["kind"] == "other":
            sphinx.unscheme(link)
        if template and link["kind"] in ("file", "root"):
            continue
        if link["kind"] in ("file", "root") and link["path"]:
            resolved = resolve(doc.path, link["path"], root_relative=link["kind"] == "root")
        elif link["kind"] == "anchor":
            resolved = doc.path
        link.update(
            resolved=resolved,
            target_exists=resolved is not None and repo.exists(resolved),
        )
        if link["fragment"] and link["target_exists"] and resolved is not None:
            anchors = repo.anchors(resolved)
            if anchors is None and link["kind"] in ("file", "root"):
                anchors = fragments.folder_readme(resolved, repo)
            if anchors is not None:
                link["fragment_exists"] = fragments.found(link["fragment"].lower(), anchors)
        if myst and (not link["target_exists"] or link.get("fragment_exists") is False):
            sphinx.resolve_link(doc.path, link, repo)  # a document's name, a label
        elif hugo_page and not link["target_exists"]:
            ref = link["target"].startswith("{{")  # (a shortcode's kind: only a ref's)
            hugo.resolve_link(doc.path, link, repo, ref=ref)  # content/, static/


def resolve_references(path: str, references: list[dict[str, Any]], repo: Repository) -> None:
    """Where each prose reference of the file at ``path`` leads (beside it, or from the
    repository root) and whether that file has a heading with its number."""
    for ref in references:
        candidates = (resolve(path, ref["path"]), resolve(path, ref["path"], root_relative=True))
        found = next((c for c in candidates if c is not None and repo.exists(c)), None)
        ref.update(resolved=found, target_exists=found is not None)
        numbers = repo.numbers(found) if found else None
        if numbers is not None:
            ref["section_exists"] = ref["number"] in numbers


def _headings(doc: MarkdownDocument) -> None:
    headings: list[dict[str, Any]] = doc.data["headings"]
    if doc.full:
        _bodies(doc)
    targets = _targets(headings, doc.data["links"])
    seen: dict[tuple[Any, int, str], int] = {}
    trails: list[str] = []  # each heading's ``parents``, from its parent's
    for i, heading in enumerate(headings):
        text, parent = heading["text"], heading["parent"]
        key = (parent, heading["level"], _SPACES.sub(" ", text.lower()))
        duplicate = key in seen
        seen.setdefault(key, i)
        above = "" if parent is None else headings[parent]["text"]
        if parent is not None and trails[parent]:
            above = f"{trails[parent]}\n{above}"
        trails.append(above)
        heading["targets"] = targets.get(i, "")
        heading["duplicate"] = duplicate
        heading["empty"] = not any(c.isalnum() or unicodedata.category(c) == "So" for c in text)
        heading["version"] = numbering.is_version(text)
        heading["parents"] = above
        if duplicate:
            heading["duplicate_of"] = headings[seen[key]]["text"]
    for i, expected in numbering.misnumbered(headings).items():
        headings[i]["number_expected"] = expected


def _targets(headings: list[dict[str, Any]], links: list[dict[str, Any]]) -> dict[int, str]:
    """The link targets of each heading's section and subsections, in document order: its
    own (which come before its first subheading) and then its subheadings', in order."""
    own: dict[int, list[str]] = {}
    for link in links:
        if link["section"] is not None:
            own.setdefault(link["section"], []).append(link["target"])
    found: dict[int, list[str]] = {}
    for i in range(len(headings) - 1, -1, -1):  # subheadings come after their heading
        mine = own.get(i, []) + found.pop(i, [])  # (subheadings' lists joined, in order)
        parent = headings[i]["parent"]
        if mine and parent is not None:
            found[parent] = mine + found.get(parent, [])
        if mine:
            own[i] = mine
    return {i: " ".join(targets) for i, targets in own.items()}


def _bodies(doc: MarkdownDocument) -> None:
    """Each heading's ``body``: the prose of its section and its subsections."""
    headings: list[dict[str, Any]] = doc.data["headings"]
    prose: dict[int, list[str]] = {}
    subheadings = [{"text": h["text"], "section": h["parent"]} for h in headings]
    for item in (*subheadings, *doc.data["text"], *_rows(doc)):  # and table rows
        section = item["section"]
        while section is not None:
            prose.setdefault(section, []).append(_sentence(item["text"]))
            section = headings[section]["parent"]
    for i, heading in enumerate(headings):
        heading["body"] = "\n".join(prose.get(i, []))


def _parents(headings: list[dict[str, Any]], section: int | None) -> list[str]:
    """The texts of the headings above a heading, outermost first."""
    trail: list[str] = []
    while section is not None:
        trail.append(headings[section]["text"])
        section = headings[section]["parent"]
    return trail[::-1]


def _rows(doc: MarkdownDocument) -> list[dict[str, Any]]:
    """Each table row as prose (``cell | cell``), in its section."""
    return [
        {"text": " | ".join(cell for cell in row if cell), "section": table["section"]}
        for table in doc.data["tables"]
        for row in (table["header"], *table["rows"])
        if any(row)
    ]


def _tables(doc: MarkdownDocument, aliases: dict[Pointer, Pointer]) -> None:
    """Each table's column names, and its rows as records of cells keyed by column."""
    for t, table in enumerate(doc.data["tables"]):
        columns = [column_key(cell) for cell in table["header"]]
        records = []
        for r, row in enumerate(table["rows"]):
            cells: dict[str, str] = {}
            for c, name in enumerate(columns):
                if name and name not in cells:
                    cells[name] = row[c] if c < len(row) else ""
                    aliases[("tables", t, "records", r, "cells", name)] = (
                        "tables",
                        t,
                        "rows",
                        r,
                        c,
                    )
            text = " | ".join(cell for cell in row if cell)
            records.append({"cells": cells, "text": text, "section": table["section"]})
            aliases[("tables", t, "records", r)] = ("tables", t, "rows", r)
        table.update(columns=columns, records=records)


def _contacts(doc: MarkdownDocument, aliases: dict[Pointer, Pointer]) -> None:
    """E-mail addresses written but not linked (linked ones are links): in prose, code
    spans and table cells, once each per section."""
    linked = {link["address"].lower() for link in doc.data["links"] if link["kind"] == "mailto"}
    contacts: list[dict[str, Any]] = []
    seen: set[tuple[str, Any]] = set()
    for i, mention in enumerate(doc.data["mentions"]):
        key = (mention["address"].lower(), mention["section"])
        if key[0] in linked or key in seen:
            continue
        seen.add(key)
        aliases[("contacts", len(contacts))] = ("mentions", i)
        contacts.append(dict(mention))
    doc.data["contacts"] = contacts
    headings = doc.data["headings"]
    addresses: dict[int, list[str]] = {}
    for contact in contacts:
        section = contact["section"]
        while section is not None:
            addresses.setdefault(section, []).append(contact["address"])
            section = headings[section]["parent"]
    for i, heading in enumerate(headings):
        heading["addresses"] = " ".join(addresses.get(i, []))


def _sections(doc: MarkdownDocument) -> None:
    """Every item learns its section's heading, and the headings above it (``headings``);
    a heading is in its parent's section."""
    headings = doc.data["headings"]
    records = [r for table in doc.data.get("tables", ()) for r in table["records"]]
    items = [*records, *doc.data.get("contacts", ())]
    for kind in ("tables", "links", "lists", "text", "references", "code_blocks"):
        items.extend(doc.data.get(kind, ()))
    # Each section's heading and trail, once: (None: before the first heading).
    places: dict[int | None, tuple[str, str]] = {None: ("", "")}
    for i, heading in enumerate(headings):
        text, parent = heading["text"], heading["parent"]
        places[i] = (text, text if parent is None else f"{places[parent][1]} / {text}")
    for item in (*items, *headings):
        section = item["section"] if "section" in item else item["parent"]
        item["heading"], item["headings"] = places[section]


def _sentence(text: str) -> str:
    """Text ended as a sentence, so that prose patterns (``[^.]*``) stop at its end."""
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def enrich(doc: MarkdownDocument, repo: Repository, *, template: bool = False) -> MarkdownTree:
    """The document with its derived facts, for rules. A ``template`` (an issue form) is
    rendered in an issue or a release, so its relative links do not lead into the tree."""
    headings = doc.data["headings"]
    aliases: dict[Pointer, Pointer] = {}
    doc.data["template"] = template
    _links(doc, repo, template=template)
    resolve_references(doc.path, doc.data["references"], repo)
    _headings(doc)
    if doc.full:  # a scanned document has no prose, tables, lists or addresses
        _tables(doc, aliases)
        _contacts(doc, aliases)
    _sections(doc)
    if doc.full:
        texts = (
            *(h["text"] for h in headings),
            *(t["text"] for t in doc.data["text"]),
            *(r["text"] for r in _rows(doc)),
        )
        doc.data["prose"] = "\n".join(_sentence(text) for text in texts if text)
    return MarkdownTree(doc.path, doc.data, doc.spans, aliases, repo)
