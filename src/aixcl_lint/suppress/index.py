"""Waivers indexed by the paths and rule ids they cover, so applying them is linear.

A waiver's path is a gitignore pattern. Most are literal (``docs/old.md``, ``vendor/``,
``README.md``): those are looked up by the path's folders and names, as gitignore
matches them. Patterns with glob syntax are tried one by one, once per distinct path.
Rule ids are looked up by their prefixes, as ``selection.covers`` matches them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from aixcl_lint.core import matchable

_GLOB = frozenset("*?[]\\!#")


class Covering(Protocol):
    """What the index needs of an entry: a rule id (or prefix), a gitignore path pattern
    and that pattern compiled."""

    rule: str
    path: str
    spec: Any


T = TypeVar("T", bound=Covering)


def literal(pattern: str) -> tuple[str, bool, bool] | None:
    """``(body, anchored, folder_only)`` of a gitignore pattern with no glob syntax,
    else None. Anchored patterns hold a slash before their end; others match a name at
    any depth; a trailing slash matches folders only."""
    if not pattern or pattern != pattern.strip() or _GLOB.intersection(pattern):
        return None
    body = pattern.rstrip("/")
    anchored = "/" in body
    body = body.removeprefix("/")
    if any(part in ("", ".", "..") for part in body.split("/")):
        return None
    return body, anchored, pattern.endswith("/")


def rule_keys(rule_id: str) -> list[str]:
    """Every entry that covers ``rule_id``: itself and its prefixes ending before ``/``
    or ``[``."""
    return [rule_id] + [rule_id[:i] for i, c in enumerate(rule_id) if c in "/[" and i]


class Index(Generic[T]):
    """Entries by the paths and rules they cover."""

    def __init__(self, entries: Sequence[T]) -> None:
        self._anchored: dict[str, list[tuple[T, bool]]] = {}
        self._names: dict[str, list[tuple[T, bool]]] = {}
        self._globs: list[T] = []
        self._by_path: dict[str, dict[str, list[T]]] = {}
        for entry in entries:
            found = literal(entry.path)
            if found is None:
                self._globs.append(entry)
                continue
            body, anchored, folder_only = found
            table = self._anchored if anchored else self._names
            table.setdefault(body, []).append((entry, folder_only))

    def on_path(self, path: str) -> list[T]:
        """The entries whose pattern matches ``path`` (a file), whatever their rule."""
        parts = path.split("/")
        found: dict[int, T] = {}  # by id: a name pattern can match several folders
        for depth in range(1, len(parts) + 1):
            is_file = depth == len(parts)
            for table, key in (
                (self._anchored, "/".join(parts[:depth])),
                (self._names, parts[depth - 1]),
            ):
                for entry, folder_only in table.get(key, ()):
                    if not (is_file and folder_only):
                        found[id(entry)] = entry
        shown = matchable(path)
        found.update((id(e), e) for e in self._globs if e.spec.match_file(shown))
        return list(found.values())

    def _rules_on(self, path: str) -> dict[str, list[T]]:
        table = self._by_path.get(path)
        if table is None:
            table = {}
            for entry in self.on_path(path):
                table.setdefault(entry.rule.rstrip("/"), []).append(entry)
            self._by_path[path] = table
        return table

    def covering(self, rule_id: str, path: str) -> list[T]:
        """The entries that cover a finding of ``rule_id`` on ``path``."""
        table = self._rules_on(path)
        return [e for key in rule_keys(rule_id) for e in table.get(key, ())]

    def any_on(self, paths: Iterable[str]) -> set[int]:
        """The ids (``id()``) of the entries matching at least one of ``paths``."""
        return {id(e) for path in paths for e in self.on_path(path)}
