"""Policy files as parsed before: their data and the lines compiling them asked for,
kept as JSON under the user's cache folder (``config.cache_dir()/policies``) by the
hash of the file's text, so that a run whose policies have not changed neither
imports the YAML parser nor parses them (about 10 ms of the 14 built-in files, and
the yaml import). Never pickled: an entry that is truncated, corrupt, of another
format or another file's, is ignored; one lacking a line compiling asks for makes the
file be parsed again.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from aixcl_lint import __version__
from aixcl_lint.config import cache_dir
from aixcl_lint.core import Pointer
from aixcl_lint.inputs import hexdigest

FORMAT = 1
_PARSER = ("yamltree.py", "yamlload.py", "yamlconvert.py", "yamlindex.py", "yamlplain.py")
"""The parser's modules: an entry is kept for the code that parsed it."""


class Lines(Protocol):
    """Where each value of a policy file was written, as compiling asks for it."""

    def get(self, ptr: Pointer) -> int | None:
        """The line of the value at ``ptr`` (None: no node there)."""


class NotRecorded(LookupError):
    """A line that compiling asked for and the entry does not hold."""


class Recording:
    """The lines of a fresh parse, noting each one asked for."""

    def __init__(self, spans: Mapping[Pointer, Any]) -> None:
        self.spans = spans
        self.asked: dict[Pointer, int | None] = {}

    def get(self, ptr: Pointer) -> int | None:
        """The line where the value at ``ptr`` was written (None: no node there)."""
        found = self.spans.get(ptr)
        line = None if found is None else int(found.anchor.start.line)
        self.asked[ptr] = line
        return line


class Recorded:
    """The lines an earlier compile of the same text asked for."""

    def __init__(self, lines: dict[Pointer, int | None]) -> None:
        self.lines = lines

    def get(self, ptr: Pointer) -> int | None:
        """The line recorded for ``ptr``; NotRecorded if none was."""
        try:
            return self.lines[ptr]
        except KeyError:
            raise NotRecorded(ptr) from None


def _key(text: str) -> str:
    parser = Path(__file__).resolve().parents[1] / "documents"
    stamps = []
    for name in _PARSER:
        with contextlib.suppress(OSError):
            info = os.stat(parser / name)
            stamps.append(f"{name} {info.st_size} {info.st_mtime_ns}")
    parts = [str(FORMAT), __version__, *stamps, text]
    joined = "\0".join(parts).encode("utf-8", "surrogateescape")
    return hexdigest(joined)


def _path(key: str) -> Path:
    return cache_dir() / "policies" / key


def lookup(text: str) -> tuple[Any, Recorded] | None:
    """The data and recorded lines of ``text``, if an entry for it is whole."""
    key = _key(text)
    try:
        raw = _path(key).read_bytes()
        checksum, _, body = raw.partition(b"\n")
        if checksum.decode("ascii") != hexdigest(body):
            return None
        entry = json.loads(body)
        if entry["format"] != FORMAT or entry["key"] != key:
            return None
        lines = {tuple(ptr): line for ptr, line in entry["lines"]}
        if not all(
            all(type(p) in (str, int) for p in ptr) and (line is None or type(line) is int)
            for ptr, line in lines.items()
        ):
            return None
        return entry["data"], Recorded(lines)
    except (OSError, ValueError, TypeError, KeyError, UnicodeError):
        return None


def keep(text: str, data: str, lines: Recording) -> None:
    """Record a file compiled without error: its data (JSON text) and lines asked for."""
    key = _key(text)
    asked = [[list(ptr), line] for ptr, line in lines.asked.items()]
    body = (
        f'{{"format":{FORMAT},"key":"{key}","data":{data},"lines":{json.dumps(asked)}}}'
    ).encode()
    checksum = hexdigest(body).encode()
    path = _path(key)
    temporary = path.with_name(f"{key}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(checksum + b"\n" + body)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()  # a read-only cache only costs speed
