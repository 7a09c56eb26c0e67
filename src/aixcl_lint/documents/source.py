"""Reading scanned files safely: regular files only, size bound, binary and encoding
checks."""

from __future__ import annotations

from pathlib import Path

from aixcl_lint import fsio
from aixcl_lint.core import Finding, Severity, Span
from aixcl_lint.records import record

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@record(slots=True)
class Source:
    """A scanned file's decoded text (BOM removed) and its repository-relative path."""

    path: str
    text: str
    bom: bool = False
    """Whether the file began with a UTF-8 byte order mark."""


def _finding(rel: str, rule: str, message: str, line: int = 1, column: int = 1) -> Finding:
    return Finding(rel, Span.at(line, column), rule, Severity.ERROR, message)


def decode(rel: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Source | Finding:
    """Decode ``data`` as UTF-8 text, or explain in a finding why it cannot be scanned."""
    if len(data) > max_bytes:
        return _finding(
            rel, "file/too-large", f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit"
        )
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return _finding(rel, "file/binary", "file looks binary (it holds a NUL byte)", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        return _finding(
            rel,
            "file/not-utf8",
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            line,
            column,
        )
    return Source(rel, text.removeprefix("\ufeff"), text.startswith("\ufeff"))


_RULES = {
    "outside": "file/outside-repository",
    "not-regular": "file/not-regular",
    "too-large": "file/too-large",
    "unreadable": "file/unreadable",
}


def read(
    path: Path | str,
    rel: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    root: Path | None = None,
    confined: fsio.Confined | None = None,
) -> Source | Finding:
    """Read and decode one file; unreadable files become findings too. With ``root``
    (or a run's ``confined``), a path leading outside it is never opened. Only regular
    files are read, and the size bound applies before reading."""
    try:
        data = fsio.read_regular(path, max_bytes, root, confined)
    except fsio.Refused as refused:
        return refusal(rel, refused)
    return decode(rel, data, max_bytes)


def refusal(rel: str, refused: fsio.Refused) -> Finding:
    """The finding of a file that was not read."""
    return _finding(rel, _RULES[refused.kind], refused.message)
