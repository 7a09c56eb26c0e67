"""A Markdown text with the table rows the scan never reads folded away, so that
pulldown-cmark makes no events for them.

Tables are about half of a document's events (three a cell), and a row whose bytes hold
no link syntax (``[``, ``]``, ``<``, ``&``; nor ``>``, which ends HTML blocks) gives
``mdscan`` nothing: it passes such rows over. Converting their events to Python objects
is the cost, so before parsing, each run of such rows becomes one row of one cell,
``||`` padded with spaces to the run's length: every byte offset, and so every range the
parser gives outside the run, stays what it was (line breaks inside the run become
spaces; lines are counted in the original text, never in this one).

Only body rows are folded, of a table whose header and delimiter rows stay as written,
each row starting with ``|`` at the start of its line and holding something other than
white space after it (``|`` and white space alone ends a table). In a table a row's
content makes only that row's events; if the lines are no table (in a fenced code
block, an HTML block...), folding could change what they are, so ``fold`` also returns
where each table it folded begins, and the scan checks that the parser saw a table begin
at each of those offsets (``mdscan.Scan.folded``); if not, the text is read again as it
is written.
"""

from __future__ import annotations

import re

_DELIMITER = re.compile(rb"\n\|[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\r?\n")
"""A table's delimiter row (``|---|:---:|``) at the start of a line, with the line
breaks around it: the header row is the line before it."""
_BODY = re.compile(rb"(?:\|[ \t\x0b\x0c]*[^ \t\x0b\x0c\r\n][^\r\n]*(?:\r?\n|\Z))+")
"""A table's body rows: lines that begin with ``|`` and something that is not white
space after it (a line with a CR inside ends them: CommonMark ends a line there)."""
_KEPT = re.compile(rb"[\[\]<>&]")
"""What a row the scan may read holds (``mdscan._LINKLESS``, and ``>``)."""


def fold(data: bytes) -> tuple[bytes, list[int]]:
    """``data`` with runs of unread table rows folded; where each folded table begins."""
    pieces: list[bytes] = []
    starts: list[int] = []
    done = 0  # data[:done] is in pieces
    found = _DELIMITER.search(data)
    while found is not None:
        header = data.rfind(b"\n", 0, found.start()) + 1
        at = found.end()  # the line after the delimiter row
        body = _BODY.match(data, at)
        if body is not None and header >= done and data[header : header + 1] == b"|":
            at = body.end()
            folded = _body(data, body.start(), at, pieces, done)
            if folded > done:
                starts.append(header)
                done = folded
        found = _DELIMITER.search(data, at - 1)
    if not starts:
        return data, starts
    pieces.append(data[done:])
    return b"".join(pieces), starts


def _body(data: bytes, first: int, after: int, pieces: list[bytes], done: int) -> int:
    """Fold each run of unread rows of the body ``data[first:after]``; where the last
    run folded ends (``done``: none was)."""
    for kept in _KEPT.finditer(data, first, after):
        if kept.start() < first:  # (another on a row already kept)
            continue
        line = max(first, data.rfind(b"\n", first, kept.start()) + 1)
        if line > first:
            done = _fold(data, first, line, pieces, done)
        first = data.find(b"\n", kept.start(), after) + 1 or after
    if first < after:
        done = _fold(data, first, after, pieces, done)
    return done


def _fold(data: bytes, first: int, after: int, pieces: list[bytes], done: int) -> int:
    """Fold the rows ``data[first:after]`` into one row of one cell of the same length,
    before the last one's line break; where it ends."""
    last = after
    while data[last - 1] in b"\r\n":
        last -= 1
    pieces.append(data[done:first])
    pieces.append(b"||" + b" " * (last - first - 2))
    return last
