"""Any YAML or JSON file as a tree rules can address: every document of the file, key
paths with wildcards (``jobs.*.steps[*]``), and every value's span."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import field
from typing import Any

from aixcl_lint.core import Location, Pointer, Span
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.documents.yamltree import YamlFile
from aixcl_lint.records import record

KEY = "<key>"
"""The last part of a pointer that means a mapping entry's key, not its value."""

_PART = re.compile(r"\[(\*|-?\d+)\]|([^.\[\]]+)")


class PathError(ValueError):
    """A key path that cannot be read."""


def compile_path(text: str) -> tuple[str | int, ...]:
    """``jobs.*.steps[*]`` as parts: keys, ``*`` (every key), ``[*]`` (every item) and
    ``[N]`` (one item, from 0)."""
    parts: list[str | int] = []
    at = 0
    for match in _PART.finditer(text):
        gap = text[at : match.start()]
        joined = gap == "" if at == 0 else gap in ("", ".")
        if not joined or (gap == "" and at and match.group(2)):
            raise PathError(f"key path {text!r}: unexpected {gap or text[match.start()]!r}")
        index, key = match.groups()
        parts.append(("[*]" if index == "*" else int(index)) if index is not None else key)
        at = match.end()
    if at != len(text) or not parts:
        raise PathError(f"key path {text!r} cannot be read (keys joined by '.', items as [*])")
    return tuple(parts)


@record
class YamlTree:
    """A YAML file's documents: ``data`` is the list of them, pointers start with the
    document's index."""

    path: str
    file: YamlFile
    repo: Any = field(default=None, compare=False)
    """The run's answers about other files (``kinds.base.Sources``), for relations."""

    @property
    def data(self) -> list[Any]:
        """Every document's data, in file order."""
        return [doc.data for doc in self.file.documents]

    def location(self, ptr: Pointer, *, value: bool = False) -> Location:
        """Where ``ptr`` was written: its key (``value``: its value; a pointer ending in
        ``KEY``: the key), or its nearest ancestor's; line 1 for the file."""
        if not ptr or not isinstance(ptr[0], int) or ptr[0] >= len(self.file.documents):
            return Location(self.path, Span.at(1))
        spans = self.file.documents[ptr[0]].spans
        rest, want_key = ptr[1:], False
        if rest and rest[-1] == KEY:
            rest, want_key = rest[:-1], True
        for depth in range(len(rest), -1, -1):
            found = spans.get(rest[:depth])
            if found is not None:
                exact = depth == len(rest)
                if want_key and exact and found.key is not None:
                    return Location(self.path, found.key)
                return Location(self.path, found.value if value or not exact else found.anchor)
        return Location(self.path, Span.at(1))

    def locations(self, ptr: Pointer) -> list[Location]:
        """The one place ``ptr`` was written."""
        return [self.location(ptr)]

    def interpolate(self, value: Any) -> str:
        """A scalar as text (YAML files have no variables)."""
        return value if isinstance(value, str) else scalar_text(value)


def nodes(tree: YamlTree, parts: tuple[str | int, ...]) -> Iterator[tuple[Pointer, Any]]:
    """Every value at the key path ``parts``, in every document, in document order."""
    for i, data in enumerate(tree.data):
        yield from _walk(data, parts, (i,))


def _walk(data: Any, parts: tuple[str | int, ...], ptr: Pointer) -> Iterator[tuple[Pointer, Any]]:
    if not parts:
        yield ptr, data
        return
    part, rest = parts[0], parts[1:]
    if part == "*" and isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, rest, (*ptr, key))
    elif part == "[*]" and isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, rest, (*ptr, index))
    elif isinstance(part, int) and isinstance(data, list) and -len(data) <= part < len(data):
        yield from _walk(data[part], rest, (*ptr, part % len(data)))
    elif isinstance(part, str) and isinstance(data, dict) and part in data:
        yield from _walk(data[part], rest, (*ptr, part))


def dotted(ptr: Pointer) -> str:
    """A pointer (without its document index) as a key path: ``jobs.build.steps[2]``."""
    out = ""
    for part in ptr:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
