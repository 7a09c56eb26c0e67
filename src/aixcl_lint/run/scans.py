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
    """What the run's steps read: files known to hold no marker, and files known to."""

    def __init__(self) -> None:
        self.unmarked: set[str] = set()
        self.marked: set[str] = set()

    def add(self, unit: Unit, found: Marks | None) -> None:
        """What one finished step read of its unit's files."""
        if found is None:
            self.unmarked.update(unit.paths)
            return
        for path, status in zip(unit.paths, found, strict=True):
            if status == READ:
                self.unmarked.add(path)
            elif status == MARKED:
                self.marked.add(path)

    def add_all(self, units: Iterable[tuple[Unit, Marks | None]]) -> None:
        """What several finished steps read."""
        for unit, found in units:
            self.add(unit, found)

    def mentions(self, path: str) -> bool | None:
        """Whether a file holds the marker, as read by a step; None if no step did."""
        if path in self.marked:
            return True
        return False if path in self.unmarked else None
