"""MkDocs' indented blocks, read as the content they render: admonitions (``!!! note``),
collapsible details (``??? tip``, ``???+ tip``) and content tabs (``=== "Tab"``).

Python-Markdown (``admonition``, ``pymdownx.details``, ``pymdownx.tabbed``) renders the
lines indented below such a marker as Markdown inside a box; CommonMark reads them as an
indented code block, so their links and headings would be missed. In the MkDocs
flavours each marker is rewritten, byte for byte the same length, as a list item's
marker (``-   note``): the body indented below it is then that item's content, read as
Markdown, and every offset (so every line and column) stays the file's own.
"""

from __future__ import annotations

import bisect
import re

_MARKER = re.compile(r"^([ \t]*)(!!!|\?\?\?|===)(\+?)( +)(?=\S)", re.MULTILINE)
"""A block's marker at a line's start (after any indentation), its ``+`` (open details,
a selected tab) and the spaces before its type or title."""
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*(\S?)", re.MULTILINE)
"""A fence line; its second group is empty when nothing follows it (a closing fence)."""
_HINTS = ("!!! ", "??? ", "???+ ", "=== ", "===+ ")


def may_hold(text: str) -> bool:
    """Whether a text may hold a marker (most documents hold none)."""
    return any(hint in text for hint in _HINTS)


def _item(match: re.Match[str]) -> str:
    indent, _, plus, spaces = match.groups()
    if plus:  # "???+ tip" -> "-   +tip": the "+" kept as text ("+ " would open a list)
        return f"{indent}-   {'+' * len(spaces)}"
    # "!!! note" -> "-   note": lines indented four columns past the marker are the item's.
    return f"{indent}-  {spaces}"


def _fenced(text: str) -> list[tuple[int, int]]:
    """The spans of fenced code blocks (at any indentation: a fence in a block's body is
    indented), each from its opening fence to its closing one or the end."""
    spans: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    for fence in _FENCE.finditer(text):
        mark = fence.group(1)
        if opened is None:
            opened = (fence.start(), mark)
        elif mark[0] == opened[1][0] and len(mark) >= len(opened[1]) and not fence.group(2):
            spans.append((opened[0], fence.end()))
            opened = None
    if opened is not None:
        spans.append((opened[0], len(text)))
    return spans


def as_items(text: str) -> str:
    """The text with each block marker outside fenced code written as a list item's
    marker of its length."""
    if not may_hold(text):
        return text
    fenced = _fenced(text) if "``" in text or "~~" in text else []
    starts = [start for start, _ in fenced]

    def item(match: re.Match[str]) -> str:
        at = bisect.bisect_right(starts, match.start()) - 1
        if at >= 0 and match.start() < fenced[at][1]:
            return match.group()  # code: as written
        return _item(match)

    return _MARKER.sub(item, text)
