"""``KEY=value`` files (``.env``) as Compose reads them for interpolation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aixcl_lint.core import Finding, Severity, Span

_LINE = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:=\s*(.*))?")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


@dataclass(frozen=True)
class EnvFile:
    """Variables by name, the line each was set on, and lines that could not be read."""

    path: str
    values: dict[str, str]
    lines: dict[str, int]
    problems: tuple[Finding, ...] = ()


def _unquote(raw: str) -> str:
    if raw[:1] == "'":
        end = raw.find("'", 1)
        return raw[1:end] if end > 0 else raw[1:]
    if raw[:1] == '"':
        out: list[str] = []
        i = 1
        while i < len(raw) and raw[i] != '"':
            if raw[i] == "\\" and i + 1 < len(raw):
                out.append(_ESCAPES.get(raw[i + 1], "\\" + raw[i + 1]))
                i += 2
            else:
                out.append(raw[i])
                i += 1
        return "".join(out)
    comment = re.search(r"\s#", raw)
    return (raw[: comment.start()] if comment else raw).strip()


def parse(path: str, text: str) -> EnvFile:
    """Parse an env file; malformed lines become findings, the rest still count."""
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    problems: list[Finding] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        if not match:
            problems.append(
                Finding(
                    path,
                    Span.at(number),
                    "env/parse-error",
                    Severity.ERROR,
                    f"cannot read line as KEY=value: {stripped[:60]!r}",
                )
            )
            continue
        name, raw = match.group(1), match.group(2)
        values[name] = _unquote(raw.strip()) if raw is not None else ""
        lines[name] = number
    return EnvFile(path, values, lines, tuple(problems))
