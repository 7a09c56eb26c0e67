"""Reading and parsing each file once, and building compose projects from them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from aixcl_lint import discover
from aixcl_lint.config import Settings
from aixcl_lint.core import Finding, Kind
from aixcl_lint.documents import compose, envfile, mdtree, source, yamltree
from aixcl_lint.documents.markdown import MarkdownDocument
from aixcl_lint.documents.markdown import parse as parse_markdown
from aixcl_lint.engine import Document

Group = tuple[str, ...]


class Loader:
    """Reads and parses each file at most once; collects the problems found doing so."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.problems: list[Finding] = []
        self.yaml: dict[str, yamltree.YamlFile] = {}
        self.env: dict[str, dict[str, str]] = {}
        self.lines: dict[str, list[str]] = {}
        self.markdown_docs: dict[str, MarkdownDocument | None] = {}
        self.present: dict[str, bool] = {}

    def read(self, rel: str) -> source.Source | None:
        """A file's text, or None (with a finding) if it cannot be scanned."""
        loaded = source.read(self.settings.root / rel, rel, self.settings.max_file_bytes)
        if isinstance(loaded, Finding):
            self.problems.append(loaded)
            return None
        self.lines[rel] = loaded.text.splitlines()
        return loaded

    def text(self, rel: str) -> str | None:
        """A file's whole text, without reporting a file that cannot be read again."""
        if rel not in self.lines:
            loaded = source.read(self.settings.root / rel, rel, self.settings.max_file_bytes)
            self.lines[rel] = loaded.text.splitlines() if isinstance(loaded, source.Source) else []
        return "\n".join(self.lines[rel])

    def line_text(self, rel: str, line: int) -> str:
        """One line of a file (read now if this loader has not read it)."""
        if rel not in self.lines:
            loaded = source.read(self.settings.root / rel, rel, self.settings.max_file_bytes)
            self.lines[rel] = loaded.text.splitlines() if isinstance(loaded, source.Source) else []
        lines = self.lines[rel]
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def yaml_file(self, rel: str) -> yamltree.YamlFile:
        """A YAML file, parsed."""
        if rel not in self.yaml:
            text = self.read(rel)
            parsed = yamltree.parse(rel, text.text) if text else yamltree.YamlFile(rel, (), ())
            self.problems.extend(parsed.problems)
            self.yaml[rel] = parsed
        return self.yaml[rel]

    def markdown(self, rel: str) -> MarkdownDocument | None:
        """A Markdown file, parsed (None if it cannot be read)."""
        if rel not in self.markdown_docs:
            text = self.read(rel)
            doc = parse_markdown(rel, text.text) if text is not None else None
            if doc is not None:
                self.problems.extend(doc.problems)
            self.markdown_docs[rel] = doc
        return self.markdown_docs[rel]

    # The Repository protocol, for Markdown documents' questions about other files.

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a file or folder inside the repository."""
        if path not in self.present:
            full = self.settings.root / path
            try:
                self.present[path] = full.exists() and full.resolve().is_relative_to(
                    self.settings.root
                )
            except (OSError, RuntimeError):
                self.present[path] = False
        return self.present[path]

    def anchors(self, path: str) -> frozenset[str] | None:
        """Heading slugs and HTML anchors of a Markdown file."""
        doc = self._markdown_target(path)
        if doc is None:
            return None
        names = [h["slug"] for h in doc.data["headings"]] + [a["name"] for a in doc.data["anchors"]]
        return frozenset(name.lower() for name in names)

    def numbers(self, path: str) -> frozenset[str] | None:
        """Section numbers of a Markdown file's headings."""
        doc = self._markdown_target(path)
        if doc is None:
            return None
        return frozenset(h["number"] for h in doc.data["headings"] if h["number"])

    def _markdown_target(self, path: str) -> MarkdownDocument | None:
        if not path.endswith((".md", ".markdown")) or not self.exists(path):
            return None
        return self.markdown(path)

    def env_for(self, folder: str) -> dict[str, str]:
        """The variables of the ``.env`` file in ``folder`` (empty if there is none)."""
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


def compose_groups(settings: Settings, files: Iterable[discover.SourceFile]) -> list[Group]:
    """Projects from the config's ``compose-projects``, then the automatic grouping."""
    paths = [f.path for f in files if f.kind is Kind.COMPOSE]
    present = set(paths)
    explicit = [g for g in settings.compose_projects if any(p in present for p in g)]
    claimed = {p for group in explicit for p in group}
    automatic = discover.compose_projects(p for p in paths if p not in claimed)
    existing = [tuple(p for p in g if (settings.root / p).is_file()) for g in explicit]
    return [g for g in existing if g] + automatic


def compose_documents(loader: Loader, groups: list[Group]) -> Iterator[Document]:
    """Each compose project in turn; a file's parse is dropped after its last project."""
    last_use = {path: i for i, group in enumerate(groups) for path in group}
    for i, group in enumerate(groups):
        files = [loader.yaml_file(rel) for rel in group]
        env = loader.env_for(group[0].rpartition("/")[0])
        project, problems = compose.build_project(files, env)
        loader.problems.extend(problems)
        del files
        for rel in group:
            if last_use[rel] == i:
                loader.yaml.pop(rel, None)
        if project is not None:
            yield Document(Kind.COMPOSE, project.files, project)


def markdown_documents(loader: Loader, files: Iterable[discover.SourceFile]) -> Iterator[Document]:
    """Each Markdown target with its derived facts (links resolved against the repository)."""
    for f in files:
        if f.kind is Kind.MARKDOWN:
            doc = loader.markdown(f.path)
            if doc is not None:
                yield Document(Kind.MARKDOWN, (f.path,), mdtree.enrich(doc, loader))
