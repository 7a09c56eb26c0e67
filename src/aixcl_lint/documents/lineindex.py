"""Offsets into a text (UTF-8 bytes or characters) to 1-based lines and columns.

Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (as in CommonMark). Columns count
characters, not bytes. A leading byte order mark is not a column: editors do not show
it, so a text with a BOM gives the same positions as the text without it.

A lookup bisects the line starts, built on the first lookup (a text without a CR counts
its line breaks for its last line and ``lines_of``); on a line of ASCII text the column
is arithmetic, otherwise the line's bytes up to the offset are counted, from the nearest
of checkpoints kept every few kilobytes of a long line (so no lookup reads more than
that).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from itertools import accumulate

from aixcl_lint import deferred
from aixcl_lint.core import Pointer, Position, Span
from aixcl_lint.documents.spans import NodeSpans

_BREAK = deferred.pattern(r"\r\n?|\n")
_CONTINUATION = bytes(range(0x80, 0xC0))
"""UTF-8 continuation bytes: every other byte starts a character."""
_STRIDE = 4096
"""Bytes between checkpoints on a long line of non-ASCII text."""


class LineIndex:
    """Line starts of one text in UTF-8 bytes (in characters only when asked for)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = data = text.encode("utf-8", "surrogatepass")
        self._bom = text.startswith("\ufeff")
        self._starts_of_bytes: list[int] | None = None
        self._lf_only = b"\r" not in data
        """Lines end at ``\n`` alone: a line is one more than the ``\n`` before it, counted
        (most documents need no line starts: only their headings' lines)."""
        self._char_starts: list[int] | None = None
        if self._lf_only:
            breaks = data.count(b"\n")
            ends_with_break = not data or data.endswith(b"\n")
            self.last_line = max(1, breaks if ends_with_break else breaks + 1)
        else:
            starts = self._byte_starts
            ends_with_break = len(starts) > 2 and starts[-2] == len(data)
            self.last_line = max(1, len(starts) - 1 - ends_with_break)
        """The last line of the text (a final line break does not start a line)."""
        self._checkpoints: dict[int, list[int]] = {}

    @property
    def _byte_starts(self) -> list[int]:
        if self._starts_of_bytes is None:
            data = self.data
            # bytes.splitlines breaks at \n, \r\n and \r only, as CommonMark does.
            starts = [0, *accumulate(map(len, data.splitlines(keepends=True)))]
            if not data or data.endswith((b"\n", b"\r")):
                starts.append(len(data))
            self._starts_of_bytes = starts
        return self._starts_of_bytes

    def lines_of(self, offsets: list[int]) -> list[int]:
        """The 1-based lines of byte offsets in ascending order (as ``line_of``)."""
        if not self._lf_only or self._starts_of_bytes is not None:
            return [self.line_of(offset) for offset in offsets]
        data, size = self.data, len(self.data)
        lines: list[int] = []
        at, line = 0, 1  # (the line holding offset ``at``)
        for offset in offsets:
            upto = min(max(offset, 0), size)
            line += data.count(b"\n", at, upto)
            at = upto
            lines.append(line)
        return lines

    @property
    def _starts(self) -> list[int]:
        if self._char_starts is None:
            text = self.text
            self._char_starts = [0, *(m.end() for m in _BREAK.finditer(text)), len(text)]
        return self._char_starts

    def _chars(self, start: int, end: int) -> int:
        """How many characters begin in the bytes ``start:end``."""
        return len(self.data[start:end].translate(None, _CONTINUATION))

    def _column(self, first: int, after: int, offset: int) -> int:
        """The 0-based column of a byte offset on a non-ASCII line of bytes first:after."""
        if after - first <= _STRIDE:
            return self._chars(first, offset)
        marks = self._checkpoints.get(first)
        if marks is None:  # characters before first + k * _STRIDE, for each k
            marks = self._checkpoints[first] = [0]
            for mark in range(first + _STRIDE, after, _STRIDE):
                marks.append(marks[-1] + self._chars(mark - _STRIDE, mark))
        k = min((offset - first) // _STRIDE, len(marks) - 1)
        return marks[k] + self._chars(first + k * _STRIDE, offset)

    def line_of(self, byte_offset: int) -> int:
        """The 1-based line holding a UTF-8 byte offset."""
        return min(bisect_right(self._byte_starts, byte_offset), len(self._byte_starts) - 1)

    def position(self, char_offset: int) -> Position:
        """The 1-based line and column of a character offset."""
        char_offset = min(max(char_offset, 0), len(self.text))
        line = min(bisect_right(self._starts, char_offset), len(self._starts) - 1)
        column = char_offset - self._starts[line - 1] + 1
        return Position(line, column - 1 if self._bom and line == 1 < column else column)

    def byte_position(self, byte_offset: int) -> Position:
        """The 1-based line and column of a UTF-8 byte offset."""
        byte_offset = min(max(byte_offset, 0), len(self.data))
        line = self.line_of(byte_offset)
        first, after = self._byte_starts[line - 1], self._byte_starts[line]
        if self.data[first:after].isascii():
            column = byte_offset - first + 1
        else:
            column = self._column(first, after, byte_offset) + 1
        return Position(line, column - 1 if self._bom and line == 1 < column else column)

    def byte_span(self, start: int, end: int) -> Span:
        """The span of the UTF-8 byte range ``start:end``."""
        first = self.byte_position(start)
        return Span(first, max(first, self.byte_position(end)))


class LazySpans(Mapping[Pointer, NodeSpans]):
    """Spans by pointer, from UTF-8 byte ranges, each computed when first asked for."""

    def __init__(
        self,
        index: LineIndex,
        ranges: Mapping[Pointer, tuple[int, int]],
        known: Mapping[Pointer, NodeSpans] | None = None,
    ) -> None:
        self._index, self._ranges = index, ranges
        self._known = dict(known or {})
        self._extra = [ptr for ptr in self._known if ptr not in ranges]

    def __getitem__(self, ptr: Pointer) -> NodeSpans:
        found = self._known.get(ptr)
        if found is None:
            found = self._known[ptr] = NodeSpans(self._index.byte_span(*self._ranges[ptr]))
        return found

    def __iter__(self) -> Iterator[Pointer]:
        yield from self._ranges
        yield from self._extra

    def __len__(self) -> int:
        return len(self._ranges) + len(self._extra)
