"""E-mail addresses written out so that harvesters miss them and readers do not:
``security [at] example [dot] org``, ``security(at)example.org``, ``info at example.de``.

The bracketed forms (``[at]``, ``(at)``, ``{at}``, ``<at>``) and the spelled-out dot
(``at ... dot``) are addresses wherever they stand. A bare ``at`` between a word and a
dotted name is also English ("look at this.page"), so it is an address only where a
reader would take it for one: alone on its line (in a code block, a list item, a
paragraph of its own), after a word about mail or contact in the same block, or just
after "to".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import re2


def _bytes_pattern(pattern: bytes) -> Any:
    """An RE2 pattern over bytes, byte for byte (Latin-1 mode)."""
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    return re2.compile(pattern, options)


_WORD = rb"[A-Za-z0-9_]"
_AT = rb"(\s*(?:\[at\]|\(at\)|\{at\}|<at>)\s*|\s+at\s+)"
_DOT = rb"(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|<dot>)\s*|\s+dot\s+|\.)"
_WRITTEN = _bytes_pattern(
    rb"(?i)("
    + _WORD
    + rb"(?:[A-Za-z0-9_.+-]*"
    + _WORD
    + rb")?)"
    + _AT
    + rb"("
    + _WORD
    + rb"[A-Za-z0-9_-]*(?:"
    + _DOT
    + _WORD
    + rb"[A-Za-z0-9_-]*)+)"
)
_DOTS = _bytes_pattern(rb"(?i)" + _DOT)
_TLD = _bytes_pattern(rb"^[A-Za-z]{2,}$")
# What a reader takes for "this is an address": mail, e-mail, contact, write, send,
# reach, or "to" just before it ("report it to info at example.de").
_CUE = _bytes_pattern(rb"(?i)(?:\b|_)(?:e-?mail|mail|contact|write|send|reach)")
_TO = _bytes_pattern(rb"(?i)(?:^|\W)to:?\s+$")
_AROUND = frozenset(b" \t*_`>:-+|")
"""What may stand beside an address alone on its line: emphasis, a list marker, a colon."""
_CUE_SPAN = 120


def written(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """Byte ranges and addresses (``local@domain``) of the addresses written out
    between two offsets."""
    if data.find(b"at", start, end) < 0 and data.find(b"AT", start, end) < 0:
        return
    for match in _WRITTEN.finditer(data, start, end):
        first, last = match.span()
        labels = _DOTS.split(match.group(3))
        if not _TLD.search(labels[-1]) or data[last : last + 1] in (b"/", b"@"):
            continue  # "at 3.5", "at github.com/org": a version, a URL
        bare = match.group(2).strip().lower() == b"at"
        spelled = any(dot.strip() != b"." for dot in _DOTS.findall(match.group(3)))
        if bare and not spelled and not _alone(data, first, last) and not _cued(data, start, first):
            continue
        local = match.group(1).decode("ascii")
        yield first, last, local + "@" + ".".join(label.decode("ascii") for label in labels)


def _alone(data: bytes, first: int, last: int) -> bool:
    """Whether only emphasis, list markers and white space share the address's line."""
    line_start = data.rfind(b"\n", 0, first) + 1
    line_end = data.find(b"\n", last)
    after = data[last : len(data) if line_end < 0 else line_end].rstrip(b".\r")
    return all(byte in _AROUND for byte in data[line_start:first] + after)


def _cued(data: bytes, start: int, first: int) -> bool:
    """Whether a word about mail or contact comes shortly before, in the same block."""
    if _TO.search(data[max(start, first - 5) : first]):
        return True
    return _CUE.search(data, max(start, first - _CUE_SPAN), first) is not None
