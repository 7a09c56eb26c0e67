"""Any file as lines of text, with the raw facts the structured models hide (line
endings, a missing final newline, trailing whitespace, tabs, a byte order mark) and the
prose references its comments make."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aixcl_lint.core import Location, Pointer, Position, Span
from aixcl_lint.documents import mdsource

if TYPE_CHECKING:
    from aixcl_lint.documents.mdtree import Repository

_ENDINGS = {"\n": "lf", "\r\n": "crlf", "\r": "cr", "": "none"}


@dataclass(frozen=True)
class TextTree:
    """A file's lines and facts: ``data["lines"]`` holds each line's ``text``, ``number``,
    ``ending`` and whitespace facts; ``data["file"]`` the facts of the whole file;
    ``data["references"]`` the prose references in its ``#`` comments."""

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
    """Where a ``#`` comment starts (YAML, compose, env files, shell): a ``#`` that opens
    the line or follows a space; -1 if the line has none."""
    at = line.find("#")
    while at > 0 and not line[at - 1].isspace():
        at = line.find("#", at + 1)
    return at


def references(line: str, number: int) -> list[dict[str, Any]]:
    """Prose references in a line's comment: "See docs/x.md section 6"."""
    start = comment_start(line)
    if start < 0 or ".md" not in line:
        return []
    data = line.encode("utf-8", "replace")
    offset = len(line[:start].encode("utf-8", "replace"))
    found = []
    for first, last, path, section in mdsource.references(data, offset, len(data)):
        column = len(data[:first].decode("utf-8", "replace")) + 1
        end = len(data[:last].decode("utf-8", "replace")) + 1
        found.append(
            {"path": path, "number": section, "line": number, "column": column, "end": end}
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


def _references(text: str) -> list[dict[str, Any]]:
    """The prose references in a text's comments, line by line (only lines naming a
    ``.md`` file can hold one)."""
    if ".md" not in text:
        return []
    lines = enumerate(text.splitlines(), 1)
    return [ref for n, line in lines if ".md" in line for ref in references(line, n)]


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
    found = _references(text)
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
