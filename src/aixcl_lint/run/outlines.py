"""The outlines a run keeps of Markdown files: what links and section references in
other files ask of them (heading anchors, section numbers), and nothing else.

A run keeps one for every Markdown file it parses or that a link leads to, so each is
packed into one string: the number of anchors, then every anchor and every section
number after a NUL (which no decoded file holds). That is about a ninth of two
frozensets of strings (1.6 kB a document on the benchmark's corpus) and 100 bytes less
than two strings in a tuple. A file's sets are unpacked when a link asks, and the last
file's kept, since the links of one document often lead to the same file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyromark is imported only by runs that read Markdown
    from aixcl_lint.documents.outline import Outline

_SEPARATOR = "\0"


def _packed(anchors: Iterable[str], numbers: Iterable[str]) -> str:
    names = set(anchors)
    return "".join((str(len(names)), *(_SEPARATOR + name for name in (*names, *set(numbers)))))


def _unpacked(packed: str) -> tuple[frozenset[str], frozenset[str]]:
    count, *names = packed.split(_SEPARATOR)
    return frozenset(names[: int(count)]), frozenset(names[int(count) :])


class Outlines:
    """Outlines by path, packed; a path may be known to have none (None)."""

    def __init__(self) -> None:
        self._kept: dict[str, str | None] = {}
        self._last: tuple[str, Outline] | None = None

    def __contains__(self, path: object) -> bool:
        return path in self._kept

    def keep(self, path: str, anchors: Iterable[str], numbers: Iterable[str]) -> None:
        """Keep a file's anchors (lower-cased already) and section numbers."""
        self._kept[path] = _packed(anchors, numbers)
        if self._last is not None and self._last[0] == path:
            self._last = None

    def keep_outline(self, path: str, outline: Outline | None) -> None:
        """Keep an outline, or that the file has none."""
        if outline is None:
            self._kept[path] = None
            self._last = None
        else:
            self.keep(path, outline.anchors, outline.numbers)

    def get(self, path: str) -> Outline | None:
        """The kept outline of ``path`` (None if it has none or was never kept)."""
        if self._last is not None and self._last[0] == path:
            return self._last[1]
        packed = self._kept.get(path)
        if packed is None:
            return None
        from aixcl_lint.documents.outline import Outline

        found = Outline(*_unpacked(packed))
        self._last = (path, found)
        return found
