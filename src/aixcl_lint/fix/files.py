"""Reading the files fixes edit, and writing them back safely.

A file is written only when its content changed, and only if it is a regular file
reached from the repository root without a symlink (not its own name, nor a folder on
its path): a fix never writes through a symlink, so never outside the repository.
Every step works on the folder's open descriptor, so a folder swapped for a symlink
during the run cannot redirect the write either.

The write is atomic: the new content goes to an unnamed file in the same folder
(``O_TMPFILE``), which a ``kill -9`` leaves nowhere; it is given the file's owner, mode
(setuid and setgid included) and extended attributes, then linked as
``.NAME.aixcl-lint.tmp`` and renamed over the file. Only a kill between those last two
calls leaves the temporary name; the next run that reads the file for fixing removes
it. Where ``O_TMPFILE`` is not supported, the temporary file is named from the start.
Nothing is written over a file that changed on disk since it was read.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from aixcl_lint import fsio
from aixcl_lint.documents import source
from aixcl_lint.records import record

_BOM = b"\xef\xbb\xbf"
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


@record
class Original:
    """A file as it was read: its bytes and its text (without a byte-order mark)."""

    path: str
    data: bytes
    text: str

    def encode(self, text: str) -> bytes:
        """``text`` as this file's bytes (its byte-order mark kept)."""
        return (_BOM if self.data.startswith(_BOM) else b"") + text.encode("utf-8")


class _Refused(Exception):
    """Why a file is not read or written for fixing."""


def temporary_name(name: str) -> str:
    """The name a fix's new content has for an instant before it replaces ``name``."""
    return f".{name}.aixcl-lint.tmp"


def _folder(root: Path, rel: str) -> tuple[int, str]:
    """The open folder holding ``rel`` (each folder on the way opened without following
    a symlink) and the file's name in it."""
    *folders, name = rel.split("/")
    if not name or any(part in ("", ".", "..") for part in (*folders, name)):
        raise _Refused("is not a plain path in the repository; not touched")
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in folders:
            try:
                inner = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                if exc.errno == errno.ELOOP or _is_link(fd, part):
                    raise _Refused("is reached through a symlinked folder; not touched") from None
                raise
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd, name


def _is_link(folder: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _open_regular(folder: int, name: str) -> tuple[int, os.stat_result]:
    """The file ``name`` in ``folder``, opened for reading: never a symlink, never a FIFO
    or a device."""
    info = os.stat(name, dir_fd=folder, follow_symlinks=False)
    if stat.S_ISLNK(info.st_mode):
        raise _Refused("is a symlink; fixes never write through one")
    if not stat.S_ISREG(info.st_mode):
        raise _Refused(f"is {fsio.describe(info.st_mode)}, not a regular file; not touched")
    fd = os.open(name, _READ_FLAGS, dir_fd=folder)
    return fd, os.fstat(fd)


def read(root: Path, rel: str, max_bytes: int) -> Original | str:
    """A file to fix, or why it cannot be read (or would not be written)."""
    try:
        folder, name = _folder(root, rel)
    except _Refused as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    try:
        _remove_stale(folder, name)
        fd, _ = _open_regular(folder, name)
        try:
            data = fsio.read_fd(fd, max_bytes)
        finally:
            os.close(fd)
    except _Refused as exc:
        return str(exc)
    except fsio.Refused as exc:
        return exc.message
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    finally:
        os.close(folder)
    decoded = source.decode(rel, data, max_bytes)
    if not isinstance(decoded, source.Source):
        return decoded.message
    return Original(rel, data, decoded.text)


def write(root: Path, original: Original, text: str) -> str | None:
    """Write ``text`` over a file read as ``original``; None, or why it was not written."""
    try:
        folder, name = _folder(root, original.path)
    except _Refused as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot be written: {exc.strerror or exc}"
    try:
        fd, info = _open_regular(folder, name)
        try:
            if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
                name, os.W_OK, dir_fd=folder
            ):
                return "is read-only; not written"
            try:
                current = fsio.read_fd(fd, len(original.data))
            except fsio.Refused:
                current = None
            if current != original.data:
                return "changed on disk during the run; not overwritten"
            _replace(folder, name, original.encode(text), fd, info)
        finally:
            os.close(fd)
    except _Refused as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot be written: {exc.strerror or exc}"
    finally:
        os.close(folder)
    return None


def _remove_stale(folder: int, name: str) -> None:
    """Remove the temporary file a run killed while writing ``name`` left behind."""
    temporary = temporary_name(name)
    with contextlib.suppress(OSError):
        if stat.S_ISREG(os.stat(temporary, dir_fd=folder, follow_symlinks=False).st_mode):
            os.unlink(temporary, dir_fd=folder)


def _replace(folder: int, name: str, data: bytes, original: int, info: os.stat_result) -> None:
    """Put ``data`` in place of ``name`` atomically, keeping owner, mode and xattrs."""
    temporary = temporary_name(name)
    _remove_stale(folder, name)
    fd, named = _create(folder, temporary)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            _keep_metadata(fd, original, info)
            if not named:
                os.link(f"/proc/self/fd/{fd}", temporary, dst_dir_fd=folder)
                named = True
        finally:
            os.close(fd)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        if named:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=folder)
        raise
    with contextlib.suppress(OSError):
        os.fsync(folder)


def _create(folder: int, temporary: str) -> tuple[int, bool]:
    """A new file for the content, and whether it has a name yet."""
    if hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # not supported by this file system
            return os.open(".", os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o600, dir_fd=folder), (
                False
            )
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    return os.open(temporary, flags, 0o600, dir_fd=folder), True


def _keep_metadata(fd: int, original: int, info: os.stat_result) -> None:
    """Give the new file the old one's owner (where allowed), mode and xattrs."""
    if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):  # not allowed to give it away: it stays ours
            os.fchown(fd, info.st_uid, info.st_gid)
    os.fchmod(fd, stat.S_IMODE(info.st_mode))  # after chown, which clears setuid
    if hasattr(os, "listxattr"):
        with contextlib.suppress(OSError):
            for attribute in os.listxattr(original):
                with contextlib.suppress(OSError):
                    os.setxattr(fd, attribute, os.getxattr(original, attribute))
