"""Compose variable interpolation: ``$VAR``, ``${VAR}``, ``${VAR:-default}`` and friends.

Only the project's ``.env`` and the defaults written in the file are used, never the
process environment, so a run gives the same result in every shell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from aixcl_lint import deferred

_NAME = deferred.pattern(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", "-", ":?", "?", ":+", "+")
MAX_NESTING = 32
"""Deepest ``${A:-${B:-...}}`` expanded; deeper defaults are kept as written (each level
rescans its word, so the bound also keeps the work linear in the text)."""


def _braced(text: str, start: int, env: Mapping[str, str], level: int) -> tuple[str, int]:
    """Expand the ``${...}`` whose ``{`` is at ``start``; return the value and end index."""
    name = _NAME.match(text, start + 1)
    if not name:
        close = text.find("}", start)
        end = close + 1 if close >= 0 else len(text)
        return text[start - 1 : end], end
    i = name.end()
    operator = next((op for op in _OPERATORS if text.startswith(op, i)), None)
    if operator is None:
        close = text.find("}", i)
        end = close + 1 if close >= 0 else len(text)
        return env.get(name.group(), ""), end
    i += len(operator)
    # The word after the operator may itself hold ${...}: find its closing brace.
    depth, j = 1, i
    while j < len(text) and depth:
        if text.startswith("${", j):
            depth += 1
            j += 2
            continue
        if text[j] == "}":
            depth -= 1
        j += 1
    word = text[i : j - 1] if depth == 0 else text[i:j]
    word = expand(word, env, level + 1) if level < MAX_NESTING else word
    value = env.get(name.group())
    is_set = value is not None and (value != "" or ":" not in operator)
    if operator in (":-", "-"):
        return (value if is_set and value is not None else word), j
    if operator in (":+", "+"):
        return (word if is_set else ""), j
    return (value or ""), j  # ":?" / "?": a required variable; unset reads as empty


def expand(text: str, env: Mapping[str, str], level: int = 0) -> str:
    """Interpolate ``text`` with ``env``; ``$$`` is a literal ``$``."""
    if "$" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        dollar = text.find("$", i)
        if dollar < 0:
            out.append(text[i:])
            break
        out.append(text[i:dollar])
        nxt = text[dollar + 1 : dollar + 2]
        if nxt == "$":
            out.append("$")
            i = dollar + 2
        elif nxt == "{":
            value, i = _braced(text, dollar + 1, env, level)
            out.append(value)
        elif (name := _NAME.match(text, dollar + 1)) is not None:
            out.append(env.get(name.group(), ""))
            i = name.end()
        else:
            out.append("$")
            i = dollar + 1
    return "".join(out)


_SET = re.compile(r"([A-Za-z_][A-Za-z0-9_]*) (?:set|is set to an empty value) in (.+?):(\d+)")
_SET_LIST = deferred.pattern(rf" \(((?:{_SET.pattern})(?:, {_SET.pattern})*)\)$")


def where_set(found: Iterable[tuple[str, tuple[str, int]]], env: Mapping[str, str]) -> str:
    """`` (TAG set in .env:2)`` for each variable and the env file line setting it, as a
    finding's message ends; a variable set to the empty string says so (Compose takes
    it as set and substitutes it, without warning). Empty when none is given."""
    said = [
        f"{name} is set to an empty value in {path}:{line}"
        if env.get(name) == ""
        else f"{name} set in {path}:{line}"
        for name, (path, line) in found
    ]
    return f" ({', '.join(said)})" if said else ""


def set_in(message: str) -> list[tuple[str, str, int]]:
    """The (variable, env file, line) a message's ``where_set`` suffix names, in order."""
    tail = _SET_LIST.search(message)
    if tail is None:
        return []
    return [(m.group(1), m.group(2), int(m.group(3))) for m in _SET.finditer(tail.group(1))]
