"""One run, end to end: discover -> load documents -> evaluate -> select -> findings."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pathspec

from aixcl_lint import discover
from aixcl_lint.config import ConfigError, Settings
from aixcl_lint.core import Finding, Kind
from aixcl_lint.documents import compose, envfile, source, yamltree
from aixcl_lint.documents.problems import PROBLEMS
from aixcl_lint.engine import Document, evaluate, fingerprints
from aixcl_lint.policy.loader import builtin_files, load_pack, policy_files
from aixcl_lint.policy.model import Pack
from aixcl_lint.suppress.selection import Selection, unknown


class UsageError(Exception):
    """The command line names something that cannot be linted."""


@dataclass(frozen=True)
class Result:
    """What a run found, and how many files it checked."""

    findings: tuple[Finding, ...]
    files_checked: int
    fingerprints: Mapping[Finding, str]


def load_policies(settings: Settings) -> Pack:
    """The built-in pack (unless disabled) followed by the user's policy files."""
    files = [(p, f"<builtin>/{p.name}") for p in builtin_files()] if settings.builtin else []
    for path in policy_files(settings.policy_paths):
        shown = discover.relative(settings.root, path) or str(path)
        files.append((path, shown))
    return load_pack(files)


def known_ids(pack: Pack) -> list[str]:
    """Every id a finding of this pack may carry: rules, sub-ids, file problems."""
    ids = list(PROBLEMS)
    for rule in pack.rules:
        ids.append(rule.id)
        ids.extend(rule.full_id(check) for check in rule.checks)
    return ids


def selection(settings: Settings, pack: Pack) -> Selection:
    """The settings' select / ignore / severity / options, checked against the pack."""
    ids = known_ids(pack)
    for key, entries in (
        ("select", settings.select),
        ("ignore", settings.ignore),
        ("severity", tuple(settings.severity)),
        ("options", tuple(settings.rule_options)),
    ):
        for entry in unknown(entries, ids):
            path, line = settings.where(f"{key}.{entry}")
            raise ConfigError(path, line, f"{key}: unknown rule id {entry!r}")
    rules = pack.by_id()
    for rule_id, options in settings.rule_options.items():
        rule = rules.get(rule_id)
        for name in options:
            if rule is None or name not in rule.options:
                path, line = settings.where(f"options.{rule_id}")
                known = ", ".join(sorted(rule.options)) if rule else "none"
                raise ConfigError(
                    path, line, f"options: {rule_id} has no option {name!r} (options: {known})"
                )
    return Selection(settings.select, settings.ignore, settings.severity)


@dataclass(frozen=True)
class _Plan:
    files: tuple[discover.SourceFile, ...]
    context: tuple[discover.SourceFile, ...]


def _plan(settings: Settings, paths: Iterable[Path]) -> _Plan:
    root = settings.root
    targets: dict[str, discover.SourceFile] = {}
    named = list(paths)
    if not named:
        targets = {f.path: f for f in discover.walk(root)}
    for path in named:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        rel = discover.relative(root, path)
        if rel is None:
            raise UsageError(f"{path}: outside the repository at {root}")
        if path.is_dir():
            start = "" if rel == "." else rel
            targets.update((f.path, f) for f in discover.walk(root, start))
            continue
        kind = discover.classify(path.name)
        if kind is not None:
            targets[rel] = discover.SourceFile(rel, kind)
    if not named or settings.force_exclude:
        targets = _filtered(settings, targets)
    folders = {
        f.path.rpartition("/")[0] for f in targets.values() if f.kind in (Kind.COMPOSE, Kind.ENV)
    }
    context = [f for f in discover.siblings(root, folders) if f.path not in targets]
    return _Plan(tuple(sorted(targets.values(), key=lambda f: f.path)), tuple(context))


def _filtered(
    settings: Settings, targets: dict[str, discover.SourceFile]
) -> dict[str, discover.SourceFile]:
    """Targets the config's ``include`` and ``exclude`` globs keep."""
    if settings.exclude:
        excluded = pathspec.GitIgnoreSpec.from_lines(settings.exclude)
        targets = {p: f for p, f in targets.items() if not excluded.match_file(p)}
    if settings.include:
        included = pathspec.GitIgnoreSpec.from_lines(settings.include)
        targets = {p: f for p, f in targets.items() if included.match_file(p)}
    return targets


class _Loader:
    """Reads and parses each file at most once per run."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.problems: list[Finding] = []
        self.yaml: dict[str, yamltree.YamlFile] = {}
        self.env: dict[str, dict[str, str]] = {}
        self.lines: dict[str, list[str]] = {}

    def read(self, rel: str) -> source.Source | None:
        loaded = source.read(self.settings.root / rel, rel, self.settings.max_file_bytes)
        if isinstance(loaded, Finding):
            self.problems.append(loaded)
            return None
        self.lines[rel] = loaded.text.splitlines()
        return loaded

    def line_text(self, rel: str, line: int) -> str:
        lines = self.lines.get(rel, [])
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def yaml_file(self, rel: str) -> yamltree.YamlFile:
        if rel not in self.yaml:
            text = self.read(rel)
            parsed = yamltree.parse(rel, text.text) if text else yamltree.YamlFile(rel, (), ())
            self.problems.extend(parsed.problems)
            self.yaml[rel] = parsed
        return self.yaml[rel]

    def env_for(self, folder: str) -> dict[str, str]:
        if folder not in self.env:
            rel = f"{folder}/.env" if folder else ".env"
            values: dict[str, str] = {}
            if (self.settings.root / rel).is_file():
                text = self.read(rel)
                if text is not None:
                    parsed = envfile.parse(rel, text.text)
                    self.problems.extend(parsed.problems)
                    values = parsed.values
            self.env[folder] = values
        return self.env[folder]


def _compose_groups(settings: Settings, paths: list[str]) -> list[tuple[str, ...]]:
    """Projects from the config's ``compose-projects``, then the automatic grouping."""
    present = set(paths)
    explicit = [g for g in settings.compose_projects if any(p in present for p in g)]
    claimed = {p for group in explicit for p in group}
    automatic = discover.compose_projects(p for p in paths if p not in claimed)
    existing = [tuple(p for p in g if (settings.root / p).is_file()) for g in explicit]
    return [g for g in existing if g] + automatic


def _compose_documents(
    settings: Settings, loader: _Loader, everything: Iterable[discover.SourceFile]
) -> list[Document]:
    documents = []
    paths = [f.path for f in everything if f.kind is Kind.COMPOSE]
    for group in _compose_groups(settings, paths):
        files = [loader.yaml_file(rel) for rel in group]
        env = loader.env_for(group[0].rpartition("/")[0])
        project, problems = compose.build_project(files, env)
        loader.problems.extend(problems)
        if project is not None:
            documents.append(Document(Kind.COMPOSE, project.files, project))
    return documents


def lint(settings: Settings, paths: Iterable[Path], pack: Pack) -> Result:
    """Lint ``paths`` (or the whole repository) with ``pack``."""
    # A run allocates many small objects and makes no cycles worth collecting: the
    # cyclic collector's passes over the growing heap cost a fifth of a large run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _lint(settings, paths, pack)
    finally:
        if collecting:
            gc.enable()


def _lint(settings: Settings, paths: Iterable[Path], pack: Pack) -> Result:
    chosen = selection(settings, pack)
    pack = Pack(tuple(r for r in pack.rules if not chosen.excludes_rule(r.id)))
    plan = _plan(settings, paths)
    loader = _Loader(settings)
    documents: list[Document] = []
    if any(rule.kind is Kind.COMPOSE for rule in pack.rules):
        documents += _compose_documents(settings, loader, (*plan.files, *plan.context))
    for f in plan.files:
        if f.kind is Kind.ENV:
            loader.env_for(f.path.rpartition("/")[0])
    found = set(evaluate(pack, documents, settings.rule_options)) | set(loader.problems)
    wanted = {f.path for f in plan.files}
    kept = tuple(sorted(chosen.apply(f for f in found if f.path in wanted)))
    return Result(kept, len(plan.files), fingerprints(kept, loader.line_text))
