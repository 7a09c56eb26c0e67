"""Unified diffs in about linear time, for files with thousands of changed lines.

``difflib`` matches lines with a search that grows with the product of the two files'
lengths when many lines look alike (2,000 fixed services took seconds in it). Fixes
change few lines far apart, so this diff first anchors on lines that occur exactly once
in both texts, in the same order (patience diffing: a longest increasing subsequence,
n log n), and leaves only the short stretches between anchors to ``difflib``. A stretch
without anchors that is still large is shown as replaced as a whole: the diff stays
correct, only less minimal.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterator, Sequence

Opcode = tuple[str, int, int, int, int]
MAX_STRETCH = 2_000
"""Longest stretch (in lines, either side) without anchors that difflib compares."""


def _anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of lines unique in both, in an order increasing on both sides."""
    count: dict[str, list[int]] = {}
    for i, line in enumerate(a):
        count.setdefault(line, [0, 0, i])[0] += 1
    where: list[tuple[int, int]] = []
    for line in b:
        entry = count.get(line)
        if entry is not None:
            entry[1] += 1
    for j, line in enumerate(b):
        entry = count.get(line)
        if entry is not None and entry[0] == 1 and entry[1] == 1:
            where.append((entry[2], j))
    # Longest increasing subsequence of the a-indexes (pairs are already in b order).
    tails: list[int] = []
    tail_at: list[int] = []
    previous = [-1] * len(where)
    for k, (i, _j) in enumerate(where):
        pos = bisect.bisect_left(tails, i)
        if pos == len(tails):
            tails.append(i)
            tail_at.append(k)
        else:
            tails[pos], tail_at[pos] = i, k
        previous[k] = tail_at[pos - 1] if pos else -1
    chain: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(where[k])
        k = previous[k]
    return chain[::-1]


def _stretch(
    a: Sequence[str], b: Sequence[str], a0: int, a1: int, b0: int, b1: int
) -> Iterator[Opcode]:
    """Opcodes for ``a[a0:a1]`` against ``b[b0:b1]``, which share no anchor."""
    if a0 == a1 and b0 == b1:
        return
    if a1 - a0 > MAX_STRETCH or b1 - b0 > MAX_STRETCH or a0 == a1 or b0 == b1:
        tag = "insert" if a0 == a1 else "delete" if b0 == b1 else "replace"
        yield (tag, a0, a1, b0, b1)
        return
    matcher = difflib.SequenceMatcher(None, a[a0:a1], b[b0:b1])
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        yield (tag, a0 + i1, a0 + i2, b0 + j1, b0 + j2)


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """``difflib``-style opcodes turning ``a`` into ``b`` (difflib's own for small texts)."""
    if len(a) <= MAX_STRETCH and len(b) <= MAX_STRETCH:
        return difflib.SequenceMatcher(None, a, b).get_opcodes()  # type: ignore[return-value]
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    codes: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    a_at, b_at = start, start
    inner_a, inner_b = a[start:end_a], b[start:end_b]
    for i, j in [*((i + start, j + start) for i, j in _anchors(inner_a, inner_b)), (end_a, end_b)]:
        codes.extend(_stretch(a, b, a_at, i, b_at, j))
        if i < end_a:
            codes.append(("equal", i, i + 1, j, j + 1))
        a_at, b_at = i + 1, j + 1
    if end_a < len(a):
        codes.append(("equal", end_a, len(a), end_b, len(b)))
    return _merged(codes)


def _merged(codes: list[Opcode]) -> list[Opcode]:
    """Adjacent opcodes of the same tag joined (as difflib gives them)."""
    out: list[Opcode] = []
    for code in codes:
        if out and out[-1][0] == code[0] and out[-1][2] == code[1] and out[-1][4] == code[3]:
            last = out[-1]
            out[-1] = (last[0], last[1], code[2], last[3], code[4])
        else:
            out.append(code)
    return out or [("equal", 0, 0, 0, 0)]


def _groups(codes: list[Opcode], n: int) -> Iterator[list[Opcode]]:
    """Hunks: the changes with up to ``n`` lines of context, as difflib groups them."""
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = (tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2)
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = (tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n))
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        from_a, from_b = i1, j1
        if tag == "equal" and i2 - i1 > 2 * n:  # a long equal stretch ends a hunk
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            from_a, from_b = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, from_a, i2, from_b, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _range(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1
    if length == 1:
        return f"{first}"
    return f"{first - 1 if not length else first},{length}"


def unified_diff(
    a: Sequence[str], b: Sequence[str], fromfile: str, tofile: str, n: int = 3
) -> Iterator[str]:
    """The lines of a unified diff, as ``difflib.unified_diff`` writes them."""
    started = False
    for group in _groups(opcodes(a, b), n):
        if not started:
            started = True
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in a[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in b[j1:j2])
