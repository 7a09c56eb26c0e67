"""``[tool.aixcl-lint]`` in ``pyproject.toml``: whether a file declares it, its table,
and the line of each key (``tomllib`` gives none), for errors that name the line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from aixcl_lint.inputs import InputError, load_toml, read_bytes


def toml_config(path: Path, shown: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    document, text = load_toml(path, shown, "config")
    tool = document.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise InputError(shown, _toml_line(text, r"^\s*tool\b"), "[tool] must be a table")
    section = tool.get("aixcl-lint")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise InputError(
            shown,
            _toml_line(text, r"^\s*(?:tool\.)?\"?aixcl-lint\b"),
            "[tool.aixcl-lint] must be a table",
        )
    return section, _toml_lines(text, section)


def _toml_key(key: str) -> str:
    """A pattern for a TOML key written bare or quoted."""
    return rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')"""


def _toml_lines(text: str, section: dict[str, Any]) -> dict[str, int]:
    """Line of each key of ``[tool.aixcl-lint]`` and of each key one level below it
    (``options.compose/image-pinned``), written as a table, dotted or inline."""
    start = re.search(r"^\[tool\.aixcl-lint", text, re.MULTILINE)
    offset = start.start() if start else 0

    def line_of(pattern: str, after: int) -> int | None:
        found = re.compile(pattern, re.MULTILINE).search(text, after)
        return text.count("\n", 0, found.start()) + 1 if found else None

    lines: dict[str, int] = {}
    for key, value in section.items():
        table = rf"^[ \t]*\[\s*tool\.aixcl-lint\.{_toml_key(key)}"
        line = line_of(rf"^[ \t]*{_toml_key(key)}\s*[=.]|{table}", offset)
        lines[key] = line or 1
        if not isinstance(value, dict):
            continue
        own = re.compile(table + r"\s*\]", re.MULTILINE).search(text, offset)
        below = own.end() if own else offset
        for sub in value:
            name = _toml_key(sub)
            sub_line = line_of(rf"{table}\s*\.\s*{name}\s*\]", offset) or line_of(
                rf"^[ \t]*(?:{_toml_key(key)}\s*\.\s*)?{name}\s*[=.]|[{{,]\s*{name}\s*[=.]",
                below,
            )
            lines[f"{key}.{sub}"] = sub_line or lines[key]
    return lines


def _toml_line(text: str, pattern: str) -> int:
    found = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def declares(pyproject: Path) -> bool:
    """Whether a ``pyproject.toml`` has a ``[tool.aixcl-lint]`` (or one that load()
    should report as broken)."""
    if b"aixcl-lint" not in read_bytes(pyproject, "pyproject.toml", "config"):
        return False
    try:
        tool = load_toml(pyproject, "pyproject.toml", "config")[0].get("tool")
    except InputError:
        return True
    return not isinstance(tool, dict) or "aixcl-lint" in tool
