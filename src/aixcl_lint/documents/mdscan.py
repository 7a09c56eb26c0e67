"""A Markdown file's links, headings, anchors, section references, comments and front
matter, read in one pass over pulldown-cmark's events with as little Python per event as
those facts allow.

This is what the link and heading rules and every cross-file check read: each document
needs it. Prose, tables, lists, code blocks and e-mail addresses are not collected;
``mdbuild`` builds them, for the documents some rule reads them in. What both read is
the same, item for item and range for range (they share ``mdfacts.Facts``, and
``tests/test_markdown_scan.py`` compares them).

Most events are a state change: a table cell begins; a text run outside a heading or a
link is only searched for stray link syntax. Paragraphs are scanned for section
references by their byte range, never by their text. A paragraph's and a table's
events (four in five) are read in loops of their own, their state in local variables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import islice
from typing import Any

from aixcl_lint.documents.lineindex import LineIndex
from aixcl_lint.documents.mdfacts import FACTS, INLINE, Facts

_HEADING, _PARAGRAPH, _IMPLICIT = 1, 2, 3
"""The block ``Scan``'s methods are reading (0: none): a heading, or the implicit
paragraph of a tight list item's text (an explicit paragraph is ``_paragraph``'s, a
table ``_table``'s)."""
_CLOSING = frozenset({"Paragraph", "Heading"})
_RAW = ("CodeBlock", "MetadataBlock")
_TABLE_PARTS = frozenset({"TableHead", "TableRow", "TableCell"})


class Scan(Facts):
    """The facts of one document, read event by event (paragraphs and tables by
    ``scan``'s own loops)."""

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
        if not code and not self.links and "]" in text:  # (no "]": no link syntax)
            self.stray(text, start, end, starts_block=not self.has_parts)
        self.block_end = max(self.block_end, end)
        if code and (block in (_PARAGRAPH, _IMPLICIT)):
            return
        self.has_parts = True
        if block == _HEADING:
            self.heading_parts.append(text)
        elif not self.has_text and text.strip():
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
        if name == "Paragraph":
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

    Paragraphs and tables (four events in five) are read by ``_paragraph`` and
    ``_table``, each with its state in local variables; ``Scan``'s methods read the
    rest: headings, lists and their items' text, code blocks, front matter."""
    events = iter(events)
    limited = islice(events, limit)
    for event, where in limited:
        if event.__class__ is str:
            if event != "Rule" and (facts.raw or facts.links or facts.block or facts.items):
                facts.space(where["start"], where["end"])
            continue
        (key,) = event  # one key: cheaper than unpacking its items
        value = event[key]
        if key == "Text":
            if facts.raw:
                facts.raw_parts.append(value)
            else:
                facts.text(value, where["start"], where["end"], False)
        elif key == "Start":
            if value.__class__ is dict and "Table" in value:
                if facts.block == _IMPLICIT:
                    facts.close_block()
                if _LINKLESS.search(facts.index.data, where["start"], where["end"]):
                    _table(facts, limited)
                else:  # no link, nothing left of one: nothing to read
                    _skip(limited, _TABLE_END)
            elif facts.block == _IMPLICIT:
                facts.start(value, where["start"], where["end"])
            elif value == "Paragraph":
                start, end = where["start"], where["end"]
                data = facts.index.data
                if _PROSE_ONLY.search(data, start, end) or not data[start:end].isascii():
                    _paragraph(facts, limited, start, end)
                else:  # plain ASCII prose: its text is not blank, it holds no link
                    _skip(limited, _PARAGRAPH_END)
                    facts.references(start, end)
            else:
                facts.start(value, where["start"], where["end"])
        elif key == "End":
            facts.end(value, where["end"])
        elif key == "Code":
            if facts.raw:
                facts.raw_parts.append(value)
            else:
                facts.text(value, where["start"], where["end"], True)
        elif key == "InlineHtml":
            facts.html(where["start"], where["end"])
    for _event, where in events:
        return int(where["start"])
    return None


_LINKLESS = re.compile(rb"[\[\]<&]")
"""What a block's bytes hold if it may hold a link (``[``, ``<``), what is left of one
(``]``) or either written as an entity (``&``). A table without any is not read."""
_PROSE_ONLY = re.compile(rb"[\[\]<&`]")
"""As ``_LINKLESS``, and code spans (which are not prose): an ASCII paragraph without
any is text that is not blank, with no link and no link syntax."""
_TABLE_END, _PARAGRAPH_END = {"End": "Table"}, {"End": "Paragraph"}


def _skip(events: Iterator[tuple[Any, Any]], last: Mapping[str, str]) -> None:
    """Pass over events up to ``last`` (blocks of its kind do not nest)."""
    for event, _ in events:
        if event == last:
            return


Link = tuple[int, int, Mapping[str, Any], list[str]]
"""A link being read: its range, pulldown-cmark's attributes, its text so far."""


def _paragraph(facts: Scan, events: Iterator[tuple[Any, Any]], start: int, end: int) -> None:
    """A paragraph's events, to its end: link syntax left in its text, its links, and
    (when its text is not blank) the section references its range holds. A code span is
    no prose: it neither begins the paragraph nor makes its text."""
    parts = text = False
    links: list[Link] = []
    images = 0
    for event, where in events:
        if event.__class__ is str:  # a line break is a space
            if links:
                links[-1][3].append(" ")
            parts = parts or not images
            continue
        (key,) = event
        value = event[key]
        if key == "Text":
            if links:
                links[-1][3].append(value)
            if images:
                continue
            if not links and "]" in value:  # (no "]": no link syntax)
                facts.stray(value, where["start"], where["end"], starts_block=not parts)
            parts = True
            text = text or bool(value.strip())
        elif key == "Code":
            if links:
                links[-1][3].append(value)
        elif key == "End" and value == "Paragraph":
            if text:
                facts.references(start, end)
            return
        else:
            images = _inline(facts, key, value, where, links, images)


def _table(facts: Scan, events: Iterator[tuple[Any, Any]]) -> None:
    """A table's events, to its end: link syntax left in its cells' text, its links."""
    parts = False  # the cell has text (stray link syntax may begin it)
    links: list[Link] = []
    images = 0
    for event, where in events:
        if event.__class__ is str:
            if links:
                links[-1][3].append(" ")
            parts = parts or not images
            continue
        (key,) = event
        value = event[key]
        if key in ("Text", "Code"):
            if links:
                links[-1][3].append(value)
            if images:
                continue
            if key == "Text" and not links and "]" in value:
                facts.stray(value, where["start"], where["end"], starts_block=not parts)
            parts = True
        elif key in ("Start", "End") and value.__class__ is str and value in _TABLE_PARTS:
            parts = False
        elif key == "End" and value == "Table":
            return
        else:
            images = _inline(facts, key, value, where, links, images)


def _inline(
    facts: Scan, key: str, value: Any, where: Mapping[str, int], links: list[Link], images: int
) -> int:
    """Links, images and inline HTML in a paragraph or a cell; how many images are open."""
    if key == "Start":
        if value.__class__ is dict:
            if "Link" in value:
                links.append((where["start"], where["end"], value["Link"], []))
            elif "Image" in value:
                images += 1
    elif key == "End":
        if value == "Link" and links:
            first, last, link, words = links.pop()
            facts.link(first, last, link, "".join(words).strip())
        elif value == "Image":
            images = max(0, images - 1)
    elif key == "InlineHtml":
        facts.html(where["start"], where["end"])
    return images
