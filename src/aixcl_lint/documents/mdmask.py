"""A Markdown text with the table rows the scan never reads folded away, so that
pulldown-cmark makes no events for them.

Tables are about half of a document's events (three a cell), and a row whose bytes hold
no link syntax (``[``, ``]``, ``<``, ``&``; nor ``>``, which ends HTML blocks) gives
``mdscan`` nothing: it passes such rows over. Converting their events to Python objects
is the cost, so before parsing, each run of such rows becomes one row of one cell,
``||`` padded with spaces to the run's length: every byte offset, and so every range the
parser gives outside the run, stays what it was (line breaks inside the run become
spaces; lines are counted in the original text, never in this one). A run that ends the
table's rows with a blank line (or the text) after it becomes blank lines instead, so it
makes no events at all: the table ends at the first of them, as it ended at that blank
line (a line after the rows that is not blank may be a row of the table too).

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

from aixcl_lint import deferred

_DELIMITER = deferred.pattern(rb"\|[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\r?\n")
"""A table's delimiter row (``|---|:---:|``) and its line break; the header row is the
line before it."""
_UNREAD = deferred.pattern(
    rb"(?:\|[ \t\x0b\x0c]*+[^ \t\x0b\x0c\r\n\[\]<>&][^\r\n\[\]<>&]*+(?:\r?\n|\Z))++"
)
"""Body rows the scan does not read, one after another: each a line that begins with
``|`` and something that is not white space (``|`` and white space alone ends a table),
holding none of what a row the scan may read holds (``mdscan._LINKLESS``, and ``>``,
which ends HTML blocks). A CR inside a line ends the rows: CommonMark ends a line there."""
_READ = deferred.pattern(rb"\|[ \t\x0b\x0c]*+[^ \t\x0b\x0c\r\n][^\r\n]*+(?:\r?\n|\Z)")
"""A body row the scan may read."""
_BLANK = deferred.pattern(rb"[ \t]*+(?:[\r\n]|\Z)")
"""A blank line (or the end of the text): where a table ends whatever came before it."""
_BLANKED = bytes(c if c in b"\r\n" else 32 for c in range(256))
"""Every byte a space but line breaks."""


def fold(data: bytes) -> tuple[bytes, list[int]]:
    """``data`` with runs of unread table rows folded; where each folded table begins."""
    pieces: list[bytes] = []
    starts: list[int] = []
    done = 0  # data[:done] is in pieces
    line = data.find(b"\n|") + 1  # (each delimiter row has a header row before it)
    while line > 0:
        delimiter = _DELIMITER.match(data, line)
        if delimiter is None:
            line = data.find(b"\n|", line) + 1
            continue
        header = data.rfind(b"\n", 0, line - 1) + 1
        at = delimiter.end()
        if header >= done and data[header] == 124:  # "|"
            folded, at = _body(data, at, pieces, done)
            if folded > done:
                starts.append(header)
                done = folded
        line = data.find(b"\n|", at - 1) + 1
    if not starts:
        return data, starts
    pieces.append(data[done:])
    return b"".join(pieces), starts


def _body(data: bytes, at: int, pieces: list[bytes], done: int) -> tuple[int, int]:
    """Fold each run of unread rows of the body that begins at ``at``: (where the last
    run folded ends, ``done`` if none was; where the body ends)."""
    while True:
        unread = _UNREAD.match(data, at)
        if unread is not None:
            first, at = unread.start(), unread.end()
            if _READ.match(data, at) is None and _BLANK.match(data, at) is not None:
                pieces.append(data[done:first])  # the body's last rows, a blank line after
                pieces.append(data[first:at].translate(_BLANKED))
                return at, at
            done = _fold(data, first, at, pieces, done)
        read = _READ.match(data, at)
        if read is None:
            return done, at
        at = read.end()


def _fold(data: bytes, first: int, after: int, pieces: list[bytes], done: int) -> int:
    """Fold the rows ``data[first:after]`` into one row of one cell of the same length,
    before the last one's line break; where it ends."""
    last = after
    while data[last - 1] in b"\r\n":
        last -= 1
    pieces.append(data[done:first])
    pieces.append(b"||" + b" " * (last - first - 2))
    return last
