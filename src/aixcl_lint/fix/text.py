"""Text as fixes edit it: the line layout of a file, and edits at character offsets."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from aixcl_lint.records import record

K = TypeVar("K")

_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""Line breaks as libyaml counts them (so marks and offsets agree)."""


class Lines:
    """Where each line of a text starts, and the line break that ends it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.breaks: list[str] = []
        for match in _BREAK.finditer(text):
            self.breaks.append(match.group())
            self.starts.append(match.end())

    def offset(self, line: int, column: int) -> int:
        """The offset of a 0-based line and column (as in a PyYAML mark)."""
        if line >= len(self.starts):
            return len(self.text)
        return min(self.starts[line] + column, len(self.text))

    def mark(self, mark: Any) -> int:
        """The offset of a PyYAML mark."""
        return self.offset(mark.line, mark.column)

    def line_of(self, offset: int) -> int:
        """The 0-based line holding ``offset``."""
        return bisect.bisect_right(self.starts, offset) - 1

    def start(self, line: int) -> int:
        """Where ``line`` starts."""
        return self.starts[line]

    def end(self, line: int) -> int:
        """Where ``line``'s content ends (before its line break)."""
        if line < len(self.breaks):
            return self.starts[line + 1] - len(self.breaks[line])
        return len(self.text)

    def after(self, line: int) -> int:
        """Where the line after ``line`` starts (the end of the text after the last line)."""
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)

    def has_break(self, line: int) -> bool:
        """Whether ``line`` ends with a line break."""
        return line < len(self.breaks)

    def content(self, line: int) -> str:
        """``line`` without its line break."""
        return self.text[self.starts[line] : self.end(line)]

    def eol(self, line: int | None = None) -> str:
        """The line break of ``line``, else the text's first one, else ``\\n``."""
        if line is not None and line < len(self.breaks):
            return self.breaks[line]
        return self.breaks[0] if self.breaks else "\n"

    def blank(self, line: int) -> bool:
        """Whether ``line`` holds only whitespace."""
        return not self.content(line).strip()

    def only_space_before(self, offset: int) -> bool:
        """Whether nothing but spaces precedes ``offset`` on its line."""
        line = self.line_of(offset)
        return not self.text[self.starts[line] : offset].strip(" \t")


@record(order=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (an insertion when start == end)."""

    start: int
    end: int
    replacement: str

    def conflicts(self, other: Edit) -> bool:
        """Whether the two edits touch the same text (touching ends is no conflict)."""
        if self == other:
            return False
        if max(self.start, other.start) < min(self.end, other.end):
            return True
        return any(
            a.start == a.end and b.start < a.start < b.end
            for a, b in ((self, other), (other, self))
        )


def apply(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with non-conflicting ``edits`` made; insertions at one offset keep their order."""
    order = sorted(range(len(edits)), key=lambda i: (edits[i].start, edits[i].end, i))
    pieces: list[str] = []
    position = 0
    for i in order:
        edit = edits[i]
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = max(position, edit.end)
    pieces.append(text[position:])
    return "".join(pieces)


class _Accepted:
    """Edits that conflict with none of each other, indexed so that a new edit is checked
    against its neighbours only (``Edit.conflicts`` against each would be quadratic)."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []
        self.spans: list[tuple[int, int]] = []  # replacements: disjoint, by start
        self.points: list[int] = []  # insertions, sorted

    def conflicts(self, edit: Edit) -> bool:
        """Whether ``edit`` conflicts with an accepted edit (``Edit.conflicts``)."""
        start, end = edit.start, edit.end
        # The replacement starting last before `end` (or before an insertion's point)
        # is the only one that can overlap: the others end before it starts.
        i = bisect.bisect_left(self.spans, (end if start < end else start, -1))
        if i and self.spans[i - 1][1] > start:
            return True
        # An insertion strictly inside a new replacement.
        j = bisect.bisect_right(self.points, start)
        return start < end and j < len(self.points) and self.points[j] < end

    def add(self, edit: Edit) -> None:
        """Accept ``edit`` (it conflicts with none)."""
        self.edits.append(edit)
        if edit.start < edit.end:
            bisect.insort(self.spans, (edit.start, edit.end))
        else:
            bisect.insort(self.points, edit.start)


def apply_checked(
    before: str, edits: Mapping[Edit, Sequence[K]], valid: Callable[[str], bool]
) -> tuple[str, dict[K, str]]:
    """``before`` with the edits made that conflict with no edit before them and keep the
    text ``valid``; and why each owner (``K``) of an edit left out was left out."""
    rejected: dict[K, str] = {}
    accepted = _Accepted()
    for edit, owners in edits.items():
        if accepted.conflicts(edit):
            rejected.update(dict.fromkeys(owners, "conflicts with another fix in the same place"))
        else:
            accepted.add(edit)
    after = apply(before, accepted.edits)
    if valid(after):
        return after, rejected
    kept: list[Edit] = []
    for edit in accepted.edits:
        if valid(apply(before, [*kept, edit])):
            kept.append(edit)
        else:
            rejected.update(dict.fromkeys(edits[edit], "the result would not be valid YAML"))
    return apply(before, kept), rejected


def skip_blank(text: str, i: int, end: int) -> int:
    """The offset of the next character in ``text[i:end]`` that is not space or comment."""
    while i < end:
        char = text[i]
        if char == "#" and (i == 0 or text[i - 1] in " \t\r\n"):
            while i < end and text[i] not in "\r\n":
                i += 1
        elif char in " \t\r\n\x85\u2028\u2029\ufeff":
            i += 1
        else:
            return i
    return end
