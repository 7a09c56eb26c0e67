"""Opening files safely: regular files only, size bounded before reading, never outside
a root.

Every file aixcl-lint scans is read here. A FIFO, a device or a socket is never opened
(opening a FIFO blocks, reading ``/dev/zero`` never ends); the size is checked with
``stat`` before a byte is read, and the read itself stops one byte past the limit in
case the file grows meanwhile. With a ``root``, a path that resolves outside it (a
symlink to ``~/.aws/credentials``) is refused before it is opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | os.O_CLOEXEC


class Refused(Exception):
    """A file that is not read, and why: ``kind`` is ``outside``, ``not-regular``,
    ``too-large`` or ``unreadable``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


_TYPES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def describe(mode: int) -> str:
    """What a non-regular file is, in words."""
    return next((name for test, name in _TYPES if test(mode)), "not a regular file")


def what_stands(path: Path) -> str:
    """What stands at ``path`` that is not a folder, for an error where one was due:
    ``a FIFO, not a folder``."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    return f"{'a file' if stat.S_ISREG(mode) else describe(mode)}, not a folder"


OUTSIDE = "leads outside the repository (a symlink); not read"
"""Why a file leading outside the repository is not read."""
MISSING = "no such file (or a dangling symlink)"
"""Why a file that is not there (a symlink to nothing) is not read."""


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, all symlinks followed, is ``root`` or below it (False if it
    does not resolve)."""
    try:
        real = Path(os.path.realpath(path, strict=True))
    except (OSError, RuntimeError):
        return False
    return real.is_relative_to(os.path.realpath(root))


def check_inside(root: Path, path: Path | str) -> None:
    """Refuse ``path`` if it leads outside ``root``."""
    try:
        real = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        raise Refused("unreadable", MISSING) from None
    except (OSError, RuntimeError) as exc:
        reason = getattr(exc, "strerror", None) or "symlink loop"
        raise Refused("unreadable", f"cannot resolve the path: {reason}") from None
    if not real.is_relative_to(os.path.realpath(root)):
        raise Refused("outside", OUTSIDE)


def dangling(path: str) -> bool:
    """Whether ``path`` is a symlink to nothing (not a loop, which Compose complains
    of): Compose reads no env file there, as if there were none (mailcow's tracked
    ``.env -> mailcow.conf``, the target made by its setup script and ignored by git)."""
    if not os.path.islink(path):
        return False
    try:
        os.stat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


FOLDERS_KEPT = 32768
"""Most folders a ``Confined`` keeps the answer for: past it, every folder is resolved
again as it is asked (an ``lstat``, 7 us on the benchmark's machine). The benchmark's
large corpus has 16,834 folders, and its links lead to any of them: kept at 8,192,
``Confined.inside`` cost 22 us a call instead of 15 (147,000 calls a run). The answers
of 32,768 folders hold about 4 MB."""


class Confined:
    """One run's answers to "where does this path lead", for paths below ``root``.

    ``realpath`` looks at every component of a path; most of a run's files share a few
    folders. A path whose last component is not a symlink leads where its folder leads,
    plus its name, so each folder is resolved once a run (the answer is as good as a
    ``realpath`` made at the folder's first file: the tree is not expected to change
    during a run, and a file is still opened only if it is a regular file). Past
    ``FOLDERS_KEPT`` folders the answers are forgotten and made again as asked: a large
    repository's folders held more than anything else a run keeps."""

    def __init__(self, root: Path) -> None:
        self.root = os.path.realpath(root)
        self._folders: dict[str, str] = {}

    def real(self, path: Path | str) -> str:
        """Where ``path`` leads, every symlink followed; OSError if it does not resolve
        (missing, dangling, a loop)."""
        text = os.fspath(path)
        folder, name = os.path.split(text)
        if name in ("", ".", "..") or stat.S_ISLNK(os.lstat(text).st_mode):
            return os.path.realpath(text, strict=True)
        return os.path.join(self._folder(folder), name)

    def _folder(self, folder: str) -> str:
        """Where a folder leads: its parent's answer plus its name, unless it is a
        symlink (then ``realpath``), each folder once."""
        real = self._folders.get(folder)
        if real is None:
            parent, name = os.path.split(folder)
            if parent == folder or name in ("", ".", "..") or os.path.islink(folder):
                real = os.path.realpath(folder, strict=True)
            else:
                real = os.path.join(self._folder(parent), name)
            if real == folder:  # most folders lead where they stand: one string, not two
                real = folder
            if len(self._folders) >= FOLDERS_KEPT:
                self._folders.clear()
            self._folders[folder] = real
        return real

    def inside(self, path: Path | str) -> bool:
        """Whether ``path`` resolves to the root or below it."""
        try:
            real = self.real(path)
        except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in the name
            return False
        return real == self.root or real.startswith(self.root.rstrip("/") + "/")

    def check(self, path: Path | str) -> None:
        """Refuse ``path`` if it leads outside the root (as ``check_inside``)."""
        try:
            real = self.real(path)
        except FileNotFoundError:
            raise Refused("unreadable", MISSING) from None
        except (OSError, RuntimeError) as exc:
            reason = getattr(exc, "strerror", None) or "symlink loop"
            raise Refused("unreadable", f"cannot resolve the path: {reason}") from None
        if not (real == self.root or real.startswith(self.root.rstrip("/") + "/")):
            raise Refused("outside", OUTSIDE)


def read_regular(
    path: Path | str, max_bytes: int, root: Path | None = None, confined: Confined | None = None
) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; Refused otherwise (with a
    ``root`` or a run's ``confined``, a path leading outside it)."""
    if confined is not None:
        confined.check(path)
    elif root is not None:
        check_inside(root, path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not-regular", f"{describe(info.st_mode)}, not a regular file; not read")
        if info.st_size > max_bytes:
            raise Refused("too-large", _too_large(info.st_size, max_bytes))
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise Refused("unreadable", f"cannot read file: {exc.strerror or exc}") from None
    try:
        return read_fd(fd, max_bytes)
    finally:
        os.close(fd)


def read_head(path: Path | str, max_bytes: int, root: Path) -> bytes:
    """The first ``max_bytes`` bytes of a regular file inside ``root`` (Refused
    otherwise), however long the file is."""
    check_inside(root, path)
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise Refused("unreadable", f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not-regular", f"{describe(info.st_mode)}, not a regular file; not read")
        chunks, size = [], 0
        while size < max_bytes:
            chunk = os.read(fd, max_bytes - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise Refused("unreadable", f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_fd(fd: int, max_bytes: int) -> bytes:
    """Read an open file to its end, refusing a non-regular one or more than
    ``max_bytes`` (the file may have changed since it was looked at)."""
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # swapped for something else meanwhile
            raise Refused("not-regular", f"{describe(info.st_mode)}, not a regular file; not read")
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Refused("unreadable", f"cannot read file: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise Refused("too-large", _too_large(size, max_bytes, grew=True))
    return b"".join(chunks)


def _too_large(size: int, max_bytes: int, *, grew: bool = False) -> str:
    if grew:
        return f"file is over the {max_bytes:,}-byte limit"
    return f"file is {size:,} bytes, over the {max_bytes:,}-byte limit"
