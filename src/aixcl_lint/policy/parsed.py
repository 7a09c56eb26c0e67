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

FORMAT = 3
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

    def __init__(self, spans: Mapping[Pointer, Any], text: str = "", data: Any = None) -> None:
        self.spans = spans
        self.asked: dict[Pointer, int | None] = {}
        self.text = text
        self.data = data
        self._lines: list[str] | None = None

    def get(self, ptr: Pointer) -> int | None:
        """The line where the value at ``ptr`` was written (None: no node there): a
        mapping's key, but a text's own line when it is written below its key (a
        pattern on the next line, or a block scalar's first line), where an error in
        it (RE2 rejects it, a placeholder is unknown) is."""
        found = self.spans.get(ptr)
        if found is None:
            self.asked[ptr] = None
            return None
        line = int(found.anchor.start.line)
        if self.text and isinstance(_at(self.data, ptr), str):
            if self._lines is None:
                self._lines = self.text.splitlines()
            line = max(line, _text_line(self._lines, found.value))
        self.asked[ptr] = line
        return line


def _at(data: Any, ptr: Pointer) -> Any:
    """The value at ``ptr`` in ``data`` (None if there is none)."""
    for part in ptr:
        listed = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not listed and not (isinstance(data, dict) and part in data):
            return None
        data = data[part]
    return data


def _text_line(lines: list[str], span: Any) -> int:
    """The first line holding a scalar's text: a block scalar (``|``, ``>-``) starts on
    the line after its indicator."""
    line, column = int(span.start.line), int(span.start.column)
    written = lines[line - 1][column - 1 :] if line <= len(lines) else ""
    if written[:1] in ("|", ">"):
        below = line
        while below < len(lines) and not lines[below].strip():
            below += 1
        return min(below + 1, len(lines))
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
