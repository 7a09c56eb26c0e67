"""Where a file's comments are, by its language: Python's own tokenizer, PyYAML's
parser, and small scanners for shell, Dockerfiles, env files, TOML and HCL.

A scanner returns each comment as ``(start, end)`` character offsets into the text,
from its marker (``#``, ``//``, ``/*``) to the end of its line (or to ``*/``); ``None``
when the file does not tokenize (an unclosed string, bad indentation), and then, as for a
language none of them knows, the caller reads a ``#`` that opens a line or follows a
space (``textlines.comment_start``).
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import Any

from aixcl_lint import deferred
from aixcl_lint.documents import comments_scan, comments_shell

Ranges = list[tuple[int, int]]
Scanner = Callable[[str, int], Ranges | None]
"""A language's scanner: the comments of a text, those starting after the index it is
given (the last ``#`` that may open a reference; -1: none) possibly left out."""


def python(text: str, until: int = -1) -> Ranges | None:
    """Python's comments, as its ``tokenize`` module finds them (not in strings)."""
    import tokenize

    starts = [0]
    for line in io.StringIO(text):  # the lines tokenize reads: split at "\n" only
        starts.append(starts[-1] + len(line))
    last_row = bisect.bisect_right(starts, until) if until >= 0 else len(starts)
    found: Ranges = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                (row, col), (end_row, end_col) = token.start, token.end
                found.append((starts[row - 1] + col, starts[end_row - 1] + end_col))
            elif token.type == tokenize.ERRORTOKEN and token.string.strip():
                return None  # an unclosed quote, a stray character
            if token.end[0] > last_row:
                break
    except (tokenize.TokenError, SyntaxError):
        return None
    return found


_BLOCK_HEADER = deferred.pattern(r"[|>][0-9+-]*[ \t]+#")
"""A block scalar's header with a comment (``run: |  # why``), which libyaml's scalar
event holds."""


def yaml(text: str, until: int = -1) -> Ranges | None:
    """YAML's comments: a ``#`` outside PyYAML's (libyaml's) scalars, which hold block
    and quoted scalars whole, to the line's end; and a block scalar header's comment.
    Only a scalar can hold a ``#`` that is no comment, so each ``#`` is looked up among
    the scalars around it, once the parser has passed it."""
    from aixcl_lint.yamllib import yaml as pyyaml

    hashes = [m.start() for m in re.finditer("#", text[: len(text) if until < 0 else until + 1])]
    if not hashes:
        return []
    scalar: Any = pyyaml.ScalarEvent  # its marks are never None
    loader = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)
    found: Ranges = []
    k, before = 0, None  # the next "#" to place, and the scalar before it
    try:
        events: Iterator[Any] = pyyaml.parse(text, Loader=loader)
        for event in events:
            if type(event) is scalar:
                if event.start_mark.index > hashes[k]:
                    k = _place(text, hashes, k, before, event.start_mark.index, found)
                    if k == len(hashes):
                        return found
                before = event
    except pyyaml.YAMLError:
        return None
    _place(text, hashes, k, before, len(text), found)
    return found


def _place(text: str, hashes: list[int], k: int, before: Any, start: int, found: Ranges) -> int:
    """Place the ``#`` from ``hashes[k]`` on, up to the next scalar's ``start``: in the
    scalar ``before`` it (data, but for a block scalar header's comment) or between
    scalars (a comment to the line's end). The index of the first ``#`` not placed."""
    if before is not None and hashes[k] < (end := before.end_mark.index):
        if before.style in ("|", ">"):
            first = before.start_mark.index
            header = _BLOCK_HEADER.search(text, first, comments_scan.line_end(text, first))
            if header is not None:
                found.append((header.end() - 1, comments_scan.line_end(text, header.end())))
        k = bisect.bisect_left(hashes, end, k)
    while k < len(hashes) and hashes[k] < start:
        stop = comments_scan.line_end(text, hashes[k])
        found.append((hashes[k], stop))
        k = bisect.bisect_left(hashes, stop, k)
    return k


def dockerfile(text: str, until: int = -1) -> Ranges | None:
    """A Dockerfile's comments: lines whose first non-blank character is ``#`` (a ``#``
    anywhere else is an argument, Docker's reference says)."""
    found: Ranges = []
    start = 0
    for line in io.StringIO(text):
        stripped = line.lstrip(" \t")
        if stripped.startswith("#"):
            at = start + len(line) - len(stripped)
            found.append((at, comments_scan.line_end(text, at)))
        start += len(line)
    return found


_SUFFIXES: dict[str, Scanner] = {
    ".py": python,
    ".pyi": python,
    ".yml": yaml,
    ".yaml": yaml,
    ".sh": comments_shell.shell,
    ".bash": comments_shell.shell,
    ".zsh": comments_shell.shell,
    ".ksh": comments_shell.shell,
    ".env": comments_scan.env,
    ".toml": comments_scan.toml,
    ".tf": comments_scan.hcl,
    ".tfvars": comments_scan.hcl,
    ".hcl": comments_scan.hcl,
    ".dockerfile": dockerfile,
}
_SHEBANG = deferred.pattern(r"#![ \t]*\S*/(?:env[ \t]+(?:-\S+[ \t]+)*)?([A-Za-z]+)")
_INTERPRETERS: dict[str, Scanner] = {
    "python": python,
    "sh": comments_shell.shell,
    "bash": comments_shell.shell,
    "dash": comments_shell.shell,
    "ash": comments_shell.shell,
    "zsh": comments_shell.shell,
    "ksh": comments_shell.shell,
}


def scanner(path: str, text: str) -> Scanner | None:
    """The scanner for a file's language, from its extension, its name or its shebang
    line (``#!/usr/bin/env bash``); ``None`` for a language none knows."""
    name = PurePosixPath(path).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if name == ".env" or name.startswith(".env."):
        return comments_scan.env
    if name.partition(".")[0] in ("Dockerfile", "Containerfile"):
        return dockerfile
    shebang = _SHEBANG.match(text) if text.startswith("#!") else None
    return _INTERPRETERS.get(shebang.group(1)) if shebang else None


def ranges(path: str, text: str) -> Ranges | None:
    """A file's comments as character ranges, by its language (those after the last
    ``#`` before a ``.md`` possibly left out); ``None`` when its language is unknown or
    the file does not tokenize."""
    scan = scanner(path, text)
    if scan is None:
        return None
    if scan is comments_scan.hcl:
        return scan(text, -1)
    until = _last_hash_before_md(text)
    return [] if until < 0 else scan(text, until)


def _last_hash_before_md(text: str) -> int:
    """The index of the last ``#`` on a line before a ``.md`` on it; -1 if none (then
    no ``#`` comment can name a Markdown file: nothing to tokenize)."""
    at = text.rfind(".md")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        found = text.rfind("#", start, at)
        if found >= 0:
            return found
        at = text.rfind(".md", 0, start)
    return -1
