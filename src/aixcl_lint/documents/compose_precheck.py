"""What the Compose schema certainly says of a model, without a validator: a first run's
shortcut before jsonschema-rs (whose import and compile of the schema are about 50 of
the 570 million instructions of a tiny repository's first run).

``certain(data, schema)`` reads the shipped schema itself, keyword by keyword: ``True``
when the model is valid for certain, ``False`` when it is invalid for certain, ``None``
when it cannot say, as for a model of more than ``MAX_VALUES`` values. Only the keywords
the Compose schema uses are read, and each only where its answer cannot differ between
Python and Rust: a ``pattern``, a key pattern it does not know, a key holding a newline
(Python's ``$`` matches before one, Rust's does not), a float where an integer may
stand, a number too large for 64 bits, a value that is not JSON, or any other keyword
make it ``None``. Only ``True`` is acted on (``compose_schema.accepted``); anything else
goes to jsonschema-rs and jsonschema as before, so an invalid model gets their messages
and positions. ``False`` is what lets ``oneOf`` be read (exactly one branch valid, every
other invalid).
``tests/test_compose_precheck.py`` holds both answers to both validators' on the test
corpus and on generated models.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Verdict = bool | None
"""True: certainly valid; False: certainly invalid; None: not known here."""

_ANNOTATIONS = frozenset(
    {
        "description",
        "deprecated",
        "$comment",
        "title",
        "default",
        "examples",
        "$schema",
        "$id",
        "definitions",
    }
)
"""Keywords that never make a value invalid."""

_NAME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_KEY_PATTERNS: dict[str, Callable[[str], bool]] = {
    "^x-": lambda key: key.startswith("x-"),
    "^[a-zA-Z0-9._-]+$": lambda key: bool(key) and _NAME.issuperset(key),
    "^[a-z]+$": lambda key: bool(key) and _LOWER.issuperset(key),
    "^.+$": bool,
    ".+": bool,
}
"""The key patterns of the Compose schema, as both validators match a key without a
newline (``_plain`` leaves the others out)."""

MAX_VALUES = 100
"""The most values (mappings, lists and scalars) of a model read here: reading costs
about 3 microseconds a value in Python, jsonschema-rs a tenth of that once imported,
so the precheck is for small models (a tiny repository's has 5)."""
_LIMIT = 2**63
"""Integers from here on may not convert for jsonschema-rs: not judged."""


def certain(data: Any, schema: Mapping[str, Any]) -> Verdict:
    """Whether ``schema`` (a JSON Schema with its ``definitions``) certainly accepts
    (True) or rejects (False) ``data``; None when this reading cannot tell."""
    return _check(data, schema, schema) if _plain(data) else None


def _plain(data: Any) -> bool:
    """Whether ``data`` is JSON both validators read alike (texts, booleans, null, finite
    floats, integers of 64 bits, lists, mappings of keys without a newline) and small
    (``MAX_VALUES``)."""
    pending, seen = [data], 0
    while pending:
        value = pending.pop()
        seen += 1
        kind = type(value)
        if seen > MAX_VALUES:
            return False
        if kind is dict:
            if not all(type(k) is str and "\n" not in k for k in value):
                return False
            pending.extend(value.values())
        elif kind is list:
            pending.extend(value)
        elif kind is int:
            if not -_LIMIT <= value < _LIMIT:
                return False
        elif kind is float:
            if not math.isfinite(value):
                return False
        elif kind not in (str, bool, type(None)):
            return False
    return True


def _all(verdicts: Iterable[Verdict]) -> Verdict:
    """All must hold: False as soon as one fails for certain, None if one is unknown."""
    unknown = False
    for verdict in verdicts:
        if verdict is False:
            return False
        unknown = unknown or verdict is None
    return None if unknown else True


_OBJECT = ("properties", "patternProperties", "additionalProperties")


def _check(data: Any, schema: Any, root: Mapping[str, Any]) -> Verdict:
    if schema is True or schema == {}:
        return True
    if schema is False:
        return False
    if not isinstance(schema, dict):
        return None
    if "$ref" in schema:  # Draft 7: a reference's siblings are ignored
        return _check(data, _target(schema["$ref"], root), root)
    verdicts = (_keyword(data, k, v, root) for k, v in schema.items() if k not in _OBJECT)
    found = _all(verdicts)
    if found is False or not any(k in schema for k in _OBJECT):
        return found
    return _all((found, _object(data, schema, root)))


def _target(ref: Any, root: Mapping[str, Any]) -> Any:
    prefix = "#/definitions/"
    if isinstance(ref, str) and ref.startswith(prefix):
        return root.get("definitions", {}).get(ref.removeprefix(prefix))
    return None


def _keyword(data: Any, key: str, value: Any, root: Mapping[str, Any]) -> Verdict:
    if key in _ANNOTATIONS:
        return True
    if key == "type":
        return _types(data, value)
    if key == "required":
        return not isinstance(data, dict) or all(name in data for name in value)
    if key == "items":
        if not isinstance(data, list):
            return True
        return _all(_check(item, value, root) for item in data) if isinstance(value, dict) else None
    if key == "uniqueItems":
        return _unique(data) if value is True else None
    if key == "enum":
        return (data in value) if type(data) is str and all(type(v) is str for v in value) else None
    if key in ("minimum", "maximum"):
        if type(data) is not int:
            return True if type(data) is not float else None
        return bool(data >= value if key == "minimum" else data <= value)
    if key == "oneOf" and isinstance(value, list):
        verdicts = [_check(data, branch, root) for branch in value]
        if verdicts.count(True) > 1:
            return False
        return None if None in verdicts else verdicts.count(True) == 1
    return None  # pattern, and any keyword not read here


_JSON_TYPES: dict[str, Callable[[Any], Verdict]] = {
    "string": lambda data: type(data) is str,
    "boolean": lambda data: type(data) is bool,
    "null": lambda data: data is None,
    "object": lambda data: type(data) is dict,
    "array": lambda data: type(data) is list,
    "integer": lambda data: True if type(data) is int else None if type(data) is float else False,
    "number": lambda data: type(data) in (int, float),
}


def _types(data: Any, named: Any) -> Verdict:
    names = named if isinstance(named, list) else [named]
    verdicts = [_JSON_TYPES[n](data) if n in _JSON_TYPES else None for n in names]
    return True if True in verdicts else None if None in verdicts else False


def _unique(data: Any) -> Verdict:
    if not isinstance(data, list) or len(data) < 2:
        return True
    if all(type(item) is str for item in data):
        return len(set(data)) == len(data)
    return None


def _object(data: Any, schema: Mapping[str, Any], root: Mapping[str, Any]) -> Verdict:
    """``properties``, ``patternProperties`` and ``additionalProperties`` together."""
    if not isinstance(data, dict):
        return True
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    if any(p not in _KEY_PATTERNS for p in patterns):
        return None
    extra = schema.get("additionalProperties", True)
    verdicts: list[Verdict] = []
    for key, value in data.items():
        matched = [sub for p, sub in patterns.items() if _KEY_PATTERNS[p](key)]
        if key in known:
            matched.append(known[key])
        verdicts.extend(_check(value, sub, root) for sub in (matched or [extra]))
        if False in verdicts:
            return False
    return _all(verdicts)
