"""One run, end to end: discover -> load documents -> evaluate -> filter to targets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from aixcl_lint import discover
from aixcl_lint.config import Settings
from aixcl_lint.core import Finding, Kind
from aixcl_lint.documents import compose, envfile, source, yamltree
from aixcl_lint.engine import Document, evaluate
from aixcl_lint.policy.loader import builtin_files, load_pack, policy_files
from aixcl_lint.policy.model import Pack


class UsageError(Exception):
    """The command line names something that cannot be linted."""


@dataclass(frozen=True)
class Result:
    """What a run found, and how many files it checked."""

    findings: tuple[Finding, ...]
    files_checked: int


def load_policies(settings: Settings) -> Pack:
    """The built-in pack (unless disabled) followed by the user's policy files."""
    files = [(p, f"<builtin>/{p.name}") for p in builtin_files()] if settings.builtin else []
    for path in policy_files(settings.policy_paths):
        shown = discover.relative(settings.root, path) or str(path)
        files.append((path, shown))
    return load_pack(files)


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
    folders = {
        f.path.rpartition("/")[0] for f in targets.values() if f.kind in (Kind.COMPOSE, Kind.ENV)
    }
    context = [f for f in discover.siblings(root, folders) if f.path not in targets]
    return _Plan(tuple(sorted(targets.values(), key=lambda f: f.path)), tuple(context))


class _Loader:
    """Reads and parses each file at most once per run."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.problems: list[Finding] = []
        self.yaml: dict[str, yamltree.YamlFile] = {}
        self.env: dict[str, dict[str, str]] = {}

    def read(self, rel: str) -> source.Source | None:
        loaded = source.read(self.settings.root / rel, rel, self.settings.max_file_bytes)
        if isinstance(loaded, Finding):
            self.problems.append(loaded)
            return None
        return loaded

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


def lint(settings: Settings, paths: Iterable[Path], pack: Pack) -> Result:
    """Lint ``paths`` (or the whole repository) with ``pack``."""
    plan = _plan(settings, paths)
    kinds = {rule.kind for rule in pack.rules}
    loader = _Loader(settings)
    documents: list[Document] = []
    everything = (*plan.files, *plan.context)
    if Kind.COMPOSE in kinds:
        compose_paths = [f.path for f in everything if f.kind is Kind.COMPOSE]
        for group in discover.compose_projects(compose_paths):
            files = [loader.yaml_file(rel) for rel in group]
            env = loader.env_for(group[0].rpartition("/")[0])
            project, problems = compose.build_project(files, env)
            loader.problems.extend(problems)
            if project is not None:
                documents.append(Document(Kind.COMPOSE, project.files, project))
    for f in plan.files:
        if f.kind is Kind.ENV:
            loader.env_for(f.path.rpartition("/")[0])
    findings = set(evaluate(pack, documents, settings.rule_options)) | set(loader.problems)
    wanted = {f.path for f in plan.files}
    return Result(tuple(sorted(f for f in findings if f.path in wanted)), len(plan.files))
