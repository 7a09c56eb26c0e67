"""A compose model against the Compose Specification's JSON Schema, cached by content.

``jsonschema`` is the slowest import of a run (about 175 ms) and validating thousands
of services takes longer still, so a model whose exact content was validated before
is not validated again: its problems (usually none) are recorded under the user's
cache folder, keyed by a hash of the aixcl-lint version, the schema and the model.
A model new to the machine is first asked of ``jsonschema_rs`` (a few milliseconds to
import and compile the schema): what it accepts is valid, and only a model it rejects
(or cannot convert) is described by ``jsonschema``, whose messages findings quote.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from aixcl_lint import __version__
from aixcl_lint.config import cache_dir
from aixcl_lint.core import Pointer
from aixcl_lint.documents import compose_unicity
from aixcl_lint.inputs import hexdigest

SchemaProblem = tuple[Pointer, str]
"""Where the schema rejects the model (a pointer into it) and why."""


@functools.cache
def schema_text() -> str:
    """The shipped copy of the Compose Specification's schema."""
    # Beside this module in the package (importlib.resources costs 10 ms of imports).
    return (Path(__file__).parent / "compose-spec.json").read_text(encoding="utf-8")


@functools.cache
def _schema() -> Any:
    return json.loads(schema_text())


@functools.cache
def _validator() -> Any:
    import jsonschema  # only when a model is new to this machine

    return jsonschema.Draft7Validator(_schema())


_REVISION = 2
"""Raised when the same model and schema get other problems than before (2: repeated
entries Compose collapses are not problems), so that no earlier result is reused."""


@functools.cache
def _salt() -> bytes:
    """What every key starts with: a result holds for one version and one schema."""
    schema = hexdigest(schema_text().encode(), 32)
    return f"{__version__}\0{_REVISION}\0{schema}\0".encode()


@functools.cache
def _folder() -> Path:
    return cache_dir() / "compose-valid"


def _dotted(ptr: Pointer) -> str:
    return ".".join(str(part) for part in ptr) or "(top level)"


def _unexpected(error: Any) -> list[str]:
    """The keys an ``additionalProperties: false`` error is about."""
    schema, instance = error.schema, error.instance
    known = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [
        key for key in instance if key not in known and not any(p.search(key) for p in patterns)
    ]


def _interpolated(error: Any) -> bool:
    """Whether the rejected value holds a variable (Compose validates it after
    interpolating and converting it, which this check does not repeat)."""
    instance = error.instance
    if isinstance(instance, str):
        return "$" in instance
    return any(isinstance(c.instance, str) and "$" in c.instance for c in error.context or ())


@functools.cache
def _accepting() -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft7Validator(_schema(), validate_formats=False)


def _key_line_end(data: Any, text: str | None = None) -> bool:
    """Whether a key of ``data`` ends in a newline: Python's ``$`` matches before it,
    Rust's does not, so the validators' key patterns (``^[a-zA-Z0-9._-]+$``) can differ
    there (``networks: {"a\\n": false}`` is invalid to jsonschema, whose pattern takes
    the key, and valid to jsonschema-rs, whose does not). Texts are not concerned: the
    schema's value patterns have no ``$``.

    Asked of the model's JSON text (one C call, where walking it in Python cost about
    a twentieth of a compose run; ``text`` when the caller dumped it already): such a
    key is written ``\\n":`` there. So is a key ending in a backslash and an ``n``,
    which only sends the model to jsonschema."""
    if text is None:
        try:
            text = _dumped(data)
        except (TypeError, ValueError):  # keys that are not texts: walked instead
            return _walk_key_line_end(data)
    return '\\n":' in text


def _dumped(data: Any) -> str:
    """A model's JSON text, as the cache key and the newline-key check read it."""
    return json.dumps(data, separators=(",", ":"), default=str)


def _walk_key_line_end(data: Any) -> bool:
    if isinstance(data, dict):
        return any(
            (isinstance(k, str) and k.endswith("\n")) or _walk_key_line_end(v)
            for k, v in data.items()
        )
    if isinstance(data, list):
        return any(_walk_key_line_end(item) for item in data)
    return False


def accepted(data: Any, text: str | None = None) -> bool:
    """Whether jsonschema-rs finds ``data`` valid (False when it cannot say: a value it
    cannot convert, a key ending in a newline; then jsonschema decides). ``text``: its
    JSON text (``_dumped``), if the caller has it."""
    try:
        return bool(_accepting().is_valid(data)) and not _key_line_end(data, text)
    except Exception:  # any refusal only means "ask jsonschema"
        return False


def _problems(data: Any, text: str | None = None) -> list[SchemaProblem]:
    if accepted(data, text):
        return []
    origins: compose_unicity.Origins = {}
    if isinstance(data, dict):  # as Compose validates it: repeated entries collapsed
        data, origins = compose_unicity.collapse(data)
        if origins and accepted(data):
            return []
    found: dict[Pointer, str] = {}
    for error in _validator().iter_errors(data):
        ptr: Pointer = compose_unicity.written(tuple(error.absolute_path), origins)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            for key in _unexpected(error):
                sub = (*ptr, key)
                found.setdefault(sub, f"{_dotted(sub)}: {key!r} is not allowed here")
            continue
        if _interpolated(error):
            continue
        found.setdefault(ptr, f"{_dotted(ptr)}: {error.message}")
    return sorted(found.items(), key=lambda item: [str(p) for p in item[0]])


_INDEX = "valid"
"""The file listing the digests of valid models, one a line (most models are valid:
one read per process instead of one file per model)."""


MAX_INDEX = 50_000
"""Digests the index holds before it starts afresh (it only grows otherwise)."""


@functools.cache
def _valid() -> set[str]:
    index = _folder() / _INDEX
    try:
        found = set(index.read_text().split())
        if len(found) > MAX_INDEX:
            index.unlink()
            return set()
        return found
    except OSError:
        return set()


def _remember(key: str, found: list[SchemaProblem]) -> None:
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if found:
            (folder / key).write_text(json.dumps([[list(p), message] for p, message in found]))
        else:  # one short append: atomic beside other processes appending
            with open(folder / _INDEX, "a", encoding="ascii") as index:
                index.write(key + "\n")
    except OSError:
        pass  # a read-only cache only costs speed


def problems(data: Any, content: str | None = None) -> list[SchemaProblem]:
    """Where and why the schema rejects ``data`` (cached by content hash: of
    ``content``, the texts ``data`` was read from, if given, else of ``data``)."""
    text = None  # the model's JSON text, dumped once for the key and the check
    if content is not None:
        written = b"texts\0" + content.encode()
    else:
        try:
            text = _dumped(data)
        except (TypeError, ValueError):  # keys that are not strings: the schema says so
            return _problems(data)
        written = text.encode()
    key = hexdigest(_salt() + written, 32)  # BLAKE2b: hashlib would load OpenSSL
    if key in _valid():
        return []
    try:
        cached = json.loads((_folder() / key).read_text())
        return [(tuple(ptr), message) for ptr, message in cached]
    except (OSError, ValueError):
        pass
    found = _problems(data, text)
    _remember(key, found)
    if not found:
        _valid().add(key)
    return found
