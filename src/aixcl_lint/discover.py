"""Finding the files to lint: the repository root, ignore files, and each file's kind."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pathspec

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


def classify(name: str) -> Kind | None:
    """The kind of a file, from its base name; None if no rule reads it."""
    for pattern, kind in _CLASSIFY:
        if pattern.match(name):
            return kind
    return None


def is_override(name: str) -> bool:
    """Whether a compose file name is an override (not one of the base names)."""
    return name not in COMPOSE_BASE_NAMES


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``.git``; else ``start`` itself."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


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
        gitignore = self.root / folder / ".gitignore"
        try:
            lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
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
        elif (entry.is_file(follow_symlinks=False) or _inside(root, Path(entry.path))) and (
            not ignores.ignored(rel, is_dir=False)
        ):
            yield rel


def _inside(root: Path, path: Path) -> bool:
    """Whether ``path`` (a symlink perhaps) is a regular file that stays inside ``root``."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return target.is_file() and target.is_relative_to(root)


def walk(root: Path, start: str = "") -> list[SourceFile]:
    """Every file below ``root/start`` that some kind claims, honouring ``.gitignore``."""
    ignores = _Ignores(root)
    found = []
    for rel in _walk(root, start, ignores):
        kind = classify(rel.rsplit("/", 1)[-1])
        if kind is not None:
            found.append(SourceFile(rel, kind))
    return found


def relative(root: Path, path: Path) -> str | None:
    """``path`` relative to ``root`` as POSIX text, or None if it lies outside."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def siblings(root: Path, folders: Iterable[str]) -> list[SourceFile]:
    """The compose and env files directly in each folder that ``.gitignore`` keeps: the
    context a named file's project needs, found as a whole-repository walk would."""
    ignores = _Ignores(root)
    found = []
    for folder in sorted(set(folders)):
        try:
            entries = sorted(os.scandir(root / folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            kind = classify(entry.name)
            if kind not in (Kind.COMPOSE, Kind.ENV):
                continue
            rel = f"{folder}/{entry.name}" if folder else entry.name
            regular = entry.is_file(follow_symlinks=False)
            if (regular or _inside(root, Path(entry.path))) and not ignores.ignored(rel, False):
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
