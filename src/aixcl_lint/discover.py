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
    "compose_units",
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


def _paired(names: Collection[str]) -> dict[str, str]:
    """Each ``X.override.yml`` (or ``.yaml``) beside an ``X.yml`` (or ``.yaml``) that is
    not a base name: Compose's own ``compose.yaml`` + ``compose.override.yaml`` one
    level down, by the base's name (the first override Compose's order would pick)."""
    pairs: dict[str, str] = {}
    for name in sorted(names):
        stem, dot, ext = name.rpartition(".")
        if not dot or ext not in ("yml", "yaml") or name in COMPOSE_BASE_NAMES:
            continue
        if stem.endswith(".override"):
            continue
        for suffix in (".override.yml", ".override.yaml"):
            override = stem + suffix
            if override in names:
                pairs[name] = override
                break
    return pairs


def compose_units(paths: Iterable[str]) -> list[tuple[tuple[str, ...], bool]]:
    """Group compose files into projects, each a base file followed by its overrides,
    and say which are *fragments*: files no one runs alone (True).

    In one folder, the preferred base file with the first override file Compose looks
    for is the default project; an ``X.yml`` with an ``X.override.yml`` beside it is a
    project of the two (the same convention); each other named file
    (``docker-compose.prod.yml``) is applied to the base on its own, as
    ``docker compose -f base -f named`` would. In a folder without a base file, each
    other compose file is a fragment of a project in another folder (``overrides/``):
    a project of its own, held to the rules but not to what only a whole project must
    satisfy (``compose-projects`` names the real combinations).
    """
    by_folder: dict[str, list[str]] = {}
    for path in paths:
        folder, _, _name = path.rpartition("/")
        by_folder.setdefault(folder, []).append(path)
    projects: list[tuple[tuple[str, ...], bool]] = []
    for folder in sorted(by_folder):
        names = {p.rpartition("/")[2]: p for p in by_folder[folder]}
        pairs = _paired(names)
        paired = {*pairs, *pairs.values()}
        bases = [names[n] for n in COMPOSE_BASE_NAMES if n in names]
        rest = sorted(p for n, p in names.items() if is_override(n) and n not in paired)
        if bases:
            base = bases[0]
            overrides = tuple(names[n] for n in COMPOSE_OVERRIDE_NAMES if n in names)[:1]
            projects.append(((base, *overrides), False))
            projects.extend(((base, p), False) for p in rest if p not in overrides)
        else:
            projects.extend(((p,), True) for p in rest)
        projects.extend(((names[b], names[o]), False) for b, o in sorted(pairs.items()))
        projects.extend(((p,), False) for p in bases[1:])
    return projects


def compose_projects(paths: Iterable[str]) -> list[tuple[str, ...]]:
    """The projects of ``compose_units``, fragments or not."""
    return [group for group, _fragment in compose_units(paths)]
