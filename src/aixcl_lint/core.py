"""Frozen value types shared by every layer: positions, spans, severities, findings."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import field

from aixcl_lint.records import record

Pointer = tuple[str | int, ...]
"""A path into a document's data: mapping keys and sequence indexes."""


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word``, if any is close enough to be the one meant."""
    import difflib  # only when something is misspelt

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or nothing."""
    close = closest(word, candidates)
    return f" (did you mean {close!r}?)" if close else ""


def matchable(path: str) -> str:
    """``path`` as glob matchers take it: a name's bytes that are not UTF-8 (lone
    surrogates from ``os.fsdecode``, which RE2 refuses) as U+FFFD, which ``*`` and ``?``
    match like any character."""
    if path.isascii():
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_INVISIBLE = (
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
"""Characters that move the cursor, talk to the terminal, reorder text (bidirectional
controls) or cannot be encoded (lone surrogates): never printed as they are."""
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` safe to print: control, bidirectional and unencodable characters are
    shown as escapes (``\\x1b``, ``\\n``, ``\\x07``, ``\\u202e``; a byte of a file
    name that is not UTF-8 as ``\\xff``), so that no value can forge a line of output,
    move the cursor or retitle the terminal. Tabs and everything else stay as they are."""
    if text.isprintable():  # none of _INVISIBLE's characters is (Cc, Cf, Cs, Zl, Zp)
        return text
    return _invisible().sub(_shown, text)


@functools.cache
def _invisible() -> re.Pattern[str]:
    # Compiled on first use: about 4.6M instructions, and most texts are printable.
    return re.compile(_INVISIBLE)


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so that ``error > warning > info``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        """The severity named ``text`` (case-insensitive); ValueError otherwise."""
        try:
            return cls[text.upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None

    @property
    def label(self) -> str:
        """Lower-case name, as written in policies and output."""
        return self.name.lower()


@record(order=True, slots=True)
class Position:
    """A 1-based line and column (columns count characters, not bytes)."""

    line: int
    column: int

    def __post_init__(self) -> None:
        if self.line < 1 or self.column < 1:
            raise ValueError(f"positions are 1-based, got {self.line}:{self.column}")


@record(order=True, slots=True)
class Span:
    """A half-open region of a file from ``start`` to ``end``."""

    start: Position
    end: Position

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"span ends before it starts: {self.start} > {self.end}")

    @classmethod
    def at(cls, line: int, column: int = 1) -> Span:
        """An empty span at one position."""
        pos = Position(line, column)
        return cls(pos, pos)


@record(slots=True)
class Location:
    """Where a value was written: a repository-relative POSIX path and a span."""

    path: str
    span: Span


@record(order=True, slots=True, init=False)
class Finding:
    """One problem found in one file. Totally ordered by position, then rule.

    Its span is held as four numbers, not as a ``Span`` of two ``Position``s: a large
    run holds tens of thousands of findings, and the three objects cost twice what
    the finding itself does. ``span`` makes them when asked.
    """

    path: str
    line: int
    """First line of the finding."""
    column: int
    """First column of the finding."""
    end_line: int
    end_column: int
    rule: str
    severity: Severity = field(compare=False)
    message: str
    fixable: bool = field(default=False, compare=False)

    def __init__(
        self,
        path: str,
        span: Span,
        rule: str,
        severity: Severity,
        message: str,
        fixable: bool = False,
    ) -> None:
        # A ``Span``'s positions were checked when it was made (1-based, in order):
        # only the rule and the path are (the engine makes one finding per violation).
        if not rule or not path or path[0] == "/":
            start, end = span.start, span.end
            where = (start.line, start.column, end.line, end.column)
            self._set(path, where, rule, (severity, message, fixable))  # says what is wrong
            return
        start, end = span.start, span.end
        put = object.__setattr__
        put(self, "path", path)
        put(self, "line", start.line)
        put(self, "column", start.column)
        put(self, "end_line", end.line)
        put(self, "end_column", end.column)
        put(self, "rule", rule)
        put(self, "severity", severity)
        put(self, "message", message)
        put(self, "fixable", fixable)

    def _set(
        self,
        path: str,
        where: tuple[int, int, int, int],
        rule: str,
        rest: tuple[Severity, str, bool],
    ) -> None:
        if not rule:
            raise ValueError("a finding needs a rule id")
        # A backslash is an ordinary character of a POSIX file name, so it is allowed.
        if not path or path.startswith("/"):
            raise ValueError(f"finding paths are relative POSIX paths, got {path!r}")
        line, column, end_line, end_column = where
        if line < 1 or column < 1 or end_line < 1 or end_column < 1:
            raise ValueError(f"positions are 1-based, got {line}:{column}-{end_line}:{end_column}")
        if (end_line, end_column) < (line, column):
            raise ValueError(
                f"span ends before it starts: {line}:{column} > {end_line}:{end_column}"
            )
        # One call a field, not a loop over the names: a parallel or large run makes
        # every finding again from its row (``run.found``), 4,500 to 44,000 of them.
        put = object.__setattr__
        put(self, "path", path)
        put(self, "line", line)
        put(self, "column", column)
        put(self, "end_line", end_line)
        put(self, "end_column", end_column)
        put(self, "rule", rule)
        put(self, "severity", rest[0])
        put(self, "message", rest[1])
        put(self, "fixable", rest[2])

    @classmethod
    def at(
        cls,
        path: str,
        where: tuple[int, int, int, int],
        rule: str,
        severity: Severity,
        message: str,
        fixable: bool = False,
    ) -> Finding:
        """A finding at ``(line, column, end_line, end_column)``, without a ``Span``."""
        finding = cls.__new__(cls)
        finding._set(path, where, rule, (severity, message, fixable))
        return finding

    @property
    def span(self) -> Span:
        """Where the finding is, from its first position to its end."""
        return Span(Position(self.line, self.column), Position(self.end_line, self.end_column))

    def but(
        self,
        *,
        span: Span | None = None,
        severity: Severity | None = None,
        fixable: bool | None = None,
    ) -> Finding:
        """This finding with another span, severity or fixability."""
        return Finding(
            self.path,
            self.span if span is None else span,
            self.rule,
            self.severity if severity is None else severity,
            self.message,
            self.fixable if fixable is None else fixable,
        )


def finding_key(finding: Finding) -> tuple[str, int, int, int, int, str, str]:
    """The order of findings as plain values: ``sorted(findings, key=finding_key)`` sorts
    as ``sorted(findings)`` does, without a Python-level comparison per pair (100k
    findings spent most of a run in the generated ``__lt__``)."""
    return (
        finding.path,
        finding.line,
        finding.column,
        finding.end_line,
        finding.end_column,
        finding.rule,
        finding.message,
    )


Kind = str
"""A document kind's name (``compose``, ``markdown``, ...), as registered in
``aixcl_lint.kinds.KINDS``."""
