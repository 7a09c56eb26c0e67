"""The full Markdown model, built from pulldown-cmark's events: beside what every
document has (``mdfacts``), the prose of each paragraph and list item, tables with
their cells, lists, code blocks and the e-mail addresses written in each block.

Rules that read prose, tables, lists or addresses need it (the security policy's);
``markdown.parse`` builds it only for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from aixcl_lint.core import Pointer
from aixcl_lint.documents import mdaddress, mdsource
from aixcl_lint.documents.lineindex import LineIndex
from aixcl_lint.documents.mdfacts import FACTS, INLINE, Facts
from aixcl_lint.records import record

KEYS = (
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
"""The lists of items of the full model (``mdfacts.FACTS`` among them)."""
assert set(FACTS) <= set(KEYS)


@record(frozen=False, slots=True)
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


class Builder(Facts):
    """The full model of one document, read event by event."""

    __slots__ = ("block", "images", "items", "links", "lists", "raw", "row", "row_ptr")

    def __init__(self, path: str, index: LineIndex, flavour: str) -> None:
        super().__init__(path, index, flavour, KEYS)
        self.block: _Sink | None = None  # heading, paragraph (maybe implicit) or table cell
        self.items: list[_Sink] = []
        self.links: list[tuple[_Sink, Mapping[str, Any]]] = []
        self.lists: list[int] = []
        self.raw: _Sink | None = None  # code block or front matter: text only
        self.images = 0
        self.row: list[str] = []
        self.row_ptr: Pointer = ()

    def inline(self, text: str, start: int, end: int, *, code: bool = False) -> None:
        """A text run (``code``: a code span; a line break is a space)."""
        if self.raw is not None:
            self.raw.parts.append(text)
            return
        if self.links:
            self.links[-1][0].parts.append(text)
        if self.images:
            return
        if code and self.roles:
            self.role(text, start, end)
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

    def close_block(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        text = block.text()
        self.mentions(block.start, block.end)
        if block.kind == "heading":
            self.name_heading(block.index, text)
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
        """An element begins."""
        name = tag if isinstance(tag, str) else next(iter(tag))
        if name in INLINE:
            if self.block is None and self.items and self.raw is None:
                self.block = _Sink("paragraph", start, start, implicit=True)
            if name == "Image":  # a link to its file, as it begins (as ``mdscan`` reads it)
                self.images += 1
                self.image(start, end, tag["Image"])
            elif name == "Link":
                self.links.append((_Sink("link", start, end), tag["Link"]))
            return
        if self.block is not None and self.block.implicit:
            self.close_block()
        if name in ("Paragraph", "TableCell"):
            self.block = _Sink("paragraph" if name == "Paragraph" else "cell", start, end)
        elif name == "Heading":
            index = self.heading(int(tag["Heading"]["level"][1:]), start, end)
            self.block = _Sink("heading", start, end, index=index)
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
        """An element ends."""
        name = tag if isinstance(tag, str) else next(iter(tag))
        if name in INLINE and self.block is not None:
            self.block.end = max(self.block.end, end)
        if name == "Image":
            self.images = max(0, self.images - 1)
        elif name == "Link" and self.links:
            sink, link = self.links.pop()
            self.link(sink.start, sink.end, link, sink.text())
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

    def end_raw(self, sink: _Sink) -> None:
        self.raw = None
        text = "".join(sink.parts)
        if sink.kind == "CodeBlock":
            self.put(("code_blocks", len(self.data["code_blocks"])), sink.start, sink.end)
            block = {"lang": sink.label, "text": text, "section": self.section()}
            self.data["code_blocks"].append(block)
            self.mentions(sink.start, sink.end)  # a reader reads an address in code too
        elif sink.start == 0:  # pulldown-cmark also takes such blocks later on: not front matter
            self.front_matter(text)

    def mentions(self, start: int, end: int) -> None:
        """E-mail addresses in a block, code spans and link targets included, also
        written out (``info [at] example [dot] org``), in the order they are written."""
        data = self.index.data
        found = [
            (first, last, data[first:last].decode("ascii", "replace"))
            for first, last in mdsource.emails(data, start, end)
        ]
        found.extend(mdaddress.written(data, start, end))
        for first, last, address in sorted(found):
            self.put(("mentions", len(self.data["mentions"])), first, last)
            self.data["mentions"].append({"address": address, "section": self.section()})


def build(builder: Builder, events: Any, limit: int) -> int | None:
    """Read ``events`` into ``builder``; the byte offset of the event past the first
    ``limit`` (None: there are no more)."""
    for count, (event, where) in enumerate(events):
        if count == limit:
            return int(where["start"])
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
    return None
