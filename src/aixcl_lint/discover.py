"""Finding the files to lint: the repository root, git's file list (or a walk honouring
``.gitignore`` outside git), and each file's kind."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pathspec

from aixcl_lint import fsio
from aixcl_lint.core import Kind

COMPOSE_BASE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
"""The file names Compose looks for, in its order of preference."""

CLASSIFIERS: tuple[tuple[str, Kind], ...] = (
    *((name, Kind.COMPOSE) for name in COMPOSE_BASE_NAMES),
    ("compose.*.yaml", Kind.COMPOSE),
    ("compose.*.yml", Kind.COMPOSE),
    ("docker-compose.*.yaml", Kind.COMPOSE),
    ("docker-compose.*.yml", Kind.COMPOSE),
    (".env", Kind.ENV),
    ("*.env", Kind.ENV),
    ("*.md", Kind.MARKDOWN),
    ("*.markdown", Kind.MARKDOWN),
)
"""File-name globs and the kind they mean; the first match wins."""

_CLASSIFY = [(re.compile(fnmatch.translate(glob)), kind) for glob, kind in CLASSIFIERS]
_ALWAYS_SKIPPED = frozenset({".git", ".hg", ".svn"})
_MAX_IGNORE_BYTES = 1024 * 1024


def classify(path: str) -> Kind | None:
    """The kind of a file, from its base name; None if no rule reads it."""
    name = path.rpartition("/")[2]
    for pattern, kind in _CLASSIFY:
        if pattern.match(name):
            return kind
    return None


Classify = Callable[[str], "Kind | None"]
"""A repository-relative path's kind (None: no kind reads it)."""


def classifier(globs: Iterable[str] = (), paths: Iterable[str] = ()) -> Classify:
    """``classify``, with ``globs`` (gitignore-style, from the root) and exact ``paths``
    also naming compose files."""
    patterns, exact = list(globs), frozenset(paths)
    if not patterns and not exact:
        return classify
    spec = pathspec.GitIgnoreSpec.from_lines(patterns)

    def kind_of(path: str) -> Kind | None:
        if path in exact or (patterns and spec.match_file(path)):
            return Kind.COMPOSE
        return classify(path)

    return kind_of


def is_override(name: str) -> bool:
    """Whether a compose file name is an override (not one of the base names)."""
    return name not in COMPOSE_BASE_NAMES


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``.git``; else ``start`` itself.

    The folders above are ``start``'s as written, not its symlinks' targets: a named
    ``repo/link/x`` belongs to ``repo`` wherever ``link`` leads."""
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return Path(os.path.realpath(folder))
    return Path(os.path.realpath(start))


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to lint: repository-relative POSIX path and kind."""

    path: str
    kind: Kind


class _Ignores:
    """``.gitignore`` files met on the way down, each applying below its folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.applicable: dict[str, list[tuple[str, pathspec.PathSpec[Any]]]] = {}

    def _spec(self, folder: str) -> pathspec.PathSpec[Any] | None:
        try:  # a FIFO or a device standing there is never opened
            data = fsio.read_regular(self.root / folder / ".gitignore", _MAX_IGNORE_BYTES)
        except fsio.Refused:
            return None
        lines = data.decode("utf-8", errors="replace").splitlines()
        return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None

    def specs(self, folder: str) -> list[tuple[str, pathspec.PathSpec[Any]]]:
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
            if spec.match_file(sub + "/" if is_dir else sub):
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
        self._asked = False
        self._folders: dict[str, list[str]] | None = None
        self._ignores: _Ignores | None = None

    @property
    def git(self) -> tuple[str, ...] | None:
        """Git's file list (present files only), or None outside a work tree."""
        if not self._asked:
            self._asked = True
            listed = git_files(self.root)
            if listed is not None:
                self._git = tuple(p for p in listed if _present(self.root / p))
        return self._git

    def under(self, start: str = "") -> Iterator[str]:
        """Every file below ``start`` (the whole repository for ``""``), in order."""
        if self.git is None:
            yield from _walk(self.root, start, self.ignores)
            return
        prefix = f"{start}/" if start else ""
        yield from (p for p in self.git if p.startswith(prefix))

    def listed(self, rel: str) -> bool:
        """Whether a file named on the command line is one of the repository's files
        (outside a work tree every named file is)."""
        return self.git is None or rel in self._folder_map().get(rel.rpartition("/")[0], ())

    def folder(self, folder: str) -> list[str]:
        """The files directly in ``folder``, as repository-relative paths."""
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


def git_files(root: Path) -> list[str] | None:
    """``git ls-files --cached --others --exclude-standard`` at ``root``, or None when
    ``root`` is not the top of a git work tree (or git is missing)."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION}
    env["GIT_CEILING_DIRECTORIES"] = str(root.parent)  # never a repository above the root
    command = ["git", "-c", "core.quotePath=false", "ls-files", "-z"]
    command += ["--cached", "--others", "--exclude-standard"]
    try:
        proc = subprocess.run(
            command, cwd=root, env=env, capture_output=True, stdin=subprocess.DEVNULL, check=False
        )
    except OSError:
        return None
    if proc.returncode != 0:
        return None
    names = (os.fsdecode(name) for name in proc.stdout.split(b"\0") if name)
    return sorted(dict.fromkeys(names))


def _present(path: Path) -> bool:
    """Whether a listed path is there and not a folder (a deleted file, a submodule and
    an untracked nested repository are not files to lint)."""
    try:
        return not stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def walk(files: Files, start: str = "", kind_of: Classify = classify) -> list[SourceFile]:
    """Every file below ``start`` that some kind claims."""
    found = []
    for rel in files.under(start):
        kind = kind_of(rel)
        if kind is not None:
            found.append(SourceFile(rel, kind))
    return found


def location(path: Path) -> Path:
    """Where ``path`` stands: its folders resolved, a final symlink kept as itself (a
    named symlink is the link, never its target, so it cannot move the root)."""
    if path.name in ("", ".", ".."):
        return Path(os.path.realpath(path))
    return Path(os.path.realpath(path.parent)) / path.name


def relative(root: Path, path: Path) -> str | None:
    """``path`` relative to ``root`` as POSIX text, or None if it lies outside. A folder
    is where it resolves to (a symlink to ``/`` lies outside); a file is where it stands."""
    where = location(path)
    if where.is_symlink() and where.is_dir():
        where = Path(os.path.realpath(where))
    try:
        return where.relative_to(root).as_posix()
    except ValueError:
        return None


def siblings(
    files: Files, folders: Iterable[str], kind_of: Classify = classify
) -> list[SourceFile]:
    """The compose and env files directly in each folder: the context a named file's
    project needs, found as a whole-repository run would."""
    found = []
    for folder in sorted(set(folders)):
        for rel in files.folder(folder):
            kind = kind_of(rel)
            if kind in (Kind.COMPOSE, Kind.ENV):
                found.append(SourceFile(rel, kind))
    return found


def compose_projects(paths: Iterable[str]) -> list[tuple[str, ...]]:
    """Group compose files into projects, each a base file followed by its overrides.

    In one folder, the preferred base file with its ``*.override.*`` files is the default
    project, and each other named file (``docker-compose.prod.yml``) is applied to the
    base on its own, as ``docker compose -f base -f named`` would. A folder without a
    base file makes each of its compose files a project of its own.
    """
    by_folder: dict[str, list[str]] = {}
    for path in paths:
        folder, _, _name = path.rpartition("/")
        by_folder.setdefault(folder, []).append(path)
    projects: list[tuple[str, ...]] = []
    for folder in sorted(by_folder):
        names = {p.rpartition("/")[2]: p for p in by_folder[folder]}
        bases = [names[n] for n in COMPOSE_BASE_NAMES if n in names]
        if not bases:
            projects.extend((p,) for p in sorted(names.values()))
            continue
        base, extra_bases = bases[0], bases[1:]
        rest = sorted(p for n, p in names.items() if is_override(n))
        overrides = tuple(p for p in rest if ".override." in p.rpartition("/")[2])
        projects.append((base, *overrides))
        projects.extend((base, p) for p in rest if p not in overrides)
        projects.extend((p,) for p in extra_bases)
    return projects
