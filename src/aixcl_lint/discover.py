"""Finding the files to lint: the repository root and git's file list (or a walk
honouring ``.gitignore`` outside git). Which kind claims a file is the kinds registry's
to say; it is passed in as ``kind_of``."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import NamedTuple

from aixcl_lint.core import Kind
from aixcl_lint.listing import Files

__all__ = [
    "COMPOSE_BASE_NAMES",
    "Classify",
    "Files",
    "SourceFile",
    "compose_projects",
    "find_root",
    "is_override",
    "location",
    "relative",
    "siblings",
    "standing",
    "walk",
]

COMPOSE_BASE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
"""The file names Compose looks for, in its order of preference."""
COMPOSE_OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
"""The override files Compose adds to the base file it picked: the first one found."""

Classify = Callable[[str], "Kind | None"]
"""A repository-relative path's kind (None: no kind reads it): the kinds registry's
``Classifier``, passed in."""


def is_override(name: str) -> bool:
    """Whether a compose file name is an override (not one of the base names)."""
    return name not in COMPOSE_BASE_NAMES


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``.git``; else ``start`` itself.

    The folders above are ``start``'s as written, not its symlinks' targets: a named
    ``repo/link/x`` belongs to ``repo`` wherever ``link`` leads (a ``..`` is the
    filesystem's, see ``standing``)."""
    start = standing(start)
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return Path(os.path.realpath(folder))
    return Path(os.path.realpath(start))


class SourceFile(NamedTuple):
    """A file to lint: repository-relative POSIX path and kind."""

    path: str
    kind: Kind


def walk(files: Files, start: str, kind_of: Classify) -> list[SourceFile]:
    """Every file below ``start`` that some kind claims."""
    found = []
    for rel in files.under(start):
        kind = kind_of(rel)
        if kind is not None:
            found.append(SourceFile(rel, kind))
    return found


def standing(path: Path) -> Path:
    """``path`` made absolute as the filesystem reads it, without following a symlink
    it need not: each ``..`` steps up from where the folder before it really is (after
    ``link/``, out of the link's target, as the kernel does; ``os.path.abspath`` would
    drop ``link/..`` as text), every other part is kept as written."""
    parts = path.parts if path.is_absolute() else (*Path.cwd().parts, *path.parts)
    where = Path(parts[0])
    for part in parts[1:]:
        if part == "..":
            where = Path(os.path.realpath(where)).parent
        elif part != ".":
            where = where / part
    return where


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
    files: Files, folders: Iterable[str], kind_of: Classify, kinds: Collection[Kind]
) -> list[SourceFile]:
    """The files of ``kinds`` directly in each folder: the context a named file's project
    needs, found as a whole-repository run would."""
    found = []
    for folder in sorted(set(folders)):
        for rel in files.folder(folder):
            kind = kind_of(rel)
            if kind is not None and kind in kinds:
                found.append(SourceFile(rel, kind))
    return found


def compose_projects(paths: Iterable[str]) -> list[tuple[str, ...]]:
    """Group compose files into projects, each a base file followed by its overrides.

    In one folder, the preferred base file with the first override file Compose looks
    for is the default project, and each other named file (``docker-compose.prod.yml``)
    is applied to the base on its own, as ``docker compose -f base -f named`` would. A
    folder without a base file makes each of its compose files a project of its own.
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
        overrides = tuple(names[n] for n in COMPOSE_OVERRIDE_NAMES if n in names)[:1]
        projects.append((base, *overrides))
        projects.extend((base, p) for p in rest if p not in overrides)
        projects.extend((p,) for p in extra_bases)
    return projects
