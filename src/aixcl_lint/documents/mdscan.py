"""A Markdown file's links, headings, anchors, section references, comments and front
matter, read in one pass over pulldown-cmark's events with as little Python per event as
those facts allow.

This is what the link and heading rules and every cross-file check read: each document
needs it. Prose, tables, lists, code blocks and e-mail addresses are not collected;
``mdbuild`` builds them, for the documents some rule reads them in. What both read is
the same, item for item and range for range (they share ``mdfacts.Facts``, and
``tests/test_markdown_scan.py`` compares them).

Each kind of block is read to its end by a loop of its own, its state in local
variables: paragraphs, headings, tables (row by row), the text of a tight list item (an
implicit paragraph), code blocks and front matter. The main loop sees only where blocks
begin and end. Blocks whose bytes cannot hold a link (no ``[``, ``]``, ``<``, ``&``) are
passed over without looking at their events: most table rows, plain ASCII paragraphs
and every code block. Paragraphs are scanned for section references by their byte
range, never by their text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import chain, islice
from typing import Any

from aixcl_lint import deferred
from aixcl_lint.documents.lineindex import LineIndex
from aixcl_lint.documents.mdfacts import FACTS, INLINE, Facts

Event = tuple[Any, Any]
"""A pulldown-cmark event (a string, or a mapping of one key) and its range."""
Events = Iterator[Event]
Link = tuple[int, int, Mapping[str, Any], list[str]]
"""A link being read: its range, pulldown-cmark's attributes, its text so far."""


class Scan(Facts):
    """The facts of one document, read block by block (``scan``)."""

    __slots__ = ("folded", "items", "lists", "syntax")

    def __init__(self, path: str, index: LineIndex, flavour: str) -> None:
        super().__init__(path, index, flavour, FACTS)
        self.items = 0  # list items open (a tight one's text is an implicit paragraph)
        self.lists = 0
        self.folded: list[int] = []
        """Where tables begin whose rows ``mdmask`` folded, and no table began yet."""
        self.syntax = _ROLE_OR_LINK if self.roles else _LINKLESS
        """What bytes that may hold a link hold (on a MyST page, a role's too)."""


def scan(facts: Scan, events: Events, limit: int) -> int | None:
    """Read ``events`` into ``facts``; the byte offset of the event past the first
    ``limit`` (None: there are no more).

    Every block's own loop reads from the same iterator, so that ``limit`` counts every
    event. An implicit paragraph ends at the first event that is not inline: its loop
    hands that event back, to be read here as if it came next."""
    events = iter(events)
    limited = islice(events, limit)
    for event in limited:
        pending: Event | None = event
        while pending is not None:
            pending = _top(facts, limited, pending)
    for _event, where in events:
        return int(where["start"])
    return None


def _top(facts: Scan, events: Events, event: Event) -> Event | None:
    """An event outside any block read by a loop of its own; the event that ended the
    implicit paragraph it began, if it began one."""
    tag, where = event
    if tag.__class__ is str:  # a line break (a space) or a thematic break
        if facts.items and tag != "Rule":
            return _implicit(facts, events, event)
        return None
    key, value = tag.popitem()  # one key (cheaper than unpacking it; no one reads it again)
    if key == "Start":
        name = value if value.__class__ is str else next(iter(value))
        if name in INLINE:
            if facts.items:
                return _implicit(facts, events, ({key: value}, where))
        elif name == "Item":
            facts.items += facts.lists > 0
        elif name == "List":
            facts.lists += 1
        else:
            _block(facts, events, name, value, where)
    elif key == "End":
        if value == "Item":
            facts.items -= facts.items > 0
        elif value.__class__ is dict and "List" in value:
            facts.lists -= facts.lists > 0
    elif key in ("Text", "Code"):
        if facts.items:
            return _implicit(facts, events, ({key: value}, where))
    elif key == "InlineHtml":
        facts.html(where["start"], where["end"])
    return None


_LINKLESS = re.compile(rb"[\[\]<&]")
"""What a block's bytes hold if it may hold a link (``[``, ``<``), what is left of one
(``]``) or either written as an entity (``&``). A table row without any is not read."""
_ROLE_OR_LINK = deferred.pattern(rb"[\[\]<&]|\}`")
"""As ``_LINKLESS``, or a role before a code span (``{doc}`intro```): a MyST page's."""
_PROSE_ONLY = re.compile(rb"[\[\]<&`\x80-\xff]")
"""As ``_LINKLESS``, code spans (which are not prose) and any byte that is not ASCII: a
paragraph without any is plain text that is not blank, with no link and no link syntax."""
_TABLE_PARTS = frozenset({"TableHead", "TableRow", "TableCell"})
_ENDS_IMPLICIT = frozenset({"Item", "Paragraph", "Heading"})
"""The ends that end a tight item's text (pulldown-cmark may write text inside an HTML
block in an item: it continues the item's text after the block)."""
_ENDS = {
    name: {"End": name} for name in ("Paragraph", "CodeBlock", "TableHead", "TableRow", "Table")
}


def _block(facts: Scan, events: Events, name: str, value: Any, where: Mapping[str, int]) -> None:
    """A block that is not a list or an item begins: read it to its end if it is one of
    those read by a loop of their own."""
    start, end = where["start"], where["end"]
    if name == "Paragraph":
        data = facts.index.data
        if _PROSE_ONLY.search(data, start, end):
            _paragraph(facts, events, start, end)
        else:  # plain ASCII prose: its text is not blank, it holds no link
            _skip(events, _ENDS["Paragraph"])
            facts.references(start, end)
    elif name == "Table":
        if facts.folded and start == facts.folded[-1]:
            facts.folded.pop()
        if facts.syntax.search(facts.index.data, start, end):
            _cells(facts, events)
        else:  # no link, nothing left of one: nothing to read
            _skip(events, _ENDS["Table"])
    elif name == "Heading":
        _cells(facts, events, facts.heading(int(value["Heading"]["level"][1:]), start, end))
    elif name == "CodeBlock":
        _skip(events, _ENDS["CodeBlock"])  # code: no links, no prose
    elif name == "MetadataBlock":
        parts = []
        for event, _ in events:
            if event.__class__ is str:
                parts.append(" ")
            elif "End" in event:
                break
            else:
                parts.extend(event.values())
        if start == 0:  # pulldown-cmark also takes such blocks later on: not front matter
            facts.front_matter("".join(parts))
    elif name == "HtmlBlock":
        facts.html(start, end)


def _skip(events: Events, last: Mapping[str, str]) -> None:
    """Pass over events up to ``last`` (blocks of its kind do not nest)."""
    for event, _ in events:
        if event == last:
            return


def _paragraph(facts: Scan, events: Events, start: int, end: int) -> None:
    """A paragraph's events, to its end: link syntax left in its text, its links, and
    (when its text is not blank) the section references its range holds. A code span is
    no prose: it neither begins the paragraph nor makes its text.

    Once what is left of it holds no link (its bytes: ``_LINKLESS``) and whether its
    text is blank is known or cannot matter, the rest is passed over."""
    data = facts.index.data
    parts = False
    text = not facts.may_refer(start, end)  # (then its text cannot matter)
    if text and not facts.syntax.search(data, start, end):
        _skip(events, _ENDS["Paragraph"])  # code spans or text that is not ASCII
        return
    links: list[Link] = []
    images = 0
    for event, where in events:
        if event.__class__ is str:  # a line break is a space
            if links:
                links[-1][3].append(" ")
            parts = parts or not images
            continue
        key, value = event.popitem()
        if key == "Text":
            if links:
                links[-1][3].append(value)
            if images:
                continue
            if not links and "]" in value:  # (no "]": no link syntax)
                facts.stray(value, where["start"], where["end"], starts_block=not parts)
            parts = True
            if not text:  # (isspace, not strip: no copy of the text)
                text = value != "" and not value.isspace()
        elif key == "Code":
            if links:
                links[-1][3].append(value)
            if facts.roles and not images:
                facts.role(value, where["start"], where["end"])
        elif key == "Start":
            if value.__class__ is dict:  # (a link is read here, not by _inline: most are)
                if "Link" in value:
                    links.append((where["start"], where["end"], value["Link"], []))
                else:
                    images = _inline(facts, key, value, where, links, images)
        elif key == "End":
            if value == "Paragraph":
                if text:
                    facts.references(start, end)
                return
            if value == "Link":
                if links:
                    first, last, link, words = links.pop()
                    facts.link(first, last, link, "".join(words).strip())
            else:
                images = _inline(facts, key, value, where, links, images)
            if (  # an element ends: is there a link after it?
                text
                and not links
                and not images
                and not facts.syntax.search(data, where["end"], end)
            ):
                _skip(events, _ENDS["Paragraph"])
                facts.references(start, end)
                return
        elif key == "InlineHtml":
            facts.html(where["start"], where["end"])


def _cells(facts: Scan, events: Events, heading: int | None = None) -> None:
    """A table's events, to its end, or a heading's (one cell, its text named at its
    end): link syntax left in each cell's text, its links. A table row whose bytes hold
    no link (most rows) is passed over."""
    data = facts.index.data
    parts: list[str] = []  # the cell's text so far (stray link syntax may begin it)
    links: list[Link] = []
    images = 0
    value: Any
    for event, where in events:
        if event.__class__ is str:
            key, value = "Text", " "  # a line break is a space
        else:
            key, value = event.popitem()
        if key in ("Text", "Code"):
            if links:
                links[-1][3].append(value)
            if images:
                continue
            if key == "Text" and not links and "]" in value:
                facts.stray(value, where["start"], where["end"], starts_block=not parts)
            elif key == "Code" and facts.roles:
                facts.role(value, where["start"], where["end"])
            parts.append(value)
        elif key == "Start" and value.__class__ is str and value in _TABLE_PARTS:
            if value == "TableCell":
                parts = []
            elif not facts.syntax.search(data, where["start"], where["end"]):
                _skip(events, _ENDS[value])  # a row without a link
        elif key == "End" and (
            value == "Table" or (value.__class__ is dict and "Heading" in value)
        ):
            if heading is not None:
                facts.name_heading(heading, "".join(parts).strip())
            return
        elif key in ("Start", "End"):
            images = _inline(facts, key, value, where, links, images)
        elif key == "InlineHtml":
            facts.html(where["start"], where["end"])


def _implicit(facts: Scan, events: Events, first: Event) -> Event | None:
    """The text of a tight list item, from its first inline event to the next start of a
    block or the end of the item (``_ENDS_IMPLICIT``), which is handed back (None: the
    events ended).

    Its range runs from that first event to the end of its last text or inline element
    (not of inline HTML): section references are searched for there, if its text is not
    blank. A code span is no prose: it neither begins the item's text nor makes it."""
    start, end = first[1]["start"], first[1]["end"]
    if first[0].__class__ is dict and "Start" in first[0]:
        end = start  # an inline element: its end comes with its own end event
    parts = text = False
    links: list[Link] = []
    images = 0
    last: Event | None = None
    for event in chain((first,), events):
        tag, where = event
        if tag.__class__ is str:
            if tag == "Rule":
                continue
            key, value = "Text", " "  # a line break is a space
        else:
            key, value = tag.popitem()
        if key in ("Text", "Code"):
            if links:
                links[-1][3].append(value)
            if images:
                continue
            if key == "Text":
                if not links and "]" in value:
                    facts.stray(value, where["start"], where["end"], starts_block=not parts)
                parts = True
                if not text:
                    text = value != "" and not value.isspace()
            elif facts.roles:
                facts.role(value, where["start"], where["end"])
            end = max(end, where["end"])
        elif key in ("Start", "End"):
            name = value if value.__class__ is str else next(iter(value))
            if name not in INLINE:
                if key == "Start" or name in _ENDS_IMPLICIT:
                    last = ({key: value}, where)  # (as it came)
                    break
                if name == "List":  # (as an HTML block's end, it does not end the text)
                    facts.lists -= facts.lists > 0
                continue
            if key == "End":
                end = max(end, where["end"])
            images = _inline(facts, key, value, where, links, images)
        elif key == "InlineHtml":
            facts.html(where["start"], where["end"])
    if text:
        facts.references(start, end)
    return last


def _inline(
    facts: Scan, key: str, value: Any, where: Mapping[str, int], links: list[Link], images: int
) -> int:
    """An inline element begins or ends (a link, an image, emphasis...); how many images
    are open."""
    if key == "Start":
        if value.__class__ is dict:
            if "Link" in value:
                links.append((where["start"], where["end"], value["Link"], []))
            elif "Image" in value:  # a link to its file, as it begins
                images += 1
                facts.image(where["start"], where["end"], value["Image"])
    elif value == "Link":
        if links:
            first, last, link, words = links.pop()
            facts.link(first, last, link, "".join(words).strip())
    elif value == "Image":
        images = max(0, images - 1)
    return images
