"""Any file as lines of text, for pattern rules that the structured models do not see
(comments in a compose file, say)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aixcl_lint.core import Location, Pointer, Span


@dataclass(frozen=True)
class TextTree:
    """A file's lines: ``data["lines"]`` holds ``{"text", "number"}`` for each."""

    path: str
    data: dict[str, Any]

    def location(self, ptr: Pointer, *, value: bool = False) -> Location:
        """A line's span (line 1 for the file itself)."""
        if len(ptr) >= 2 and ptr[0] == "lines" and isinstance(ptr[1], int):
            line = self.data["lines"][ptr[1]]
            end = len(line["text"]) + 1
            return Location(
                self.path, Span(Span.at(line["number"]).start, Span.at(line["number"], end).start)
            )
        return Location(self.path, Span.at(1))

    def locations(self, ptr: Pointer) -> list[Location]:
        """The one place ``ptr`` was written."""
        return [self.location(ptr)]

    def interpolate(self, value: Any) -> str:
        """A value as text (text has no variables)."""
        return value if isinstance(value, str) else str(value)


def parse(path: str, text: str) -> TextTree:
    """A file's text as lines."""
    lines = [{"text": line, "number": n} for n, line in enumerate(text.splitlines(), 1)]
    return TextTree(path, {"lines": lines})
