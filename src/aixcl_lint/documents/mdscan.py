"""A Markdown file's links, headings, anchors, section references, comments and front
matter, read in one pass over pulldown-cmark's events with as little Python per event as
those facts allow.

This is what the link and heading rules and every cross-file check read: each document
needs it. Prose, tables, lists, code blocks and e-mail addresses are not collected;
``mdbuild`` builds them, for the documents some rule reads them in. What both read is
the same, item for item and range for range (they share ``mdfacts.Facts``, and
``tests/test_markdown_scan.py`` compares them).

Most events are a state change: a table cell opens a block; a text run outside a
heading or a link is only searched for stray link syntax. Paragraphs are scanned for
section references by their byte range, never by their text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import islice
from typing import Any

from aixcl_lint.documents.lineindex import LineIndex
from aixcl_lint.documents.mdfacts import FACTS, INLINE, Facts

_HEADING, _PARAGRAPH, _IMPLICIT, _CELL = 1, 2, 3, 4
"""The block being read (0: none); a tight list item's text is an implicit paragraph.
The blocks from ``_PARAGRAPH`` on hold text that is only searched, never kept."""
_CLOSING = frozenset({"TableCell", "Paragraph", "Heading"})
_RAW = ("CodeBlock", "MetadataBlock")


class Scan(Facts):
    """The facts of one document, read event by event."""

    __slots__ = (
        "block",
        "block_end",
        "block_start",
        "has_parts",
        "has_text",
        "heading_at",
        "heading_parts",
        "images",
        "items",
        "links",
        "lists",
        "raw",
        "raw_parts",
        "raw_start",
    )

    def __init__(self, path: str, index: LineIndex, flavour: str) -> None:
        super().__init__(path, index, flavour, FACTS)
        self.block = 0
        self.block_start = self.block_end = 0
        self.has_parts = False  # the block has text (stray link syntax may open a block)
        self.has_text = False  # the paragraph's text is not blank
        self.heading_at = -1
        self.heading_parts: list[str] = []
        self.links: list[tuple[int, int, Mapping[str, Any], list[str]]] = []
        self.images = 0
        self.items = 0
        self.lists = 0
        self.raw = ""  # "CodeBlock" or "MetadataBlock" while inside one: text only
        self.raw_parts: list[str] = []
        self.raw_start = 0

    def text(self, text: str, start: int, end: int, code: bool) -> None:
        """A text run (``code``: a code span) outside a code block."""
        if self.links:
            self.links[-1][3].append(text)
        if self.images:
            return
        block = self.block
        if not block:
            if not self.items:
                return
            block = _IMPLICIT
            self.open_block(_IMPLICIT, start, end)
        if not code and not self.links and ("](" in text or "][" in text or text[:1] == "["):
            self.stray(text, start, end, starts_block=not self.has_parts)
        self.block_end = max(self.block_end, end)
        if code and (block in (_PARAGRAPH, _IMPLICIT)):
            return
        self.has_parts = True
        if block == _HEADING:
            self.heading_parts.append(text)
        elif block != _CELL and not self.has_text and text.strip():
            self.has_text = True

    def space(self, start: int, end: int) -> None:
        """A line break (read as a space)."""
        if self.raw:
            self.raw_parts.append(" ")
        else:
            self.text(" ", start, end, False)

    def open_block(self, kind: int, start: int, end: int) -> None:
        self.block, self.block_start, self.block_end = kind, start, end
        self.has_parts = self.has_text = False

    def close_block(self) -> None:
        block, self.block = self.block, 0
        if block == _HEADING:
            self.name_heading(self.heading_at, "".join(self.heading_parts).strip())
        elif (block in (_PARAGRAPH, _IMPLICIT)) and self.has_text:
            self.references(self.block_start, self.block_end)

    def start(self, tag: Any, start: int, end: int) -> None:
        """An element begins."""
        name = tag if tag.__class__ is str else next(iter(tag))
        if name in INLINE:
            if not self.block and self.items and not self.raw:
                self.open_block(_IMPLICIT, start, start)
            if name == "Link":
                self.links.append((start, end, tag["Link"], []))
            elif name == "Image":
                self.images += 1
            return
        if self.block == _IMPLICIT:
            self.close_block()
        if name == "TableCell":
            self.open_block(_CELL, start, end)
        elif name == "Paragraph":
            self.open_block(_PARAGRAPH, start, end)
        elif name == "Item":
            self.items += self.lists > 0
        elif name == "List":
            self.lists += 1
        elif name == "Heading":
            self.heading_at = self.heading(int(tag["Heading"]["level"][1:]), start, end)
            self.open_block(_HEADING, start, end)
            self.heading_parts = []
        elif name in _RAW:
            self.raw, self.raw_parts, self.raw_start = name, [], start
        elif name == "HtmlBlock":
            self.html(start, end)

    def end(self, tag: Any, end: int) -> None:
        """An element ends."""
        name = tag if tag.__class__ is str else next(iter(tag))
        if name in _CLOSING:
            self.close_block()
        elif name in INLINE:
            if self.block and end > self.block_end:
                self.block_end = end
            if name == "Link" and self.links:
                start, first, link, parts = self.links.pop()
                self.link(start, first, link, "".join(parts).strip())
            elif name == "Image":
                self.images = max(0, self.images - 1)
        elif name == "Item" and self.items:
            if self.block == _IMPLICIT:
                self.close_block()
            self.items -= 1
        elif name == "List" and self.lists:
            self.lists -= 1
        elif name in _RAW and self.raw:
            if self.raw == "MetadataBlock" and self.raw_start == 0:
                # pulldown-cmark also takes such blocks later on: not front matter
                self.front_matter("".join(self.raw_parts))
            self.raw = ""


def scan(facts: Scan, events: Iterator[tuple[Any, Any]], limit: int) -> int | None:
    """Read ``events`` into ``facts``; the byte offset of the event past the first
    ``limit`` (None: there are no more).

    The commonest events (text in a table cell or a paragraph, cells, rows, paragraphs)
    are read here; ``Scan``'s methods read the rest."""
    events = iter(events)
    for event, where in islice(events, limit):
        if event.__class__ is str:
            if event != "Rule" and (facts.raw or facts.links or facts.block or facts.items):
                facts.space(where["start"], where["end"])
            continue
        ((key, value),) = event.items()
        if key == "Text":
            block = facts.block
            if block >= _PARAGRAPH and not (facts.links or facts.images):
                if "](" in value or "][" in value or value[:1] == "[":
                    facts.stray(
                        value, where["start"], where["end"], starts_block=not facts.has_parts
                    )
                facts.has_parts = True
                if block == _IMPLICIT:  # (an explicit paragraph's range holds its text)
                    facts.block_end = max(facts.block_end, where["end"])
                if block != _CELL and not facts.has_text:
                    facts.has_text = bool(value.strip())
            elif facts.raw:
                facts.raw_parts.append(value)
            else:
                facts.text(value, where["start"], where["end"], False)
        elif key == "Start":
            if value == "TableCell" and facts.block != _IMPLICIT:
                facts.block, facts.has_parts = _CELL, False
            elif value == "Paragraph" and facts.block != _IMPLICIT:
                facts.open_block(_PARAGRAPH, where["start"], where["end"])
            elif value != "TableRow" or facts.block == _IMPLICIT:
                facts.start(value, where["start"], where["end"])
        elif key == "End":
            if value == "TableCell":
                facts.block = 0
            elif value == "Paragraph":
                facts.close_block()
            elif value != "TableRow":
                facts.end(value, where["end"])
        elif key == "Code":
            block = facts.block
            if block >= _PARAGRAPH and not (facts.links or facts.images or facts.raw):
                # A code span is no prose: it only marks a cell as begun, or extends
                # the implicit paragraph it is in.
                if block == _CELL:
                    facts.has_parts = True
                elif block == _IMPLICIT:
                    facts.block_end = max(facts.block_end, where["end"])
            elif facts.raw:
                facts.raw_parts.append(value)
            else:
                facts.text(value, where["start"], where["end"], True)
        elif key == "InlineHtml":
            facts.html(where["start"], where["end"])
    for _event, where in events:
        return int(where["start"])
    return None
