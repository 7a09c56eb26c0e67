"""The tool's own input files, read through one bounded reader.

Config (``.aixcl-lint.yaml``, ``pyproject.toml``), packs, waivers, baselines and cases
files are as untrusted as the files being linted, so each is read with the bounds
scanned files get: a regular file only (a FIFO or ``/dev/zero`` is never read), its size
checked before reading, strict UTF-8; YAML with bounded nesting, alias expansion and
number length, checked on the event stream before anything is built; TOML and JSON with
their parsers' recursion and number limits turned into errors. Every problem is an
``InputError`` naming the file and line, which the command line prints as exit 2.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aixcl_lint import deferred, fsio

if TYPE_CHECKING:  # yaml is imported by a run that reads a YAML input
    from aixcl_lint.yamllib import yaml

MAX_INPUT_BYTES = 8 * 1024 * 1024
"""Largest config, pack, waiver, policy or cases file read."""
MAX_BASELINE_BYTES = 64 * 1024 * 1024
"""Largest baseline read (it records every accepted finding)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists in a settings file."""
MAX_NODES = 100_000
"""Most values aliases may add to a YAML settings file once expanded (values written
out are bounded by the file's size)."""
MAX_DIGITS = 100
"""Longest number (in characters) a settings file may hold."""

_NUMBER = deferred.pattern(r"[-+]?(?:0[xob])?[0-9a-fA-F_:.]+")

try:  # hashlib's own blake2b: importing hashlib also loads OpenSSL (about 6 ms a run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (a Python without the module)
    from hashlib import blake2b


def hexdigest(data: bytes, size: int = 20) -> str:
    """The ``size``-byte BLAKE2b digest of ``data`` in hex (20: the key of every cache
    entry)."""
    return blake2b(data, digest_size=size).hexdigest()


def plain(data: Any) -> str | None:
    """``data`` as JSON, if JSON gives it back exactly (None: a date, a tuple, a number
    key... is not kept)."""
    try:
        text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None
    return text if _same(json.loads(text), data) else None


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


class InputError(Exception):
    """An input file that cannot be used: which file, which line (0: the file as a whole,
    one that cannot be read), why, and what the file is to the tool (``what``: config,
    waivers, baseline, pack, cases or policy; the command line's label)."""

    def __init__(self, path: str, line: int, message: str, what: str = "config") -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message
        self.what = what


def read_bytes(path: Path, shown: str, what: str, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; InputError otherwise."""
    try:
        return fsio.read_regular(path, max_bytes)
    except fsio.Refused as refused:
        reason = refused.message.removeprefix("cannot read file: ")
        raise InputError(shown, 0, f"cannot read {what}: {reason}", what) from None


def read_text(path: Path, shown: str, what: str, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """A regular file's text: strict UTF-8 (a byte-order mark dropped)."""
    data = read_bytes(path, shown, what, max_bytes)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            shown, line, f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x})", what
        ) from None


def _line(event: Any) -> int:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else 1


def _check_events(text: str, shown: str, what: str) -> None:
    """Refuse deep nesting, recursive aliases, alias bombs and long numbers before any
    node is built (the composer and constructor recurse, and expansion multiplies)."""
    from aixcl_lint.yamllib import yaml

    loader = yaml.CSafeLoader(text)
    sizes: dict[str, int] = {}  # anchor -> values it stands for
    stack: list[list[Any]] = [[None, 0]]  # open collections: [anchor, size]
    written = 0  # values written out, not through an alias
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) > MAX_DEPTH:
                    raise InputError(shown, _line(event), f"nested deeper than {MAX_DEPTH}", what)
                stack.append([event.anchor, 1])
                written += 1
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = stack.pop()
            elif isinstance(event, yaml.AliasEvent):
                if any(entry[0] == event.anchor for entry in stack):
                    raise InputError(
                        shown, _line(event), f"alias *{event.anchor} is recursive", what
                    )
                anchor, size = None, sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.ScalarEvent):
                value = event.value
                if len(value) > MAX_DIGITS and event.implicit[0] and _NUMBER.fullmatch(value):
                    raise InputError(
                        shown,
                        _line(event),
                        f"a number of {len(value):,} digits (at most {MAX_DIGITS})",
                        what,
                    )
                anchor, size = event.anchor, 1
                written += 1
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            stack[-1][1] += size
            if stack[-1][1] > MAX_NODES + written:
                raise InputError(
                    shown, _line(event), f"aliases expand to more than {MAX_NODES:,} values", what
                )
    finally:
        loader.dispose()


def load_yaml(
    path: Path, shown: str, what: str, max_bytes: int = MAX_INPUT_BYTES, text: str | None = None
) -> tuple[Any, yaml.Node | None]:
    """A YAML settings file's data, built safely, and its node tree for line numbers."""
    from aixcl_lint.yamllib import yaml

    if text is None:  # else the file's text, read already (read_text)
        text = read_text(path, shown, what, max_bytes)
    try:
        _check_events(text, shown, what)
        loader = yaml.CSafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise InputError(shown, line, f"invalid YAML: {exc.problem or exc}", what) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise InputError(shown, 1, f"invalid YAML: {type(exc).__name__}", what) from None
    return data, node


def load_toml(path: Path, shown: str, what: str) -> tuple[dict[str, Any], str]:
    """A TOML file's tables and its text (for line numbers)."""
    text = read_text(path, shown, what)
    import tomllib  # only for a pyproject.toml

    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else 1
        raise InputError(shown, line, f"invalid TOML: {exc}", what) from None
    except RecursionError:
        raise InputError(shown, 1, "invalid TOML: nested too deeply", what) from None
    except ValueError as exc:  # an integer past Python's digit limit
        raise InputError(shown, 1, f"invalid TOML: {str(exc).split(';')[0]}", what) from None


def load_json(path: Path, shown: str, what: str, max_bytes: int = MAX_INPUT_BYTES) -> Any:
    """A JSON file's data."""
    text = read_text(path, shown, what, max_bytes)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(shown, exc.lineno, f"invalid JSON: {exc.msg}", what) from None
    except RecursionError:
        raise InputError(shown, 1, "invalid JSON: nested too deeply", what) from None
    except ValueError as exc:
        raise InputError(shown, 1, f"invalid JSON: {str(exc).split(';')[0]}", what) from None
