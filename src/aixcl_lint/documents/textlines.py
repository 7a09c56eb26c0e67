"""Any file as lines of text, with the raw facts the structured models hide (line
endings, a missing final newline, trailing whitespace, tabs, a byte order mark) and the
prose references its comments make."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING, Any

from aixcl_lint.core import Location, Pointer, Position, Span
from aixcl_lint.documents import comments, mdsource
from aixcl_lint.records import record

if TYPE_CHECKING:
    from aixcl_lint.documents.mdtree import Repository

_ENDINGS = {"\n": "lf", "\r\n": "crlf", "\r": "cr", "": "none"}


@record
class TextTree:
    """A file's lines and facts: ``data["lines"]`` holds each line's ``text``, ``number``,
    ``ending`` and whitespace facts; ``data["file"]`` the facts of the whole file;
    ``data["references"]`` the prose references in its comments (by language)."""

    path: str
    data: dict[str, Any]
    repo: Any = field(default=None, compare=False)
    """The run's answers about other files (``kinds.base.Sources``), for relations."""

    def location(self, ptr: Pointer, *, value: bool = False) -> Location:
        """A line's span, or a reference's (line 1 for the file itself)."""
        if len(ptr) >= 2 and ptr[0] == "references" and isinstance(ptr[1], int):
            ref = self.data["references"][ptr[1]]
            first, last = Position(ref["line"], ref["column"]), Position(ref["line"], ref["end"])
            return Location(self.path, Span(first, last))
        if len(ptr) >= 2 and ptr[0] == "lines" and isinstance(ptr[1], int):
            line = self.data["lines"][ptr[1]]
            end = len(line["text"]) + 1
            return Location(
                self.path, Span(Span.at(line["number"]).start, Span.at(line["number"], end).start)
            )
        if len(ptr) >= 2 and ptr[0] == "file":
            return Location(self.path, Span.at(self.data["first"].get(ptr[1], 1)))
        return Location(self.path, Span.at(1))

    def locations(self, ptr: Pointer) -> list[Location]:
        """The one place ``ptr`` was written."""
        return [self.location(ptr)]

    def interpolate(self, value: Any) -> str:
        """A value as text (text has no variables)."""
        return value if isinstance(value, str) else str(value)


def comment_start(line: str) -> int:
    """Where a ``#`` comment starts in a language no scanner knows (or in a file that
    does not tokenize): a ``#`` that opens the line or follows a space; -1 if none."""
    at = line.find("#")
    while at > 0 and not line[at - 1].isspace():
        at = line.find("#", at + 1)
    return at


def references(line: str, number: int, start: int = -1, end: int = -1) -> list[dict[str, Any]]:
    """Prose references ("See docs/x.md section 6") in the comment that runs from
    ``start`` to ``end`` (characters) of a line, by default from its ``#`` to its end."""
    start = comment_start(line) if start < 0 else start
    comment = line[start : len(line) if end < 0 else end]
    if start < 0 or ".md" not in comment:
        return []
    data = comment.encode("utf-8", "replace")
    found = []
    read, column = 0, start + 1  # bytes read so far, and the column they reach
    for first, last, path, section in mdsource.references(data, 0, len(data)):
        column += len(data[read:first].decode("utf-8", "replace"))
        read = first
        stop = column + len(data[first:last].decode("utf-8", "replace"))
        found.append(
            {"path": path, "number": section, "line": number, "column": column, "end": stop}
        )
    return found


def _line(number: int, written: str) -> dict[str, Any]:
    parts = written.splitlines()
    text = parts[0] if parts else ""
    ending = written[len(text) :]
    return {
        "text": text,
        "number": number,
        "ending": _ENDINGS.get(ending, "other"),
        "trailing_whitespace": text != text.rstrip(),
        "tabs": "\t" in text,
    }


def _references(path: str, text: str) -> list[dict[str, Any]]:
    """The prose references in a file's comments, found by its language
    (``documents.comments``); only a file naming a ``.md`` file can hold one."""
    if ".md" not in text or not _may_cite(text):
        return []
    ranges = comments.ranges(path, text)
    if ranges is None:  # an unknown language, or a file that does not tokenize
        lines = enumerate(text.splitlines(), 1)
        return [ref for n, line in lines if ".md" in line for ref in references(line, n)]
    return _in_ranges(text, ranges) if ranges else []


def _in_ranges(text: str, ranges: comments.Ranges) -> list[dict[str, Any]]:
    """The references in comments at ``ranges`` (character offsets, a range cut at
    each line's end: the lines are ``str.splitlines``', as everywhere else)."""
    lines = text.splitlines()
    starts = list(itertools.accumulate(map(len, text.splitlines(True)), initial=0))
    found: list[dict[str, Any]] = []
    for start, end in ranges:
        number = bisect.bisect_right(starts, start)  # 1-based: starts[0] is 0
        while number <= len(lines) and starts[number - 1] < end:
            at, line = starts[number - 1], lines[number - 1]
            first, stop = max(start - at, 0), min(end - at, len(line))
            if ".md" in line[first:stop]:
                found += references(line, number, first, stop)
            number += 1
    return found


def _may_cite(text: str) -> bool:
    """What every reference holds ("section" or a "§"), as ``mdsource.references``
    asks of a comment, asked once of the whole file."""
    return "ection" in text or "ECTION" in text or "§" in text


def parse(
    path: str,
    text: str,
    repo: Repository | None = None,
    *,
    bom: bool = False,
    lines: bool = True,
) -> TextTree:
    """A file's text as lines with its raw facts (without ``lines``, only its comments'
    references: what ``docs/comment-references`` reads); with a ``repo``, those
    references resolved."""
    found = _references(path, text)
    if repo is not None and found:
        from aixcl_lint.documents.mdtree import resolve_references

        resolve_references(path, found, repo)
    if not lines:
        return TextTree(path, {"references": found}, repo)
    return _with_lines(path, text, repo, found, bom=bom)


def _with_lines(
    path: str, text: str, repo: Repository | None, found: list[dict[str, Any]], *, bom: bool
) -> TextTree:
    lines = [_line(n, written) for n, written in enumerate(text.splitlines(True), 1)]
    endings = [line["ending"] for line in lines]
    facts: dict[str, Any] = {
        "bom": bom,
        "empty": not text,
        "final_newline": not lines or endings[-1] != "none",
        "endings": sorted({e for e in endings if e != "none"}),
        "crlf": endings.count("crlf"),
        "lone_cr": endings.count("cr"),
        "trailing_whitespace": sum(line["trailing_whitespace"] for line in lines),
        "tabs": sum(line["tabs"] for line in lines),
        "line_count": len(lines),
    }
    # A file fact is reported at the first line that shows it.
    first = {
        "final_newline": len(lines) or 1,
        "crlf": _first(lines, lambda line: line["ending"] == "crlf"),
        "lone_cr": _first(lines, lambda line: line["ending"] == "cr"),
        "trailing_whitespace": _first(lines, lambda line: line["trailing_whitespace"]),
        "tabs": _first(lines, lambda line: line["tabs"]),
    }
    data = {"lines": lines, "file": facts, "first": first, "references": found}
    return TextTree(path, data, repo)


def _first(lines: list[dict[str, Any]], holds: Callable[[dict[str, Any]], bool]) -> int:
    return next((line["number"] for line in lines if holds(line)), 1)
