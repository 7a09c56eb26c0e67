"""The outlines a run keeps of Markdown files: what links and section references in
other files ask of them (heading anchors, section numbers), and nothing else.

A run keeps one for every Markdown file it parses or that a link leads to, so each is
packed into one string: every anchor, then every section number, each followed by a NUL
(which no decoded file holds), after a NUL and the anchors' length. That is about a
ninth of two frozensets of strings (1.6 kB a document on the benchmark's corpus) and
100 bytes less than two strings in a tuple. A link's question is one substring search
in the packed string (``Names``): unpacking each file's names into sets for it took
about as long as building them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyromark is imported only by runs that read Markdown
    from aixcl_lint.documents.outline import Outline

_SEPARATOR = "\0"


def _packed(anchors: Iterable[str], numbers: Iterable[str]) -> str:
    names = "".join(name + _SEPARATOR for name in set(anchors))
    numbered = (number + _SEPARATOR for number in set(numbers))
    return "".join((str(len(names) + 1), _SEPARATOR, names, *numbered))


class Names(AbstractSet[str]):
    """Names packed in a string, each between two NULs (``packed[start:end]``), as a set."""

    __slots__ = ("_end", "_packed", "_start")

    def __init__(self, packed: str, start: int, end: int) -> None:
        self._packed, self._start, self._end = packed, start, end

    def __contains__(self, name: object) -> bool:
        if name.__class__ is not str or _SEPARATOR in name:  # (``%00`` in a fragment)
            return False
        return self._packed.find(f"{_SEPARATOR}{name}{_SEPARATOR}", self._start, self._end) >= 0

    def _names(self) -> list[str]:
        return self._packed[self._start + 1 : self._end].split(_SEPARATOR)[:-1]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return self._packed.count(_SEPARATOR, self._start, self._end) - 1


def _unpacked(packed: str) -> tuple[Names, Names]:
    body = packed.index(_SEPARATOR)  # (after the anchors' length)
    numbers = body + int(packed[:body])  # (the anchors' last NUL begins the numbers)
    return Names(packed, body, numbers), Names(packed, numbers - 1, len(packed))


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
