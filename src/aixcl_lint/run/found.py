"""The findings of a run's units, held compactly until the run is past its units.

A large run holds tens of thousands of findings while its units are checked, beside
the loader's answers about other files: on the benchmark's large corpus (20,000 files)
44,000 findings, 14 MB as objects with their messages. Past ``PACK_AT`` findings held,
they are packed: marshalled as rows of plain values and compressed (zlib, level 1),
1.3 MB for those 44,000 (0.08 s to pack, 0.05 s to unpack). They are made again
when the run reads them, once the units and the loader are gone. A run with fewer
findings (the medium corpus has 4,500) packs nothing and pays nothing.

Rows are also what workers send back (``run.workers``).
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterable, Iterator
from itertools import groupby, islice
from operator import attrgetter

from aixcl_lint.core import Finding, Severity

PACK_AT = 8192
"""Findings held as objects before they are packed..."""
BATCH = 2048
"""... in batches of this many: unpacking one makes its rows all at once, and the last
batch is unpacked when every other finding is an object again."""

Row = tuple[str, int, int, int, int, str, int, str, bool]
"""A finding as plain values: to send between processes, to pack."""


def row(f: Finding) -> Row:
    """A finding as plain values."""
    severity = int(f.severity)
    return (
        f.path,
        f.line,
        f.column,
        f.end_line,
        f.end_column,
        f.rule,
        severity,
        f.message,
        f.fixable,
    )


_SEVERITY = {int(s): s for s in Severity}
"""Each severity by its number: a look-up, not the enum's call (a third of the time of
making a finding from its row)."""


def finding(values: Row) -> Finding:
    """The finding a row holds."""
    path, line, column, end_line, end_column, rule, severity, message, fixable = values
    where = (line, column, end_line, end_column)
    return Finding.at(path, where, rule, _SEVERITY[severity], message, fixable)


def _packed(findings: list[Finding]) -> bytes:
    """A batch of findings, marshalled and compressed; equal messages written once
    (marshal refers back to an object it wrote: a large run's messages repeat)."""
    messages: dict[str, str] = {}
    rows = []
    for f in findings:
        values = row(f)
        message = messages.setdefault(f.message, f.message)
        rows.append(values if message is f.message else (*values[:7], message, f.fixable))
    return zlib.compress(marshal.dumps(rows), 1)


class Found:
    """Findings in the order they were added: the last ones as objects, the others
    packed in batches."""

    def __init__(self) -> None:
        self._packed: list[bytes] = []
        self._held: list[Finding] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def extend(self, findings: Iterable[Finding]) -> None:
        """Add findings (a list, or a stream of them); those held are packed whenever
        there are ``PACK_AT``."""
        more = iter(findings)
        while True:
            held = self._held
            before = len(held)
            held.extend(islice(more, PACK_AT - before))
            self._count += len(held) - before
            if len(held) < PACK_AT:
                return  # ``more`` has ended
            self._packed += map(_packed, (held[i : i + BATCH] for i in range(0, PACK_AT, BATCH)))
            self._held = []

    def drain(self) -> Iterator[Finding]:
        """Every finding, in order, each batch let go as it is unpacked: the store is
        empty afterwards."""
        packed, held = self._packed, self._held
        self._packed, self._held, self._count = [], [], 0
        packed.reverse()  # popped from the end: the first batch first
        while packed:
            yield from map(finding, marshal.loads(zlib.decompress(packed.pop())))
        yield from held


_PATH = attrgetter("path")
_KEY = attrgetter("path", "line", "column", "end_line", "end_column", "rule", "message")
"""``core.finding_key``, made in C."""


def ordered(findings: Iterable[Finding], *, unique: bool = False) -> list[Finding]:
    """``sorted(findings, key=finding_key)`` (with ``unique``, each finding once: the
    first of equal ones), without a key for every finding at once (5 MB for a large
    run's 44,000): sorted by path first, whose key is the finding's own string, then
    each file's findings by their whole key. Equal findings are in the same file."""
    result: list[Finding] = []
    once = dict.fromkeys if unique else list
    for _, same in groupby(sorted(findings, key=_PATH), key=_PATH):
        result += sorted(once(same), key=_KEY)
    return result
