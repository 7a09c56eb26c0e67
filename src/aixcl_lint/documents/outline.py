"""A Markdown file's outline only: its heading anchors and section numbers.

Links and section references into another file need only these. Reading them from
pulldown-cmark's plain events (no source ranges, no model) costs a fraction of a full
parse, which matters when a run checks links into files it does not lint itself.
The result equals what the full model (``markdown.parse``) derives; a test holds them
to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from html import unescape
from typing import Any, cast

from aixcl_lint import deferred
from aixcl_lint.documents.markdown import PARSER
from aixcl_lint.documents.mdanchors import GITHUB, MKDOCS_FLAVOURS, HeadingAnchors
from aixcl_lint.documents.mdsource import NUMBER, html_anchors
from aixcl_lint.records import record


@record
class Outline:
    """Anchors (heading slugs and HTML ids, lower-cased) and heading section numbers."""

    anchors: AbstractSet[str]
    numbers: AbstractSet[str]


_NOT_PLAIN = deferred.pattern(r"<[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|\Z)|<[/!?]|\[\^|&#|&NewLine")
"""What a text needs to hold for its HTML to be more than its headings' text: raw HTML
(a tag, a closing tag, a comment, a declaration: it may hold anchors or look like a
heading), a footnote (its reference is no heading text), or an entity that may be a
line break (the HTML's line breaks inside a heading are its soft breaks)."""
_HEADING = deferred.pattern(r"<h[1-6]>(.*?)</h[1-6]>\n", re.DOTALL)
_TAG = deferred.pattern(r"<[^>]*>")


def outline(text: str, flavour: str = GITHUB) -> Outline:
    """The outline of a Markdown text, its anchors as ``flavour`` makes them.

    Without raw HTML, footnotes or numeric entities (``_NOT_PLAIN``), it is read from
    pulldown-cmark's HTML, which it writes without a Python object per element: each
    heading is ``<hN>`` ... ``</hN>``, its text the element's with the tags pulldown-cmark
    writes taken out (an image's text is an attribute, as the model leaves it out) and
    the characters it escapes restored."""
    text = text.removeprefix("\ufeff").encode("utf-8", "replace").decode("utf-8")
    if flavour in MKDOCS_FLAVOURS:  # as ``markdown.parse`` reads them
        from aixcl_lint.documents import mdblocks

        text = mdblocks.as_items(text)
    if _NOT_PLAIN.search(text) is None:
        return _from_html(PARSER.html(text), flavour)
    return _from_events(text, flavour)


def _from_html(html: str, flavour: str) -> Outline:
    headings = HeadingAnchors(flavour)
    anchors: list[str] = []
    numbers: list[str] = []
    for inner in _HEADING.findall(html):
        shown = unescape(_TAG.sub("", inner)).replace("\n", " ")
        heading, slug, aliases = headings.add(shown.strip())
        anchors.extend((slug, *aliases))
        number = NUMBER.match(heading)
        if number:
            numbers.append(number.group(1))
    return Outline(frozenset(a.lower() for a in anchors), frozenset(numbers))


def _from_events(text: str, flavour: str) -> Outline:
    anchors: list[str] = []
    numbers: list[str] = []
    headings = HeadingAnchors(flavour)
    parts: list[str] | None = None  # text of the heading being read
    images = 0
    for event in cast("Iterator[Any]", PARSER.events(text, merge_text=True)):
        if event.__class__ is str:
            if parts is not None and not images and event != "Rule":
                parts.append(" ")
            continue
        ((key, value),) = event.items()
        if parts is None:  # outside a heading only HTML and a heading's start count
            if key == "Start":
                if value.__class__ is dict and "Heading" in value:
                    parts = []
            elif key in ("Html", "InlineHtml"):
                anchors.extend(_html_anchors(value))
        elif key in ("Text", "Code"):
            if not images:
                parts.append(value)
        elif key in ("Html", "InlineHtml"):
            anchors.extend(_html_anchors(value))
        elif key == "Start":
            images += value.__class__ is dict and "Image" in value
        elif key == "End":
            if value == "Image":
                images = max(0, images - 1)
            elif value.__class__ is dict and "Heading" in value:
                heading, slug, aliases = headings.add("".join(parts).strip())
                parts = None
                anchors.extend((slug, *aliases))
                number = NUMBER.match(heading)
                if number:
                    numbers.append(number.group(1))
    return Outline(frozenset(a.lower() for a in anchors), frozenset(numbers))


def _html_anchors(html: str) -> Iterator[str]:
    return (name for _, _, name in html_anchors(html.encode("utf-8", "replace")))
