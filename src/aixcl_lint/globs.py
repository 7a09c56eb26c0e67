"""Gitignore-style patterns compiled safely: an invalid pattern is an error naming it,
and a large set of patterns never reaches RE2's set compiler (which fails on a few
thousand simple globs, after printing thousands of log lines)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pathspec

MAX_RE2_PATTERNS = 200
"""Above this many patterns, match with pathspec's pure-Python backend (linear in the
patterns per path) rather than one RE2 set."""


class PatternError(ValueError):
    """A pattern that is not a valid gitignore pattern: its index and text."""

    def __init__(self, index: int, pattern: str) -> None:
        super().__init__(f"invalid pattern {pattern!r}")
        self.index = index
        self.pattern = pattern


def _backend(count: int) -> str | None:
    return "simple" if count > MAX_RE2_PATTERNS else None


def spec(patterns: Iterable[str]) -> pathspec.PathSpec[Any]:
    """A gitignore spec of ``patterns``; PatternError names the first invalid one."""
    lines = list(patterns)
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines, backend=_backend(len(lines)))
    except ValueError:
        for index, line in enumerate(lines):
            try:
                pathspec.GitIgnoreSpec.from_lines([line], backend="simple")
            except ValueError:
                raise PatternError(index, line) from None
        raise


def lenient_spec(patterns: Iterable[str]) -> pathspec.PathSpec[Any] | None:
    """A spec of the valid ``patterns`` (git ignores the invalid lines of a
    ``.gitignore``); None if none is left."""
    lines = list(patterns)
    try:
        return spec(lines) if lines else None
    except PatternError:
        kept = [line for line in lines if _valid(line)]
        return spec(kept) if kept else None


def _valid(line: str) -> bool:
    try:
        pathspec.GitIgnoreSpec.from_lines([line], backend="simple")
    except ValueError:
        return False
    return True
