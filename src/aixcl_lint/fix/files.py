"""Reading the files fixes edit, and writing them back safely.

A file is written only when its content changed, atomically (a temporary file in the
same folder, then ``os.replace``), with its permissions kept, and never over a file
that changed on disk since it was read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from aixcl_lint.documents import source

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Original:
    """A file as it was read: its bytes and its text (without a byte-order mark)."""

    path: str
    data: bytes
    text: str

    def encode(self, text: str) -> bytes:
        """``text`` as this file's bytes (its byte-order mark kept)."""
        return (_BOM if self.data.startswith(_BOM) else b"") + text.encode("utf-8")


def read(root: Path, rel: str, max_bytes: int) -> Original | str:
    """A file to fix, or why it cannot be read."""
    try:
        data = (root / rel).read_bytes()
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    decoded = source.decode(rel, data, max_bytes)
    if not isinstance(decoded, source.Source):
        return decoded.message
    return Original(rel, data, decoded.text)


def write(root: Path, original: Original, text: str) -> str | None:
    """Write ``text`` over a file read as ``original``; None, or why it was not written."""
    path = root / original.path
    try:
        real = path.resolve(strict=True)
        if not real.is_relative_to(root.resolve()):
            return "leads outside the repository; not written"
        info = real.stat()
        if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
            real, os.W_OK
        ):
            return "is read-only; not written"
        if real.read_bytes() != original.data:
            return "changed on disk during the run; not overwritten"
        _replace(real, original.encode(text), info)
    except OSError as exc:
        return f"cannot be written: {exc.strerror or exc}"
    return None


def _replace(path: Path, data: bytes, info: os.stat_result) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            # Not allowed to give it away: it stays ours.
            with contextlib.suppress(OSError):
                os.chown(temporary, info.st_uid, info.st_gid)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
