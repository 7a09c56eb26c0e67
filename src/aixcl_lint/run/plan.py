"""What a run lints: the target files, and the files it reads only for context."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import field
from pathlib import Path

from aixcl_lint import discover, globs
from aixcl_lint.config import ConfigError, Settings
from aixcl_lint.core import matchable
from aixcl_lint.kinds import KINDS, Classifier, compose
from aixcl_lint.records import record


class UsageError(Exception):
    """The command line names something that cannot be linted."""


@record
class Plan:
    """Targets (reported on) and context (compose siblings and .env files, read only)."""

    files: tuple[discover.SourceFile, ...]
    """Files an exclusive kind (compose, env, Markdown) claims."""
    context: tuple[discover.SourceFile, ...]
    complete: bool = False
    """Whether the run covers the whole repository (no paths were named)."""
    warnings: tuple[str, ...] = ()
    """Named files not checked, each with why (one line each)."""
    listing: discover.Files | None = field(default=None, compare=False)
    """The repository's files the plan was made from."""
    others: tuple[str, ...] = ()
    """Files of the run no exclusive kind claims: kinds that read any file by glob
    (yaml, text) choose among them."""
    named_others: tuple[tuple[str, str], ...] = ()
    """Of ``others``, those named on the command line (path, as named): a warning
    unless some rule reads them."""


def kinds(settings: Settings) -> discover.Classify:
    """Each path's kind, by the kinds registry and what the config adds to it
    (``compose-files`` globs, every file ``compose-projects`` names)."""
    return Classifier.configured(settings)


def plan(settings: Settings, paths: Iterable[Path]) -> Plan:
    """The files to lint for ``paths`` (the whole repository when there are none)."""
    root = settings.root
    files = discover.Files(root)
    kind_of = kinds(settings)
    found: dict[str, str | None] = {}
    warnings: list[str] = []
    named = list(paths)
    shown: dict[str, str] = {}
    if not named:
        found = dict.fromkeys(files.under(""))
    stdin = settings.stdin[0] if settings.stdin else None
    relative = {path: discover.relative(root, path) for path in named}
    # Named files (pre-commit's): git is asked about their folders only.
    files.scope(
        rel.rpartition("/")[0]
        for rel in relative.values()
        if rel is not None and rel != stdin and not (root / rel).is_dir()
    )
    for path in named:
        rel = relative[path]
        if rel == stdin and rel is not None:  # read from standard input, not from disk
            # (whether a rule reads it is known once the units are: run._planned)
            found[rel], shown[rel] = None, str(path)
            continue
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
        if rel is None:
            raise UsageError(f"{path}: outside the repository at {root}")
        if (root / rel).is_dir():  # what a folder holds: include / exclude apply (ruff's)
            start = "" if rel == "." else rel
            found.update(_filtered(settings, dict.fromkeys(files.under(start))))
        elif kind_of(rel) is not None and not files.listed(rel):
            warnings.append(f"{path}: not one of git's files (ignored or untracked); not checked")
        elif files.listed(rel):
            found[rel], shown[rel] = None, str(path)
        else:
            warnings.append(f"{path}: no kind of file aixcl-lint reads; not checked")
    if not named or settings.force_exclude:
        found = _filtered(settings, found)
    kind_of = _env_named(settings, files if named else None, found, kind_of)
    targets: dict[str, discover.SourceFile] = {}
    others = []
    for rel in found:
        kind = kind_of(rel)
        if kind is None:
            others.append(rel)
        else:
            targets[rel] = discover.SourceFile(rel, kind)
    # A whole-repository walk already holds every file a project could need.
    contextual = {name for name, spec in KINDS.items() if spec.context}
    folders = {
        f.path.rpartition("/")[0] for f in targets.values() if named and f.kind in contextual
    }
    context = [
        f for f in discover.siblings(files, folders, kind_of, contextual) if f.path not in targets
    ]
    if named:
        context = _named_by_env(settings, targets, context)
    warnings.extend(files.warnings)
    return Plan(
        tuple(sorted(targets.values(), key=lambda f: f.path)),
        tuple(context),
        complete=not named,
        warnings=tuple(warnings),
        listing=files,
        others=tuple(sorted(others)),
        named_others=tuple((p, shown[p]) for p in sorted(others) if p in shown),
    )


def _env_named(
    settings: Settings,
    files: discover.Files | None,
    found: Mapping[str, str | None],
    kind_of: discover.Classify,
) -> discover.Classify:
    """``kind_of``, with the files a folder's ``.env`` names in ``COMPOSE_FILE`` claimed
    as compose files whatever their names (``a.yml:b.yml``): ``docker compose`` run in
    that folder reads them as its project. ``files``: the listing, for a run on named
    files (None: ``found`` is the whole repository)."""
    listed = found.__contains__ if files is None else files.listed
    folders = {rel.rpartition("/")[0] for rel in found}
    if not any(listed(f"{folder}/.env" if folder else ".env") for folder in folders):
        return kind_of
    from aixcl_lint.run.units import env_reader

    read = env_reader(settings)
    named = {
        path
        for group in compose.env_projects(folders, read).values()
        for path in group
        if listed(path)
    }
    if not named:
        return kind_of
    return lambda rel: compose.NAME if rel in named else kind_of(rel)


def _named_by_env(
    settings: Settings, targets: dict[str, discover.SourceFile], context: list[discover.SourceFile]
) -> list[discover.SourceFile]:
    """The context left once a named ``.env`` has named its folder's compose files: its
    values are what they interpolate (``TAG=latest`` puts ``nginx:latest`` in the compose
    file), so a commit that changes only ``.env`` checks the projects that read it, and
    their findings, in whichever compose file, are reported. Excluded files stay out."""
    env_folders = {
        f.path.rpartition("/")[0] for f in targets.values() if f.path.rpartition("/")[2] == ".env"
    }
    wanted: dict[str, str | None] = {
        f.path: None
        for f in context
        if f.kind == compose.NAME and f.path.rpartition("/")[0] in env_folders
    }
    if not wanted:
        return context
    kept = _filtered(settings, wanted)
    targets.update((f.path, f) for f in context if f.path in kept)
    return [f for f in context if f.path not in kept]


def _filtered(settings: Settings, targets: dict[str, str | None]) -> dict[str, str | None]:
    """Targets the config's ``include`` and ``exclude`` globs keep."""
    if settings.exclude:
        excluded = _spec(settings, "exclude")
        targets = {p: f for p, f in targets.items() if not excluded.match_file(matchable(p))}
    if settings.include:
        included = _spec(settings, "include")
        targets = {p: f for p, f in targets.items() if included.match_file(matchable(p))}
    return targets


def configured(settings: Settings) -> Callable[[str], bool]:
    """Whether the config's ``include`` and ``exclude`` keep a path (as ``_filtered``
    keeps targets): for files a project reads that are no target of the run."""
    excluded = _spec(settings, "exclude") if settings.exclude else None
    included = _spec(settings, "include") if settings.include else None

    def keeps(path: str) -> bool:
        name = matchable(path)
        if excluded is not None and excluded.match_file(name):
            return False
        return included is None or bool(included.match_file(name))

    return keeps


def _spec(settings: Settings, key: str) -> globs.Spec:
    try:
        return globs.spec(getattr(settings, key))
    except globs.PatternError as exc:
        path, line = settings.where(key)
        raise ConfigError(path, line, f"{key}: {exc}") from None
