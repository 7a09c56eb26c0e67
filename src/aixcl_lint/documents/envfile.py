"""``KEY=value`` files (``.env``) as Compose reads them for interpolation.

Compose's reader (compose-go's ``dotenv``) accepts ``KEY=value`` and ``KEY: value``,
an optional ``export``, single-quoted values taken literally, double-quoted values
with escapes that may run over several lines, and unquoted values cut at a ``#``
after a space. Unquoted and double-quoted values expand variables set earlier in the
same file. A bare ``KEY`` takes the variable from the process environment, which
aixcl-lint never reads, so it leaves the variable unset.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import field

from aixcl_lint import deferred
from aixcl_lint.core import Finding, Severity, Span
from aixcl_lint.documents.interpolate import expand
from aixcl_lint.records import record

_KEY = deferred.pattern(r"[ \t]*(?:export[ \t]+)?([A-Za-z0-9_.\-\[\]]+)[ \t]*([=:\n]|$)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}
_COMMENT = deferred.pattern(r"[ \t]#")
_PROBLEM = "env/parse-error"


@record
class EnvFile:
    """Variables by name, the line each was set on, and lines that could not be read."""

    path: str
    values: dict[str, str]
    """Each variable's value, its variables already expanded."""
    lines: dict[str, int]
    problems: tuple[Finding, ...] = ()
    columns: dict[str, int] = field(default_factory=dict)
    """The column each value starts at as written (a quote, if it is quoted)."""


def _double(text: str, start: int) -> tuple[str, int] | None:
    """The double-quoted value opening at ``start``, unescaped; the index after it."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == '"':
            return "".join(out), i + 1
        if char == "\\" and i + 1 < len(text):
            out.append(_ESCAPES.get(text[i + 1], "\\" + text[i + 1]))
            i += 2
            continue
        out.append(char)
        i += 1
    return None


def _value(text: str, start: int, env: Mapping[str, str]) -> tuple[str, int] | None:
    """The value starting at ``start`` and the index of the line end after it."""
    while start < len(text) and text[start] in " \t":
        start += 1
    quote = text[start : start + 1]
    if quote in ("'", '"'):
        if quote == "'":
            close = text.find("'", start + 1)
            found = (text[start + 1 : close], close + 1) if close >= 0 else None
        else:
            found = _double(text, start)
            if found is not None:
                found = (expand(found[0], env), found[1])
        if found is None:
            return None
        end = text.find("\n", found[1])
        return found[0], len(text) if end < 0 else end
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    raw = text[start:end]
    comment = _COMMENT.search(raw)
    raw = raw[: comment.start()] if comment else ("" if raw.startswith("#") else raw)
    return expand(raw.strip(), env), end


def parse(path: str, text: str, outer: Mapping[str, str] | None = None) -> EnvFile:
    """Parse an env file; malformed lines become findings, the rest still count.
    Variables in values expand from ``outer`` first (the environment an included
    project inherits), then from the lines before."""
    text = text.replace("\r\n", "\n")
    values: dict[str, str] = {}
    lookup = ChainMap(dict(outer), values) if outer else values
    lines: dict[str, int] = {}
    columns: dict[str, int] = {}
    problems: list[Finding] = []
    i = 0
    while i < len(text):
        end = text.find("\n", i)
        end = len(text) if end < 0 else end
        line = text[i:end]
        number = text.count("\n", 0, i) + 1
        stripped = line.strip()
        match = _KEY.match(text, i, end + 1)
        if not stripped or stripped.startswith("#"):
            i = end + 1
            continue
        if match is None or (match.group(2) in ("=", ":") and match.end() > end + 1):
            message = f"cannot read line as KEY=value: {stripped[:60]!r}"
            problems.append(Finding(path, Span.at(number), _PROBLEM, Severity.ERROR, message))
            i = end + 1
            continue
        name, separator = match.group(1), match.group(2)
        if separator in ("\n", ""):  # a bare name: the process environment's, never read
            i = end + 1
            continue
        found = _value(text, match.end(), lookup)
        if found is None:
            message = f"the quoted value of {name} is never closed"
            problems.append(Finding(path, Span.at(number), _PROBLEM, Severity.ERROR, message))
            i = end + 1
            continue
        values[name], lines[name] = found[0], number
        start = match.end()
        while start < end and text[start] in " \t":
            start += 1
        columns[name] = start - i + 1
        i = found[1] + 1
    return EnvFile(path, values, lines, tuple(problems), columns)
