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

# What a reader takes for "this is an address": mail (e-mail), contact, write, send,
# reach, or "to" just before it ("report it to info at example.de").
_CUES = (b"mail", b"contact", b"write", b"send", b"reach")
_AROUND = frozenset(b" \t*_`>:-+|")
"""What may stand beside an address alone on its line: emphasis, a list marker, a colon."""
_AFTER = _AROUND | {ord(".")}
_NEWLINE = ord("\n")
_SPACE = frozenset(b" \t\r\n")
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_LOCAL = _WORD | frozenset(b".+-")
_LABEL = _WORD | {ord("-")}
_LABEL_START = [bytes([b]) for b in _WORD]
_OPEN, _CLOSE = b"[({<", b"])}>"
# Candidates are read byte by byte in a bounded window, not searched with RE2: its
# Python binding costs microseconds a call and copies the text it is given.
_BEFORE, _CUE_SPAN = 64, 120


def written(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """Byte ranges and addresses (``local@domain``) of the addresses written out
    between two offsets."""
    chunk = data[start:end]
    low = chunk.lower()
    at, floor = low.find(b"at"), 0
    while at >= 0:
        found = _address(chunk, low, at, floor)
        if found is not None:
            first, last, address = found
            yield start + first, start + last, address
            floor = last
        at = low.find(b"at", max(at + 2, floor))


def _address(chunk: bytes, low: bytes, at: int, floor: int) -> tuple[int, int, str] | None:
    """The address whose ``at`` (bare or in brackets) starts at ``at``, if any."""
    before, after = low[at - 1 : at], low[at + 2 : at + 3]
    if before and before in _OPEN and after and _OPEN.index(before) == _CLOSE.find(after):
        token, bare, rest = at - 1, False, at + 3
    elif before and before[0] in _SPACE and after and after[0] in _SPACE:
        token, bare, rest = at - 1, True, at + 2
    else:
        return None
    while token > floor and chunk[token - 1] in _SPACE:
        token -= 1
    first = _local_start(chunk, token, floor)
    domain = _domain(chunk, low, rest)
    if first is None or domain is None:
        return None
    last, labels, spelled = domain
    if not labels[-1].isalpha() or len(labels[-1]) < 2 or chunk[last : last + 1] in (b"/", b"@"):
        return None  # "at 3.5", "at github.com/org": a version, a web address
    if bare and not spelled and not _alone(chunk, first, last) and not _cued(low, first):
        return None
    name = chunk[first:token].decode("ascii")
    return first, last, name + "@" + ".".join(label.decode("ascii") for label in labels)


def _local_start(chunk: bytes, end: int, floor: int) -> int | None:
    """Where the local part ending at ``end`` starts (it starts and ends with a letter,
    a digit or ``_``), or None."""
    first = end
    while first > max(floor, end - _BEFORE) and chunk[first - 1] in _LOCAL:
        first -= 1
    while first < end and chunk[first] not in _WORD:
        first += 1
    if first == end or chunk[end - 1] not in _WORD:
        return None
    return first


def _domain(chunk: bytes, low: bytes, at: int) -> tuple[int, list[bytes], bool] | None:
    """The end of the domain starting at ``at`` (after white space), its labels, and
    whether a dot is spelled (``dot``, ``[dot]``); None without two labels."""
    while at < len(chunk) and chunk[at] in _SPACE:
        at += 1
    labels: list[bytes] = []
    last = at
    spelled = after_spelled = False
    while len(labels) < 16:
        end = at
        while end < len(chunk) and chunk[end] in _LABEL:
            end += 1
        if end == at or chunk[at] not in _WORD:
            break
        labels.append(chunk[at:end])
        last, spelled = end, spelled or after_spelled
        if chunk[end : end + 1] == b"." and chunk[end + 1 : end + 2] in _LABEL_START:
            at, after_spelled = end + 1, False
            continue
        dot = _spelled_dot(low, end)
        if dot is None:
            break
        at, after_spelled = dot, True
    if len(labels) < 2:
        return None
    return last, labels, spelled


def _spelled_dot(low: bytes, at: int) -> int | None:
    """Where the label after a spelled dot (`` dot ``, ``[dot]``, ``(dot)``) starts."""
    end = at
    while end < len(low) and low[end] in _SPACE:
        end += 1
    word = low[end : end + 5]
    if word[:1] in (b"[", b"(", b"{", b"<") and word[1:4] == b"dot" and word[4:5]:
        if _OPEN.index(word[:1]) == _CLOSE.find(word[4:5]):
            end += 5
        else:
            return None
    elif end > at and word[:3] == b"dot" and word[3:4] and word[3] in _SPACE:
        end += 3
    else:
        return None
    while end < len(low) and low[end] in _SPACE:
        end += 1
    return end


def _alone(data: bytes, first: int, last: int) -> bool:
    """Whether only emphasis, list markers and white space share the address's line
    (each side read only up to its first other byte: a long line costs no more)."""
    before = first
    while before > 0 and data[before - 1] in _AROUND:
        before -= 1
    after = last
    while after < len(data) and data[after] in _AFTER:
        after += 1
    return (before == 0 or data[before - 1] == _NEWLINE) and (
        after == len(data) or data[after] in b"\r\n"
    )


def _cued(low: bytes, first: int) -> bool:
    """Whether a word about mail or contact comes shortly before, in the same block, or
    "to" just before."""
    near = low[max(0, first - 8) : first].rstrip(b" \t\r\n:")
    if near.endswith(b"to") and (len(near) == 2 or near[-3] not in _WORD):
        return True
    window = low[max(0, first - _CUE_SPAN) : first]
    return any(word in window for word in _CUES)
