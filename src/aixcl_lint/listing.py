"""The repository's files: git's own list inside a work tree, else a walk that honours
``.gitignore``. Which of them some kind reads is ``discover``'s business."""

from __future__ import annotations

import array
import bisect
import os
import stat
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from aixcl_lint import fsio, globs
from aixcl_lint.core import matchable

_ALWAYS_SKIPPED = frozenset({".git", ".hg", ".svn"})
_MAX_IGNORE_BYTES = 1024 * 1024


class _Ignores:
    """``.gitignore`` files met on the way down, each applying below its folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.applicable: dict[str, list[tuple[str, globs.Spec]]] = {}

    def _spec(self, folder: str) -> globs.Spec | None:
        try:  # a FIFO or a device standing there is never opened
            data = fsio.read_regular(self.root / folder / ".gitignore", _MAX_IGNORE_BYTES)
        except fsio.Refused:
            return None
        lines = data.decode("utf-8", errors="replace").splitlines()
        return globs.lenient_spec(lines)

    def specs(self, folder: str) -> list[tuple[str, globs.Spec]]:
        """The ``.gitignore`` files that apply in ``folder``, with the folder each is in."""
        found = self.applicable.get(folder)
        if found is None:
            parent = folder.rpartition("/")[0] if folder else None
            found = list(self.specs(parent)) if parent is not None else []
            spec = self._spec(folder)
            if spec is not None:
                found.append((folder, spec))
            self.applicable[folder] = found
        return found

    def ignored(self, rel: str, is_dir: bool) -> bool:
        """Whether a ``.gitignore`` above ``rel`` ignores it."""
        for base, spec in self.specs(rel.rpartition("/")[0]):
            sub = rel[len(base) + 1 :] if base else rel
            if spec.match_file(matchable(sub + "/" if is_dir else sub)):
                return True
        return False


def _walk(root: Path, folder: str, ignores: _Ignores) -> Iterator[str]:
    try:
        entries = sorted(os.scandir(root / folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        rel = f"{folder}/{entry.name}" if folder else entry.name
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in _ALWAYS_SKIPPED and not ignores.ignored(rel, is_dir=True):
                yield from _walk(root, rel, ignores)
        elif not ignores.ignored(rel, is_dir=False):
            yield rel


class Files:
    """The repository's files, as git sees them inside a work tree: tracked files (even
    where an ignore file names them) and untracked files no ignore source names, not
    deleted files and not the inside of submodules. Outside a work tree, a walk that
    honours ``.gitignore``. Git is asked once, when first needed.

    Symlinks and special files are listed like any file: reading them (never through a
    symlink leading outside, never a FIFO or a device) is the readers' business.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._git: tuple[str, ...] | None = None
        self._sizes = array.array("q")
        """The size of each file of ``_git``, in its order (8 bytes a file)."""
        self._asked = False
        self.warnings: list[str] = []
        """What went wrong listing the files, one line each."""
        self._folders: dict[str, list[str]] | None = None
        self._ignores: _Ignores | None = None
        self._scoped: dict[str, list[str]] = {}
        """Git's files directly in some folders, asked for before (or instead of) the
        whole list: a run on named files needs only their folders."""
        self._held: frozenset[str] | None = None

    @property
    def git(self) -> tuple[str, ...] | None:
        """Git's file list (present files only), or None outside a work tree."""
        if not self._asked:
            self._asked = True
            try:
                listed = git_files(self.root)
            except GitTimeout:
                listed = None
                self.warnings.append(
                    f"git ls-files did not answer in {GIT_TIMEOUT:g} s (a FIFO where an "
                    "ignore file should be?); the folders were walked instead"
                )
            except GitFailed as failed:
                listed = None
                self.warnings.append(
                    f"git ls-files failed ({failed}); the folders were walked instead "
                    "(tracked files a .gitignore names are not checked)"
                )
            if listed is not None:
                root = os.fspath(self.root)
                kept, sizes = [], array.array("q")
                for path in listed:
                    size = _size(os.path.join(root, path))
                    if size >= 0:
                        kept.append(path)
                        sizes.append(size)
                self._git, self._sizes = tuple(kept), sizes
        return self._git

    def size(self, rel: str) -> int | None:
        """A file's size in git's list, as the listing found it (``lstat``: not
        followed), or None when the list does not hold it (or the folders were walked).
        """
        listed = self._git
        if listed is None:
            return None
        i = bisect.bisect_left(listed, rel)
        return self._sizes[i] if i < len(listed) and listed[i] == rel else None

    def under(self, start: str = "") -> Iterator[str]:
        """Every file below ``start`` (the whole repository for ``""``), in order."""
        if self.git is None:
            yield from _walk(self.root, start, self.ignores)
            return
        prefix = f"{start}/" if start else ""
        yield from (p for p in self.git if p.startswith(prefix))

    def scope(self, folders: Iterable[str]) -> None:
        """Ask git about the files directly in ``folders`` only (one call, literal paths
        of what stands there), unless the whole list is known: ``listed`` and
        ``folder`` then answer for them as the whole list would, without git walking
        the whole work tree for untracked files."""
        wanted = sorted({f for f in folders if f not in self._scoped})
        if self._asked or not wanted:
            return
        candidates = {folder: _entries(self.root, folder) for folder in wanted}
        every = [path for paths in candidates.values() for path in paths]
        if len(every) > MAX_SCOPED:
            return  # a command line that long: the whole list, once
        try:
            listed = (
                _ls_files(self.root, *_LISTED, "--", *(f":(literal){p}" for p in every))
                if every
                else []
            )
        except (GitTimeout, GitFailed):
            return  # the whole list says what went wrong
        if listed is None:  # not a work tree: the walk's answers
            self._asked = True
            return
        known = {p for p in listed if _size(os.path.join(os.fspath(self.root), p)) >= 0}
        for folder, paths in candidates.items():
            self._scoped[folder] = [p for p in paths if p in known]

    def holds(self, rel: str) -> bool | None:
        """Whether git lists the file ``rel``, by one set look-up once the whole list is
        known; None before that, or outside a work tree (the disk answers there)."""
        if not self._asked or self._git is None:
            return None
        if self._held is None:
            self._held = frozenset(self._git)
        return rel in self._held

    def listed(self, rel: str) -> bool:
        """Whether a file named on the command line is one of the repository's files
        (outside a work tree every named file is)."""
        folder = rel.rpartition("/")[0]
        self.scope([folder])
        if not self._asked and folder in self._scoped:
            return rel in self._scoped[folder]
        return self.git is None or rel in self._folder_map().get(folder, ())

    def folder(self, folder: str) -> list[str]:
        """The files directly in ``folder``, as repository-relative paths."""
        self.scope([folder])
        if not self._asked and folder in self._scoped:
            return self._scoped[folder]
        if self.git is None:
            try:
                names = sorted(e.name for e in os.scandir(self.root / folder) if not e.is_dir())
            except OSError:
                return []
            paths = [f"{folder}/{n}" if folder else n for n in names]
            return [p for p in paths if not self.ignores.ignored(p, is_dir=False)]
        return self._folder_map().get(folder, [])

    @property
    def ignores(self) -> _Ignores:
        """The ``.gitignore`` files, for the walk outside a work tree."""
        if self._ignores is None:
            self._ignores = _Ignores(self.root)
        return self._ignores

    def _folder_map(self) -> dict[str, list[str]]:
        if self._folders is None:
            self._folders = {}
            for path in self.git or ():
                self._folders.setdefault(path.rpartition("/")[0], []).append(path)
        return self._folders


_GIT_LOCATION = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_COMMON_DIR",
        "GIT_NAMESPACE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_PREFIX",
        "GIT_CEILING_DIRECTORIES",
        "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    }
)
"""Variables that would point git at another repository than the one at the root (a
hook runs with some of them set)."""


GIT_TIMEOUT = 30.0
"""Seconds git may take to list the files. Git opens each ``.gitignore`` with a
blocking ``open``, so a FIFO standing where one should be makes it wait forever; past
this bound the run walks the folders itself (reading no FIFO) and says so."""


class GitTimeout(Exception):
    """``git ls-files`` did not finish in time."""


class GitFailed(Exception):
    """``git ls-files`` failed in a work tree (a repository another user owns, a broken
    index): its first line of complaint, escaped."""


_LISTED = ("--cached", "--others", "--exclude-standard")
"""What a run's file list holds: tracked files, and untracked ones no ignore names."""

MAX_SCOPED = 2000
"""Files of named folders ``Files.scope`` asks git about by name, at most (beyond
that, the command line grows long and the whole list costs little more)."""


def _entries(root: Path, folder: str) -> list[str]:
    """What stands directly in ``folder`` and is not a folder, in name order."""
    try:
        with os.scandir(root / folder) as entries:
            names = sorted(e.name for e in entries if not e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    return [f"{folder}/{name}" if folder else name for name in names]


def git_files(root: Path) -> list[str] | None:
    """``git ls-files --cached --others --exclude-standard`` at ``root``, or None when
    ``root`` is not the top of a git work tree (or git is missing). GitTimeout when git
    does not answer within ``GIT_TIMEOUT``; GitFailed when it refuses a work tree."""
    return _ls_files(root, *_LISTED)


def tracked(root: Path, *, ignored: bool = False) -> set[str]:
    """The files git tracks at ``root`` (with ``ignored``, those of them an ignore
    source names); empty outside a work tree or when git does not answer."""
    options = ("--cached", "--ignored", "--exclude-standard") if ignored else ("--cached",)
    try:
        return set(_ls_files(root, *options) or ())
    except (GitTimeout, GitFailed):
        return set()


def _ls_files(root: Path, *options: str) -> list[str] | None:
    """``git ls-files -z OPTIONS`` at ``root``, sorted; None outside a work tree."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION}
    env["GIT_CEILING_DIRECTORIES"] = str(root.parent)  # never a repository above the root
    command = ["git", "-c", "core.quotePath=false", "ls-files", "-z", *options]
    try:
        proc = subprocess.run(
            command,
            cwd=root,
            env=env,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            check=False,
            timeout=GIT_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise GitTimeout from None
    except OSError:
        return None
    if proc.returncode != 0:
        complaint = proc.stderr.decode("utf-8", "replace").strip().partition("\n")[0]
        if "not a git repository" not in complaint:  # a repository git will not list
            raise GitFailed(ascii(complaint[:200])[1:-1] or f"exit {proc.returncode}")
        return None
    names = (os.fsdecode(name) for name in proc.stdout.split(b"\0") if name)
    return sorted(dict.fromkeys(names))


def _size(path: str) -> int:
    """A listed path's size, or -1 unless it is there and not a folder (a deleted file,
    a submodule and an untracked nested repository are not files to lint). A string,
    not a ``Path``: Python 3.11's ``Path`` interns every part of every path, and the
    table of interned strings never shrinks (1 MB at 20,000 files)."""
    try:
        found = os.lstat(path)
    except OSError:
        return -1
    return -1 if stat.S_ISDIR(found.st_mode) else found.st_size
