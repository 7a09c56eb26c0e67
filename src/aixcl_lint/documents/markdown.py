"""Markdown documents as plain data plus an index from pointers to spans.

Built on pyromark (bindings to pulldown-cmark, CommonMark + GFM). Its events carry
ranges in UTF-8 bytes, kept per pointer; a :class:`LineIndex` maps one to 1-based lines
and columns in characters when its span is first asked for.

Pass the file's text with its byte order mark removed (``source.decode`` does); a BOM
left in place is removed here. Either way positions are those of the file as an editor
shows it: the BOM is not a column. Lone surrogates become ``?``. Nothing here raises on
any ``str``; bad front matter becomes findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import pyromark

from aixcl_lint.core import Finding, Pointer, Severity, Span
from aixcl_lint.documents import frontmatter, mdsource
from aixcl_lint.documents.lineindex import LazySpans, LineIndex
from aixcl_lint.documents.mdanchors import GITHUB, HeadingAnchors
from aixcl_lint.documents.spans import NodeSpans

_O = pyromark.Options
_GFM = _O.ENABLE_TABLES | _O.ENABLE_STRIKETHROUGH | _O.ENABLE_TASKLISTS | _O.ENABLE_FOOTNOTES
PARSER = pyromark.Markdown(options=_GFM | _O.ENABLE_GFM | _O.ENABLE_YAML_STYLE_METADATA_BLOCKS)
_INLINE = frozenset(
    {"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"}
)
_SPACE = b" \t\r\n"
MAX_EVENTS = 1_000_000
"""Most parser events (elements, text runs) read from one document (10 MB of prose has
about 950,000): each costs microseconds
to convert from pyromark and a few hundred bytes to keep, so a file of a million links
would take a minute and gigabytes. The rest is reported, not read."""


@dataclass(frozen=True)
class MarkdownDocument:
    """A parsed Markdown file: plain data, spans by pointer, and problems found."""

    path: str
    data: dict[str, Any]
    spans: Mapping[Pointer, NodeSpans]
    problems: tuple[Finding, ...]


@dataclass(slots=True)
class _Sink:
    """Text being collected for one element, and the byte range it came from."""

    kind: str
    start: int
    end: int
    index: int = -1
    implicit: bool = False
    label: str = ""
    parts: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(self.parts).strip()


class _Builder:
    def __init__(self, path: str, text: str, flavour: str) -> None:
        self.path = path
        self.index = LineIndex(text)
        keys = (
            "headings",
            "tables",
            "links",
            "anchors",
            "lists",
            "code_blocks",
            "text",
            "references",
            "comments",
            "mentions",
        )
        self.data: dict[str, Any] = {**{key: [] for key in keys}, "front_matter": None}
        self.ranges: dict[Pointer, tuple[int, int]] = {}
        self.front_spans: dict[Pointer, NodeSpans] = {}
        self.problems: list[Finding] = []
        self.block: _Sink | None = None  # heading, paragraph (maybe implicit) or table cell
        self.items: list[_Sink] = []
        self.links: list[tuple[_Sink, Mapping[str, Any]]] = []
        self.lists: list[int] = []
        self.raw: _Sink | None = None  # code block or front matter: text only
        self.images = 0
        self.open_headings: list[int] = []
        self.closers: dict[int, int] = {}  # heading -> the heading that ends its section
        self.anchors = HeadingAnchors(flavour)
        self.row: list[str] = []
        self.row_ptr: Pointer = ()

    def put(self, ptr: Pointer, start: int, end: int) -> None:
        data = self.index.data
        while end > start and data[end - 1] in _SPACE:
            end -= 1
        while start < end and data[start] in _SPACE:
            start += 1
        self.ranges[ptr] = (start, end)

    def section(self) -> int | None:
        return len(self.data["headings"]) - 1 if self.data["headings"] else None

    def inline(self, text: str, start: int, end: int, *, code: bool = False) -> None:
        if self.raw is not None:
            self.raw.parts.append(text)
            return
        if self.links:
            self.links[-1][0].parts.append(text)
        if self.images:
            return
        if self.block is None and self.items:
            self.block = _Sink("paragraph", start, end, implicit=True)
        block = self.block
        if block is not None and not code and not self.links:
            self.stray(text, start, end, starts_block=not block.parts)
        if block is not None:
            block.end = max(block.end, end)
            if not (code and block.kind == "paragraph"):
                block.parts.append(text)
        if self.items and (block is None or block.kind == "paragraph"):
            self.items[-1].parts.append(text)

    def stray(self, text: str, start: int, end: int, *, starts_block: bool) -> None:
        """Link syntax left over in prose: a link written wrong, kept as a link of kind
        ``malformed`` whose ``stray`` is the text left over."""
        exact = self.index.data[start:end] == text.encode("utf-8")
        for first, last in mdsource.stray_link_syntax(text, starts_block=starts_block):
            links: list[dict[str, Any]] = self.data["links"]
            where = (start + len(text[:first].encode()), start + len(text[:last].encode()))
            self.put(("links", len(links)), *(where if exact else (start, end)))
            entry = {"text": "", "target": text[first:last], "kind": "malformed", "path": None}
            links.append(
                {**entry, "fragment": None, "section": self.section(), "stray": text[first:last]}
            )

    def close_block(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        text = block.text()
        self.mentions(block.start, block.end)
        if block.kind == "heading":
            self.end_heading(block.index, text)
        elif block.kind == "cell":  # a cell pulldown-cmark adds to a short row is empty
            row_end = self.ranges.get(self.row_ptr, (0, 0))[1]
            where = (block.start, block.end) if block.end > block.start else (row_end, row_end)
            self.put((*self.row_ptr, len(self.row)), *where)
            self.row.append(text)
        else:
            if text:
                self.put(("text", len(self.data["text"])), block.start, block.end)
                self.data["text"].append({"text": text, "section": self.section()})
                self.references(block.start, block.end)
            if self.items:
                self.items[-1].parts.append(" ")

    def start(self, tag: Any, start: int, end: int) -> None:
        name = tag if isinstance(tag, str) else next(iter(tag))
        if name in _INLINE:
            if self.block is None and self.items and self.raw is None:
                self.block = _Sink("paragraph", start, start, implicit=True)
            self.images += name == "Image"
            if name == "Link":
                self.links.append((_Sink("link", start, end), tag["Link"]))
            return
        if self.block is not None and self.block.implicit:
            self.close_block()
        if name in ("Paragraph", "TableCell"):
            self.block = _Sink("paragraph" if name == "Paragraph" else "cell", start, end)
        elif name == "Heading":
            self.heading(int(tag["Heading"]["level"][1:]), start, end)
        elif name in ("List", "Item"):
            self.list_part(tag, name, start, end)
        elif name in ("Table", "TableHead", "TableRow"):
            self.table_part(tag, name, start, end)
        elif name in ("CodeBlock", "MetadataBlock"):
            kind = tag[name]
            info = kind["Fenced"].split() if isinstance(kind, dict) else []
            self.raw = _Sink(name, start, end, label=info[0] if info else "")
        elif name == "HtmlBlock":
            self.html(start, end)

    def heading(self, level: int, start: int, end: int) -> None:
        headings: list[dict[str, Any]] = self.data["headings"]
        while self.open_headings and headings[self.open_headings[-1]]["level"] >= level:
            self.closers[self.open_headings.pop()] = len(headings)
        parent = self.open_headings[-1] if self.open_headings else None
        self.open_headings.append(len(headings))
        self.put(("headings", len(headings)), start, end)
        self.block = _Sink("heading", start, end, index=len(headings))
        headings.append({"level": level, "text": "", "number": None, "slug": "", "parent": parent})

    def end_heading(self, index: int, text: str) -> None:
        text, slug, aliases = self.anchors.add(text)
        number = mdsource.NUMBER.match(text)
        heading = self.data["headings"][index]
        heading.update(text=text, number=number.group(1) if number else None, slug=slug)
        for alias in aliases:  # the same heading's anchor in another renderer
            self.put(("anchors", len(self.data["anchors"])), *self.ranges["headings", index])
            self.data["anchors"].append({"name": alias})

    def list_part(self, tag: Any, name: str, start: int, end: int) -> None:
        lists: list[dict[str, Any]] = self.data["lists"]
        if name == "List":
            self.put(("lists", len(lists)), start, end)
            self.lists.append(len(lists))
            ordered = tag["List"] is not None
            lists.append({"ordered": ordered, "items": [], "section": self.section()})
        elif self.lists:
            items = lists[self.lists[-1]]["items"]
            self.put(("lists", self.lists[-1], "items", len(items)), start, end)
            self.items.append(_Sink("item", start, end, index=len(items)))
            items.append("")

    def table_part(self, tag: Any, name: str, start: int, end: int) -> None:
        tables: list[dict[str, Any]] = self.data["tables"]
        if name == "Table":
            self.put(("tables", len(tables)), start, end)
            align = [a.lower() for a in tag["Table"]]
            tables.append({"header": [], "rows": [], "align": align, "section": self.section()})
            return
        if not tables:
            return
        table, i = tables[-1], len(tables) - 1
        if name == "TableHead":
            self.row, self.row_ptr = table["header"], ("tables", i, "header")
        else:
            self.row, self.row_ptr = [], ("tables", i, "rows", len(table["rows"]))
            table["rows"].append(self.row)
        self.put(self.row_ptr, start, end)

    def end(self, tag: Any, end: int) -> None:
        name = tag if isinstance(tag, str) else next(iter(tag))
        if name in _INLINE and self.block is not None:
            self.block.end = max(self.block.end, end)
        if name == "Image":
            self.images = max(0, self.images - 1)
        elif name == "Link" and self.links:
            self.end_link(*self.links.pop())
        elif name in ("Paragraph", "Heading", "TableCell"):
            self.close_block()
        elif name == "Item" and self.items:
            if self.block is not None and self.block.implicit:
                self.close_block()
            item = self.items.pop()
            self.data["lists"][self.lists[-1]]["items"][item.index] = item.text()
        elif name == "List" and self.lists:
            self.lists.pop()
        elif name in ("CodeBlock", "MetadataBlock") and self.raw is not None:
            self.end_raw(self.raw)

    def end_link(self, sink: _Sink, link: Mapping[str, Any]) -> None:
        target: str = link["dest_url"]
        kind, path, fragment = mdsource.link_parts(target, link["link_type"])
        if link["link_type"] == "Collapsed" and self.index.data[sink.end : sink.end + 2] == b"[]":
            sink.end += 2  # pulldown-cmark's range stops before the empty label
        links: list[dict[str, Any]] = self.data["links"]
        self.put(("links", len(links)), sink.start, sink.end)
        entry = {"text": sink.text(), "target": target, "kind": kind, "path": path}
        links.append({**entry, "fragment": fragment, "section": self.section()})

    def end_raw(self, sink: _Sink) -> None:
        self.raw = None
        text = "".join(sink.parts)
        if sink.kind == "CodeBlock":
            self.put(("code_blocks", len(self.data["code_blocks"])), sink.start, sink.end)
            block = {"lang": sink.label, "text": text, "section": self.section()}
            self.data["code_blocks"].append(block)
        elif sink.start == 0:  # pulldown-cmark also takes such blocks later on: not front matter
            self.front_matter(text)

    def front_matter(self, text: str) -> None:
        found = frontmatter.parse(self.path, text)
        self.problems.extend(found.problems)
        self.data["front_matter"] = found.data
        self.front_spans = found.spans

    def references(self, start: int, end: int) -> None:
        """Prose references to a numbered section of another document."""
        found: list[dict[str, Any]] = self.data["references"]
        for first, last, path, number in mdsource.references(self.index.data, start, end):
            self.put(("references", len(found)), first, last)
            found.append({"path": path, "number": number, "section": self.section()})

    def mentions(self, start: int, end: int) -> None:
        """E-mail addresses written in a block, code spans and link targets included."""
        data = self.index.data
        for first, last in mdsource.emails(data, start, end):
            self.put(("mentions", len(self.data["mentions"])), first, last)
            address = data[first:last].decode("ascii", "replace")
            self.data["mentions"].append({"address": address, "section": self.section()})

    def html(self, start: int, end: int) -> None:
        data = self.index.data
        for first, last in mdsource.comments(data, start, end):
            self.put(("comments", len(self.data["comments"])), first, last)
            self.data["comments"].append({"text": data[first:last].decode("utf-8", "replace")})
        for first, last, name in mdsource.html_anchors(data, start, end):
            self.put(("anchors", len(self.data["anchors"])), first, last)
            self.data["anchors"].append({"name": name})

    def finish(self) -> MarkdownDocument:
        for i, heading in enumerate(self.data["headings"]):
            closer, last = self.closers.get(i), self.index.last_line
            line = self.index.line_of(self.ranges["headings", i][0])
            if closer is not None:
                last = self.index.line_of(self.ranges["headings", closer][0]) - 1
            heading["end_line"] = max(line, last)
        spans = LazySpans(self.index, self.ranges, self.front_spans)
        return MarkdownDocument(self.path, self.data, spans, tuple(self.problems))


def parse(path: str, text: str, flavour: str = GITHUB) -> MarkdownDocument:
    """Parse a Markdown file into its data model; never raises on any ``str``.

    ``flavour`` (``mdanchors.FLAVOURS``) is the renderer whose heading anchors apply."""
    text = text.removeprefix("\ufeff")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: one '?' each keeps every offset
        text = text.encode("utf-8", "replace").decode("utf-8")
    builder = _Builder(path, text, flavour)
    events = cast("Iterator[tuple[Any, Any]]", PARSER.events_with_range(text, merge_text=True))
    for count, (event, where) in enumerate(events):
        if count == MAX_EVENTS:
            message = (
                f"more than {MAX_EVENTS:,} Markdown elements; the rest of the file is not checked"
            )
            line = builder.index.line_of(where["start"])
            builder.problems.append(
                Finding(path, Span.at(line), "markdown/too-complex", Severity.ERROR, message)
            )
            break
        if isinstance(event, str):
            if event != "Rule":
                builder.inline(" ", where["start"], where["end"])
            continue
        ((key, value),) = event.items()
        if key in ("Text", "Code"):
            builder.inline(value, where["start"], where["end"], code=key == "Code")
        elif key == "Start":
            builder.start(value, where["start"], where["end"])
        elif key == "End":
            builder.end(value, where["end"])
        elif key == "InlineHtml":
            builder.html(where["start"], where["end"])
    return builder.finish()
