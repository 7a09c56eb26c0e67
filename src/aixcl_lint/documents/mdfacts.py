"""What both readers of pulldown-cmark's events record the same way: headings and their
anchors, links (and link syntax left in prose), section references, HTML comments and
anchors, front matter, each with its byte range by pointer.

``mdscan.Scan`` (the facts every document needs) and ``mdbuild.Builder`` (the full
model) share this base, so that the parts both read are the same by construction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape
from typing import Any

from aixcl_lint import deferred
from aixcl_lint.core import Finding, Pointer
from aixcl_lint.documents import frontmatter, mdsource
from aixcl_lint.documents.lineindex import LineIndex
from aixcl_lint.documents.mdanchors import HUGO, MYST, HeadingAnchors
from aixcl_lint.documents.spans import NodeSpans

INLINE = frozenset(
    {"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"}
)
"""Elements inside a block, which do not end the implicit paragraph of a list item."""
_SPACE = b" \t\r\n"
_ROLE = deferred.pattern(rb"(?<![\\`])\{(doc|ref|numref|download)\}\Z")
"""A MyST role that names a document, a label or a file, right before a code span."""
_ROLE_TEXT = deferred.pattern(r"(.*?)\s*<([^<>]+)>", re.DOTALL)
"""A role's ``text <target>`` form."""
_LABELS = frozenset({"ref", "numref"})
FACTS = ("headings", "links", "anchors", "references", "comments")
"""The lists of items both readers fill."""


class Facts:
    """A document's facts as they are read: ``data`` by key, byte ranges by pointer."""

    __slots__ = (
        "anchors",
        "cites",
        "closers",
        "data",
        "front_spans",
        "hugo",
        "index",
        "open_headings",
        "path",
        "problems",
        "ranges",
        "roles",
    )

    def __init__(self, path: str, index: LineIndex, flavour: str, keys: tuple[str, ...]) -> None:
        self.path = path
        self.index = index
        self.data: dict[str, Any] = {**{key: [] for key in keys}, "front_matter": None}
        self.ranges: dict[Pointer, tuple[int, int]] = {}
        self.front_spans: Mapping[Pointer, NodeSpans] = {}
        self.problems: list[Finding] = []
        self.anchors = HeadingAnchors(flavour)
        self.open_headings: list[int] = []
        self.closers: dict[int, int] = {}  # heading -> the heading that ends its section
        self.cites: bool | None = None  # whether the text may hold a section reference
        self.roles = flavour == MYST
        """Whether a code span may be a role's target (``{doc}`intro```)."""
        self.hugo = flavour == HUGO
        """Whether a shortcode may be a link's destination (``{{< ref "x" >}}``)."""

    def put(self, ptr: Pointer, start: int, end: int) -> None:
        """The byte range of ``ptr``, without white space at either end."""
        data = self.index.data
        while end > start and data[end - 1] in _SPACE:
            end -= 1
        while start < end and data[start] in _SPACE:
            start += 1
        self.ranges[ptr] = (start, end)

    def section(self) -> int | None:
        """The index of the heading whose section this is (None: before any)."""
        count = len(self.data["headings"])
        return count - 1 if count else None

    def stray(self, text: str, start: int, end: int, *, starts_block: bool) -> None:
        """Link syntax left over in prose: a link written wrong, kept as a link of kind
        ``malformed`` whose ``stray`` is the text left over."""
        exact = self.index.data[start:end] == text.encode("utf-8")
        links: list[dict[str, Any]] = self.data["links"]
        if self.hugo and "{{" in text:
            text = self._shortcode_links(text, start, end, exact=exact)
        for first, last in mdsource.stray_link_syntax(text, starts_block=starts_block):
            where = (start + len(text[:first].encode()), start + len(text[:last].encode()))
            self.put(("links", len(links)), *(where if exact else (start, end)))
            entry = {"text": "", "target": text[first:last], "kind": "malformed", "path": None}
            links.append(
                {**entry, "fragment": None, "section": self.section(), "stray": text[first:last]}
            )

    def _shortcode_links(self, text: str, start: int, end: int, *, exact: bool) -> str:
        """A Hugo page's links to a shortcode in prose (``hugo.shortcode_links``), kept
        as links; the text without them, each blanked (for the stray syntax left)."""
        from aixcl_lint.documents import hugo

        for first, last, target in hugo.shortcode_links(text):
            opening = start + len(text[:first].encode())
            where = (opening, start + len(text[:last].encode())) if exact else (start, end)
            closing = text.find("](", first)
            label = text[first + 1 : closing].strip() if text[first] == "[" else ""
            self.link(*where, {"dest_url": target, "link_type": "Inline"}, label)
            text = text[:first] + " " * (last - first) + text[last:]
        return text

    def heading(self, level: int, start: int, end: int) -> int:
        """A heading begins: its index (its text comes with ``name_heading``)."""
        headings: list[dict[str, Any]] = self.data["headings"]
        while self.open_headings and headings[self.open_headings[-1]]["level"] >= level:
            self.closers[self.open_headings.pop()] = len(headings)
        parent = self.open_headings[-1] if self.open_headings else None
        self.open_headings.append(len(headings))
        self.put(("headings", len(headings)), start, end)
        headings.append({"level": level, "text": "", "number": None, "slug": "", "parent": parent})
        return len(headings) - 1

    def name_heading(self, index: int, text: str) -> None:
        """A heading's text, read: its anchor and number."""
        text, slug, aliases = self.anchors.add(text)
        number = mdsource.NUMBER.match(text)
        heading = self.data["headings"][index]
        heading.update(text=text, number=number.group(1) if number else None, slug=slug)
        for alias in aliases:  # the same heading's anchor in another renderer
            self.put(("anchors", len(self.data["anchors"])), *self.ranges["headings", index])
            self.data["anchors"].append({"name": alias})

    def link(self, start: int, end: int, link: Mapping[str, Any], text: str) -> None:
        """A link ends; ``text`` is its text, stripped."""
        target: str = link["dest_url"]
        link_type: str = link["link_type"]
        if self.hugo and target.startswith("{{"):
            from aixcl_lint.documents import hugo

            kind, path, fragment = hugo.link_parts(target)
        else:
            kind, path, fragment = mdsource.link_parts(target, link_type)
        data = self.index.data
        if link_type == "Collapsed" and data[end : end + 2] == b"[]":
            end += 2  # pulldown-cmark's range stops before the empty label
        links: list[dict[str, Any]] = self.data["links"]
        ptr = ("links", len(links))
        if data[start] in _SPACE or data[end - 1] in _SPACE:  # (a link's range is never empty)
            self.put(ptr, start, end)
        else:
            self.ranges[ptr] = (start, end)
        headings = self.data["headings"]
        entry = {
            "text": text,
            "target": target,
            "kind": kind,
            "path": path,
            "fragment": fragment,
            "section": len(headings) - 1 if headings else None,
        }
        if kind == "malformed":  # reported as written: ``(https://...)``
            entry["stray"] = target
        links.append(entry)

    def role(self, code: str, start: int, end: int) -> None:
        """A code span (``code``, at ``start``-``end``) of a MyST page: if a role that
        names a document (``{doc}``), a label (``{ref}``, ``{numref}``) or a file
        (``{download}``) comes right before it, a link to what it names, as MyST reads
        ``{doc}`text <target>``` (the role and its span are the link's range)."""
        data = self.index.data
        if start == 0 or data[start - 1] != 0x7D:  # "}"
            return
        found = _ROLE.search(data, max(0, start - 12), start)
        if found is None:
            return
        role = found.group(1).decode()
        written = _ROLE_TEXT.fullmatch(code)
        text, target = (written.group(1), written.group(2)) if written else ("", code)
        target = target.strip()
        if not target:
            return
        if role in _LABELS:
            target = "#" + target.removeprefix("#")
        self.link(found.start(), end, {"dest_url": target, "link_type": "Inline"}, text.strip())
        self.data["links"][-1]["role"] = role

    def image(self, start: int, end: int, image: Mapping[str, Any]) -> None:
        """An image begins (``![alt](src)``, ``<img src>``): a link to its file, with no
        text, marked ``image``."""
        self.link(start, end, image, "")
        self.data["links"][-1]["image"] = True

    def front_matter(self, text: str) -> None:
        """The YAML front matter's data and spans (bad front matter: problems)."""
        found = frontmatter.parse(self.path, text)
        self.problems.extend(found.problems)
        self.data["front_matter"] = found.data
        self.front_spans = found.spans

    def may_refer(self, start: int, end: int) -> bool:
        """Whether the text between two offsets may hold a prose reference: most
        documents cite no section, most paragraphs name no Markdown file."""
        data = self.index.data
        if self.cites is None:  # asked once a document, at its first paragraph
            self.cites = mdsource.may_cite(data)
        return self.cites and data.find(b".md", start, end) >= 0

    def references(self, start: int, end: int) -> None:
        """Prose references to a numbered section of another document."""
        if not self.may_refer(start, end):
            return
        data = self.index.data
        found: list[dict[str, Any]] = self.data["references"]
        for first, last, path, number in mdsource.references(data, start, end):
            self.put(("references", len(found)), first, last)
            found.append({"path": path, "number": number, "section": self.section()})

    def html(self, start: int, end: int) -> None:
        """HTML comments, anchors (``id=``, ``<a name=``) and links (``<a href=``,
        ``<img src=``, outside comments) in an HTML block or span."""
        data = self.index.data
        hidden = list(mdsource.comments(data, start, end))
        for first, last in hidden:
            self.put(("comments", len(self.data["comments"])), first, last)
            self.data["comments"].append({"text": data[first:last].decode("utf-8", "replace")})
        for kind, first, last, value in mdsource.html_attributes(data, start, end):
            if kind == "anchor":
                self.put(("anchors", len(self.data["anchors"])), first, last)
                self.data["anchors"].append({"name": value})
            elif not any(a <= first < b for a, b in hidden):  # a link commented out is none
                link = {"dest_url": unescape(value) if "&" in value else value}
                link["link_type"] = "Inline"
                if kind == "link":
                    self.link(first, last, link, "")
                else:
                    self.image(first, last, link)

    def end_lines(self) -> None:
        """Each heading's ``end_line``: the line before the next heading at its level or
        above, else the document's last line."""
        index, ranges, headings = self.index, self.ranges, self.data["headings"]
        lines = index.lines_of([ranges["headings", i][0] for i in range(len(headings))])
        for i, heading in enumerate(headings):
            closer, last = self.closers.get(i), index.last_line
            if closer is not None:
                last = lines[closer] - 1
            heading["end_line"] = max(lines[i], last)
