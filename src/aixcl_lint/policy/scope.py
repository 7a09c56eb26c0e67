"""Conditions that message variables alone decide, found at load time.

A rule's ``unless: {field: "@path", matches: '\\.md$'}`` reads nothing of its subjects
but their ``path``, which every subject of a single-file document shares: the engine
decides it once per file, before the file is even parsed, instead of once per subject.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_COMBINED = ("all", "any")
_VALUE = ("equals", "one-of", "matches", "not-matches", "present", "absent")
"""Operators that compare a field with a constant (or an option)."""


def _constant(arg: Any) -> bool:
    """An argument the subject cannot change: a plain value, an option, a list of them
    (a text argument with a placeholder reads variables, so it is not one)."""
    if isinstance(arg, dict):
        return set(arg) == {"option"}
    if isinstance(arg, list):
        return all(_constant(item) for item in arg)
    return not (isinstance(arg, str) and "{" in arg)


def deciding_variables(condition: Mapping[str, Any]) -> frozenset[str] | None:
    """The message variables that alone decide ``condition`` (a schema-valid condition),
    or None when it reads a subject's fields (or anything else)."""
    found: set[str] = set()
    pending = [condition]
    while pending:
        cond = pending.pop()
        ops = [key for key in cond if key not in ("field", "raw")]
        if len(ops) != 1:
            return None
        (op,) = ops
        if op in _COMBINED and isinstance(cond[op], list):
            if not all(isinstance(child, Mapping) for child in cond[op]):
                return None
            pending.extend(cond[op])
        elif op == "not" and isinstance(cond[op], Mapping):
            pending.append(cond[op])
        elif op == "option" and "field" not in cond:
            continue
        elif op in _VALUE and _constant(cond[op]):
            name = cond.get("field")
            if not (isinstance(name, str) and name.startswith("@") and "." not in name):
                return None
            found.add(name[1:])
        else:
            return None
    return frozenset(found)
