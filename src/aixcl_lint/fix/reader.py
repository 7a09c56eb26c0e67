"""The files a fix session works on, read the way a run reads them: the texts being
edited in memory, everything else from disk (read once). Kinds' loaders, and the compose
project builder (``compose.Sources``), build documents from it, so ``--fix`` sees
exactly the documents ``check`` saw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aixcl_lint.core import Finding
from aixcl_lint.documents import envfile, mdtree, source, yamltree


class TextReader:
    """A ``kinds.base.Reader`` over in-memory texts (the files being fixed)."""

    def __init__(self, root: Path, texts: dict[str, str], max_bytes: int) -> None:
        self.root = root
        self.texts = texts
        self.max_bytes = max_bytes
        self.problems: list[Finding] = []
        self.read_only: dict[str, str | None] = {}
        """Files read for projects but never edited (env files, extended, included)."""
        self.parsed: dict[str, yamltree.YamlFile] = {}

    def fresh(self) -> None:
        """Forget parses and problems: the texts may have changed."""
        self.parsed.clear()
        self.problems.clear()

    def _text(self, rel: str) -> str | None:
        if rel in self.texts:
            return self.texts[rel]
        if rel not in self.read_only:
            found = source.read(self.root / rel, rel, self.max_bytes, root=self.root)
            self.read_only[rel] = found.text if isinstance(found, source.Source) else None
        return self.read_only[rel]

    def read(self, rel: str) -> source.Source | None:
        """A text being fixed, or a file from disk."""
        text = self._text(rel)
        return source.Source(rel, text) if text is not None else None

    def yaml_file(self, rel: str) -> yamltree.YamlFile:
        """A YAML file, parsed from its current text."""
        if rel not in self.parsed:
            text = self._text(rel)
            self.parsed[rel] = (
                yamltree.parse(rel, text) if text is not None else yamltree.YamlFile(rel, (), ())
            )
        return self.parsed[rel]

    def compose_file(self, rel: str) -> yamltree.YamlFile | None:
        """A compose file of a project, or one it extends or includes (compose.Sources)."""
        return self.yaml_file(rel) if self._text(rel) is not None else None

    def env_text(self, rel: str) -> str | None:
        """An env file's text (compose.Sources)."""
        return self._text(rel)

    def forget(self, rel: str) -> None:
        """Parses are kept for one evaluation (``fresh`` drops them)."""

    def markdown(self, rel: str, *, full: bool = True) -> Any:
        """Fixes never edit Markdown."""
        return None

    def env_for(self, folder: str) -> dict[str, str]:
        """The variables of ``folder``'s ``.env`` file, as the run reads them."""
        rel = f"{folder}/.env" if folder else ".env"
        text = self._text(rel)
        return envfile.parse(rel, text).values if text is not None else {}

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a file or folder inside the repository."""
        full = self.root / path
        try:
            return full.exists() and full.resolve().is_relative_to(self.root)
        except (OSError, RuntimeError):
            return False

    def is_template(self, rel: str) -> bool:
        """Fixes never read Markdown."""
        return False

    def repository(self) -> mdtree.Repository:
        """Fixes ask no questions about other files."""
        raise NotImplementedError("fix sessions do not answer repository questions")

    def inventory(self) -> list[dict[str, Any]]:
        """Fixes never edit the file tree."""
        return []
