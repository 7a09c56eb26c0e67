"""Gitignore-style patterns compiled safely: an invalid pattern is an error naming it,
and a large set of patterns never reaches RE2's set compiler (which fails on a few
thousand simple globs, after printing thousands of log lines).

Most patterns a run meets are plain names (``/README.md``, ``*.md``): those are matched
by one ``re`` expression here, and pathspec (about 55 ms of imports, its RE2 and
Hyperscan backends probed) is imported only for a set holding another pattern.
``tests/test_globs.py`` holds the two equal on generated patterns and paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pathspec

MAX_RE2_PATTERNS = 200
"""Above this many patterns, match with pathspec's pure-Python backend (linear in the
patterns per path) rather than one RE2 set."""

_SIMPLE = re.compile(r"/?[A-Za-z0-9_.*-]+(?:/[A-Za-z0-9_.*-]+)*/?")
"""A pattern matched here: names of letters, digits, ``_.-`` and ``*`` (never ``**``),
not negated, no escape, class, ``?`` or space."""


class Spec(Protocol):
    """A compiled set of patterns."""

    def match_file(self, file: str) -> bool:
        """Whether the patterns select ``file`` (a folder ends with ``/``)."""


class PatternError(ValueError):
    """A pattern that is not a valid gitignore pattern: its index and text."""

    def __init__(self, index: int, pattern: str) -> None:
        super().__init__(f"invalid pattern {pattern!r}")
        self.index = index
        self.pattern = pattern


def _simple(pattern: str) -> bool:
    if not _SIMPLE.fullmatch(pattern) or "**" in pattern or pattern.rstrip("/") in ("", "*"):
        return False  # pathspec writes a lone `*` (or `*/`) its own way
    return not any(part in (".", "..") for part in pattern.strip("/").split("/"))


def _regex(pattern: str, end: str) -> str:
    """A simple pattern as pathspec writes it (``GitWildMatchPattern``): with a slash
    before its end, from the root, else at any depth; with a trailing slash, only a
    folder; a folder selects what is inside it. ``end`` is ``$`` as pathspec's
    pure-Python backend has it, ``\\Z`` as its RE2 one (a name ending in a newline)."""
    folder_only = pattern.endswith("/")
    body = pattern.rstrip("/")
    anchored = "/" in body
    text = "/".join(
        "[^/]+" if set(part) == {"*"} else re.escape(part).replace(r"\*", "[^/]*")
        for part in body.lstrip("/").split("/")
    )
    head = "" if anchored else "(?:.+/)?"
    return f"{head}{text}{'/' if folder_only else f'(?:/|{end})'}"


BY_HAND = 32
"""How many paths a set of plain patterns matches by hand before it compiles them into
one expression: re's compiler, in Python, costs as much as thousands of matches, and a
warm pre-commit run matches a handful of paths against each of its sets."""


def _segment(pattern: str, name: str) -> bool:
    """Whether one part of a path matches one part of a pattern (``*`` is ``[^/]*``;
    a part of stars alone, ``[^/]+``)."""
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return name == pattern
    if not pattern.strip("*"):
        return name != ""
    first, last = pieces[0], pieces[-1]
    if len(name) < len(first) + len(last) or not name.startswith(first):
        return False
    if not name.endswith(last):
        return False
    at, stop = len(first), len(name) - len(last)
    for piece in pieces[1:-1]:  # each found leftmost: any later place only leaves less
        found = name.find(piece, at, stop)
        if found < 0:
            return False
        at = found + len(piece)
    return True


class _Plain:
    """One plain pattern, matched by hand as ``_regex`` writes it (for paths holding no
    newline, where ``$`` and ``\\Z`` agree and ``.`` is any character)."""

    def __init__(self, pattern: str) -> None:
        self.folder_only = pattern.endswith("/")
        body = pattern.rstrip("/")
        self.anchored = "/" in body
        self.parts = body.lstrip("/").split("/")

    def matches(self, parts: list[str]) -> bool:
        """Whether the pattern selects a path split at its slashes."""
        more = 1 if self.folder_only else 0  # a folder only: something must follow
        if self.anchored:
            count = len(self.parts)
            return len(parts) >= count + more and all(
                _segment(p, n) for p, n in zip(self.parts, parts, strict=False)
            )
        pattern = self.parts[0]
        # At any depth: ``(?:.+/)?`` before it, so what comes before is not empty.
        return any(
            _segment(pattern, parts[i]) and (i == 0 or i > 1 or parts[0] != "")
            for i in range(len(parts) - more)
        )


class Simple:
    """Plain-name patterns: matched by hand for the first ``BY_HAND`` paths, then by one
    expression (a run whose results are all kept matches none of its rules'
    ``exclude`` globs, and a pre-commit run only a few paths)."""

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = patterns
        self._match: Callable[[str], object] | None = None
        self._plain = [_Plain(p) for p in patterns]
        self._left = BY_HAND

    def _compiled(self) -> Callable[[str], object]:
        end = "$" if _backend(len(self.patterns)) else r"\Z"
        joined = "|".join(f"(?:{_regex(p, end)})" for p in self.patterns)
        self._match = re.compile(joined).match if self.patterns else lambda _: None
        return self._match

    def match_file(self, file: str) -> bool:
        """Whether some pattern selects ``file`` (made relative as pathspec makes it:
        one leading ``/`` or ``./`` removed)."""
        if file.startswith("/"):
            file = file[1:]
        elif file.startswith("./"):
            file = file[2:]
        if self._match is None and self._left > 0 and "\n" not in file:
            self._left -= 1
            parts = file.split("/")
            return any(plain.matches(parts) for plain in self._plain)
        return (self._match or self._compiled())(file) is not None


def _backend(count: int) -> str | None:
    return "simple" if count > MAX_RE2_PATTERNS else None


def spec(patterns: Iterable[str]) -> Spec:
    """A gitignore spec of ``patterns``; PatternError names the first invalid one."""
    lines = list(patterns)
    if all(_simple(line) for line in lines):
        return Simple(lines)
    return _pathspec(lines)


def _pathspec(lines: list[str]) -> pathspec.PathSpec[Any]:
    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines, backend=_backend(len(lines)))
    except ValueError:
        for index, line in enumerate(lines):
            if not _valid(line):
                raise PatternError(index, line) from None
        raise


def lenient_spec(patterns: Iterable[str]) -> Spec | None:
    """A spec of the valid ``patterns`` (git ignores the invalid lines of a
    ``.gitignore``); None if none is left."""
    lines = list(patterns)
    try:
        return spec(lines) if lines else None
    except PatternError:
        kept = [line for line in lines if _valid(line)]
        return spec(kept) if kept else None


def _valid(line: str) -> bool:
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([line], backend="simple")
    except ValueError:
        return False
    return True
