"""Loading policy files: parse, validate against the published schema, compile to rules.

Schema validation needs jsonschema, the slowest import of a run, so a file whose
content has been validated before (by content hash and schema version) is not
validated again: the hash is recorded in the user's cache folder. The built-in pack is
not validated at run time at all: it ships with the package, and the test suite
validates every file of it against the schema (``tests/test_policy_loader.py``), so
a machine's first run does not pay jsonschema's import and validation for it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from aixcl_lint import __version__, deferred, inputs
from aixcl_lint.config import cache_dir
from aixcl_lint.core import Pointer, did_you_mean
from aixcl_lint.policy import parsed, patterns, shipped
from aixcl_lint.policy.model import Pack, PolicyError, Rule
from aixcl_lint.policy.rules import compile_rule, dotted, line_of

MAX_POLICY_BYTES = 1024 * 1024


@functools.cache
def schema_text() -> str:
    """The policy JSON Schema, as shipped in the package."""
    # Beside this module (importlib.resources costs 20 ms of imports).
    return (Path(__file__).parent / "schema.json").read_text("utf-8")


def _pack_folder() -> Path:
    """The built-in pack's folder: ``aixcl_lint.policies``, wherever the install maps it
    (the repository's ``policies/`` in an editable install)."""
    import importlib

    return Path(str(importlib.import_module("aixcl_lint.policies").__file__)).parent


def builtin_files() -> list[Path]:
    """The built-in pack's policy files, in name order."""
    folder = _pack_folder()
    return sorted(p for p in folder.glob("*.yaml") if _is_policy(p))


def docs_dir() -> Path:
    """The shipped documentation: beside the pack, in a wheel and in a source checkout."""
    return _pack_folder().parent / "docs"


def _is_policy(path: Path) -> bool:
    """Policy files are YAML; ``*.cases.yaml`` files beside them hold their test cases."""
    return path.suffix in (".yaml", ".yml") and not path.name.endswith(
        (".cases.yaml", ".cases.yml")
    )


def policy_files(paths: Iterable[Path]) -> list[Path]:
    """Policy files named directly, or found as ``*.yaml`` / ``*.yml`` in folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.y*ml") if _is_policy(p)))
        elif os.path.lexists(path):  # not a regular file: load_file says so
            found.append(path)
        else:
            raise PolicyError(str(path), 0, "policy file or folder does not exist")
    return found


def _validate(display: str, text: str, data: Any, spans: parsed.Lines) -> None:
    # The schema is part of the key: a policy valid under an older schema is checked again.
    import hashlib  # only for a policy file new to the machine

    digest = hashlib.sha256(f"{__version__}\0{schema_text()}\0{text}".encode()).hexdigest()
    marker = cache_dir() / "validated" / digest
    if marker.exists():
        return
    import jsonschema  # only when a policy's content is new to this machine

    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None and error.validator == "required":
        # A misspelt required key is both missing and unexpected: name the misspelling.
        unexpected = [
            e
            for e in validator.iter_errors(data)
            if e.validator in _UNEXPECTED and e.absolute_path == error.absolute_path
        ]
        error = unexpected[0] if unexpected else error
    if error is not None and error.validator == "unevaluatedProperties":
        # A known key whose value is wrong shows up as "unevaluated" at its parent: the
        # error inside that value says what is actually wrong.
        inner = [
            e
            for e in validator.iter_errors(data)
            if len(e.absolute_path) > len(error.absolute_path)
        ]
        error = jsonschema.exceptions.best_match(inner) or error
    if error is not None:
        ptr = tuple(error.absolute_path)
        outside = display.startswith(("/", "../"))  # never echo a file outside the repository
        message = _withheld(error) if outside else _explained(error)
        line = line_of(spans, ptr)
        if error.validator in _UNEXPECTED and _unknown(error):  # at the key as written
            line = line_of(spans, (*ptr, _unknown(error)[0])) or line
        raise PolicyError(display, line, f"{dotted(ptr)}: {message}")
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only cache only costs speed


_UNEXPECTED = ("additionalProperties", "unevaluatedProperties")
_BRANCHES = ("allOf", "anyOf", "oneOf", "then", "else")


def _allowed(node: Any, seen: frozenset[str] = frozenset()) -> set[str]:
    """The keys a schema node allows: its properties and those of the branches and
    local ``$ref``s it combines (a check's operators come from several)."""
    if not isinstance(node, dict):
        return set()
    keys = {k for k in node.get("properties", {}) if isinstance(k, str)}
    for branch in _BRANCHES:
        value = node.get(branch)
        for child in value if isinstance(value, list) else [value]:
            keys |= _allowed(child, seen)
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref not in seen:
        keys |= _allowed(_definitions().get(ref.removeprefix("#/$defs/")), seen | {ref})
    return keys


@functools.cache
def _definitions() -> dict[str, Any]:
    defs: dict[str, Any] = json.loads(schema_text())["$defs"]
    return defs


def _unknown(error: Any) -> list[str]:
    """The keys an additional/unevaluated-properties error is about."""
    allowed = _allowed(error.schema)
    return [k for k in error.instance if isinstance(k, str) and k not in allowed]


_NAME = deferred.pattern(r"[A-Za-z_][A-Za-z0-9_-]{0,39}")


def _withheld(error: Any) -> str:
    """The message for a file outside the repository (``--policy /abs/p.yaml``), which
    may be any file (a credentials file): what the schema wanted, and a misspelt key
    only where it is a name close to a known one (``'matchs'``: it reveals nothing)."""
    if error.validator in _UNEXPECTED:
        allowed = sorted(_allowed(error.schema))
        unknown = _unknown(error)
        if unknown and all(_NAME.fullmatch(k) and did_you_mean(k, allowed) for k in unknown):
            return _explained(error)
        return f"{str(error.message).split(' (')[0]} (a key was unexpected)"
    if error.validator == "required":  # names the schema's key, not the file's
        return str(error.message)
    if error.validator in ("enum", "const", "type"):
        wanted = error.validator_value
        shown = ", ".join(map(repr, wanted)) if isinstance(wanted, list) else repr(wanted)
        return f"the value is not {_WANTED[error.validator]}{shown}"
    return f"does not match the policy schema ({error.validator})"


_WANTED = {"enum": "one of ", "const": "", "type": "of type "}


def _explained(error: Any) -> str:
    """jsonschema's message, with the names a mistyped name could have meant."""
    instance = error.instance
    if error.validator in _UNEXPECTED:
        unknown = _unknown(error)
        allowed = sorted(_allowed(error.schema))
        return str(error.message) + (did_you_mean(unknown[0], allowed) if unknown else "")
    if error.validator != "oneOf":
        return str(error.message)
    names: list[str] = []
    for branch in error.validator_value:
        names += [str(v) for v in branch.get("enum", ())]
        names += list(branch.get("properties", {}))
    if isinstance(instance, str):
        word = instance
    elif isinstance(instance, dict) and len(instance) == 1 and next(iter(instance)) not in names:
        word = str(next(iter(instance)))
    else:
        return str(error.message)
    if not names:
        return str(error.message)
    return f"{word!r} is none of {', '.join(dict.fromkeys(names))}" + did_you_mean(word, names)


def load_file(
    path: Path, display: str, *, trusted: bool = False, ship: shipped.Entries | None = None
) -> list[Rule]:
    """Load and compile one policy file (``trusted``: shipped and validated by the test
    suite, so not validated against the schema again; ``ship``: the parses shipped
    with the package, ``policy.shipped``)."""
    try:
        text = inputs.read_text(path, display, "policy", MAX_POLICY_BYTES)
    except inputs.InputError as exc:
        raise PolicyError(display, exc.line, exc.message) from None
    known = ship.lookup(path.name, text) if ship is not None else None
    if known is None:
        known = parsed.lookup(text)
    if known is not None:
        # It compiled before, so its patterns are valid: each is compiled on first use.
        # A line the entry lacks: parsed again, below.
        with contextlib.suppress(parsed.NotRecorded), patterns.deferring():
            return compile_policy(display, text, *known, trusted=trusted)
    data, spans = parse_policy(display, text)
    lines = parsed.Recording(spans, text, data)
    kept = inputs.plain(data)  # before compiling, which may not change it anyway
    rules = compile_policy(display, text, data, lines, trusted=trusted)
    if kept is not None:
        parsed.keep(text, kept, lines)
    return rules


def parse_policy(display: str, text: str) -> tuple[Any, Mapping[Pointer, Any]]:
    """A policy file's data and the spans of its nodes."""
    from aixcl_lint.documents import yamltree  # a policy file new to this machine

    found = yamltree.parse("policy.yaml", text)  # only lines and messages are used: the
    # name shown (perhaps an absolute path from --policy) is not a finding path
    if found.problems:
        problem = found.problems[0]
        raise PolicyError(display, problem.line, f"{problem.rule}: {problem.message}")
    if len(found.documents) != 1:
        raise PolicyError(display, 1, "a policy file holds exactly one YAML document")
    return found.documents[0].data, found.documents[0].spans


def compile_policy(
    display: str, text: str, data: Any, lines: parsed.Lines, *, trusted: bool
) -> list[Rule]:
    """A policy file's rules from its data and lines (validated unless ``trusted``)."""
    if not trusted:
        _validate(display, text, data, lines)
    rules = data["rules"]
    return [compile_rule(display, rule, ("rules", i), lines) for i, rule in enumerate(rules)]


def load_pack(
    files: Iterable[tuple[Path, str]],
    *,
    trusted: bool = False,
    ship: shipped.Entries | None = None,
) -> Pack:
    """Load every file (path, name to show) into one pack; rule ids must be unique."""
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path, display in files:
        for rule in load_file(path, display, trusted=trusted, ship=ship):
            if rule.id in seen:
                raise PolicyError(
                    display,
                    rule.line,
                    f"rule {rule.id!r} is already defined in {seen[rule.id].source}",
                )
            seen[rule.id] = rule
            rules.append(rule)
    return Pack(tuple(rules))
