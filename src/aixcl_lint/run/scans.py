"""Which files the units read, and which of them hold an inline directive's marker, so
that suppression reads again only the files that do (and those no unit read).

Looking for the marker was the parent's largest serial phase of a parallel run: every
target opened, its path resolved twice, its bytes searched, after the workers had read
the same bytes. Now a step notes each of its unit's files as it reads it; a worker sends
back only the steps where something is unusual (a file holding the marker, or one the
step did not read), as indexes into the unit's paths.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from aixcl_lint.kinds.base import Unit

READ, MARKED, UNREAD = 0, 1, 2
"""What a step says of each of its unit's files: read without the marker, read with
it, not read by this step (a file it had read for an earlier step, or could not read)."""

Marks = tuple[int, ...]
"""One status per path of a unit; ``None`` stands for all ``READ``."""


def marks(paths: Sequence[str], scanned: Mapping[str, bool]) -> Marks | None:
    """The statuses of a unit's ``paths`` from what its step read (path: whether it
    holds the marker); None when the step read each of them and none holds it."""
    found = tuple(
        UNREAD if path not in scanned else MARKED if scanned[path] else READ for path in paths
    )
    return found if any(found) else None


class Scans:
    """What the run's steps read: for each file a step read, whether some step saw the
    marker in it.

    One dict, not two sets: a set's table is four times its size below 50,000 entries
    (2.1 MB for the 20,000 files of a large run), a dict's about a third of that."""

    def __init__(self) -> None:
        self._read: dict[str, bool] = {}
        self.composed: set[str] = set()
        """The YAML files compose projects parsed besides their own (those they extend
        or include: ``run.projectreads``), as the steps found them."""

    def add(self, unit: Unit, found: Marks | None) -> None:
        """What one finished step read of its unit's files."""
        read = self._read
        if found is None:
            for path in unit.paths:
                read.setdefault(path, False)
            return
        for path, status in zip(unit.paths, found, strict=True):
            if status == READ:
                read.setdefault(path, False)
            elif status == MARKED:
                read[path] = True

    def add_all(self, units: Iterable[tuple[Unit, Marks | None]]) -> None:
        """What several finished steps read."""
        for unit, found in units:
            self.add(unit, found)

    def note(self, marked: Mapping[str, bool]) -> None:
        """Files whose bytes are known otherwise (a kept result's, checked by the cache
        look-up): whether each holds the marker."""
        read = self._read
        for path, found in marked.items():
            if found:
                read[path] = True
            else:
                read.setdefault(path, False)

    def mentions(self, path: str) -> bool | None:
        """Whether a file holds the marker, as read by a step; None if no step did."""
        return self._read.get(path)
