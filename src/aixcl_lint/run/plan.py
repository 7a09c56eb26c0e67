"""What a run lints: the target files, and the files it reads only for context."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from aixcl_lint import discover
from aixcl_lint.config import Settings
from aixcl_lint.core import Kind, matchable


class UsageError(Exception):
    """The command line names something that cannot be linted."""


@dataclass(frozen=True)
class Plan:
    """Targets (reported on) and context (compose siblings and .env files, read only)."""

    files: tuple[discover.SourceFile, ...]
    context: tuple[discover.SourceFile, ...]
    complete: bool = False
    """Whether the run covers the whole repository (no paths were named)."""
    warnings: tuple[str, ...] = ()
    """Named files not checked, each with why (one line each)."""
    listing: discover.Files | None = field(default=None, compare=False)
    """The repository's files the plan was made from."""


def kinds(settings: Settings) -> discover.Classify:
    """Each path's kind: by name, or compose for the config's ``compose-files`` globs
    and every file ``compose-projects`` names."""
    named = (p for group in settings.compose_projects for p in group)
    return discover.classifier(settings.compose_files, named)


def plan(settings: Settings, paths: Iterable[Path]) -> Plan:
    """The files to lint for ``paths`` (the whole repository when there are none)."""
    root = settings.root
    files = discover.Files(root)
    kind_of = kinds(settings)
    targets: dict[str, discover.SourceFile] = {}
    warnings: list[str] = []
    named = list(paths)
    if not named:
        targets = {f.path: f for f in discover.walk(files, "", kind_of)}
    stdin = settings.stdin[0] if settings.stdin else None
    for path in named:
        rel = discover.relative(root, path)
        if rel == stdin and rel is not None:  # read from standard input, not from disk
            kind = kind_of(rel)
            if kind is None:
                raise UsageError(f"--stdin-filename {rel}: not a file kind aixcl-lint reads")
            targets[rel] = discover.SourceFile(rel, kind)
            continue
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
        if rel is None:
            raise UsageError(f"{path}: outside the repository at {root}")
        if (root / rel).is_dir():
            start = "" if rel == "." else rel
            targets.update((f.path, f) for f in discover.walk(files, start, kind_of))
            continue
        kind = kind_of(rel)
        if kind is None:
            warnings.append(f"{path}: no kind of file aixcl-lint reads; not checked")
        elif not files.listed(rel):
            warnings.append(f"{path}: not one of git's files (ignored or untracked); not checked")
        else:
            targets[rel] = discover.SourceFile(rel, kind)
    if not named or settings.force_exclude:
        targets = _filtered(settings, targets)
    # A whole-repository walk already holds every file a project could need.
    folders = {
        f.path.rpartition("/")[0]
        for f in targets.values()
        if named and f.kind in (Kind.COMPOSE, Kind.ENV)
    }
    context = [f for f in discover.siblings(files, folders, kind_of) if f.path not in targets]
    warnings.extend(files.warnings)
    ordered = tuple(sorted(targets.values(), key=lambda f: f.path))
    return Plan(
        ordered, tuple(context), complete=not named, warnings=tuple(warnings), listing=files
    )


def _filtered(
    settings: Settings, targets: dict[str, discover.SourceFile]
) -> dict[str, discover.SourceFile]:
    """Targets the config's ``include`` and ``exclude`` globs keep."""
    if settings.exclude:
        excluded = pathspec.GitIgnoreSpec.from_lines(settings.exclude)
        targets = {p: f for p, f in targets.items() if not excluded.match_file(matchable(p))}
    if settings.include:
        included = pathspec.GitIgnoreSpec.from_lines(settings.include)
        targets = {p: f for p, f in targets.items() if included.match_file(matchable(p))}
    return targets
