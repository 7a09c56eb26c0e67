"""What a loader reads for compose projects: YAML files parsed once, the last few kept
after their project is built, and the env files Compose reads beside them."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from aixcl_lint import fsio
from aixcl_lint.core import Finding

if TYPE_CHECKING:  # YAML modules are imported only by runs that read YAML files
    from aixcl_lint.config import Settings
    from aixcl_lint.documents import source, yamltree


KEEP_PARSES = 8
"""Most compose files' parses a loader keeps after their project is built, for the
next projects that use the same file (a base and the override files of its folder
make projects of their own: 41 of the medium corpus's 1,000 files were parsed twice)."""


class ComposeReads:
    """The compose.Sources half of ``run.load.Loader``, which sets these fields up."""

    settings: Settings
    problems: list[Finding]
    yaml: dict[str, yamltree.YamlFile]
    parsed: dict[str, yamltree.YamlFile]
    composed: set[str]
    env: dict[str, dict[str, str]]
    env_texts: dict[str, str | None]
    _root: str

    def read(self, rel: str) -> source.Source | None:
        """A file's text, or None (with a finding) if it cannot be scanned."""
        raise NotImplementedError

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a file or folder inside the repository."""
        raise NotImplementedError

    def yaml_file(self, rel: str) -> yamltree.YamlFile:
        """A YAML file, parsed."""
        self.composed.add(rel)
        if rel not in self.yaml:
            text = self.read(rel)
            from aixcl_lint.documents import yamltree

            parsed = self._parsed(rel, text.text) if text else yamltree.YamlFile(rel, (), ())
            self.problems.extend(parsed.problems)
            self.yaml[rel] = parsed
        return self.yaml[rel]

    def _parsed(self, rel: str, text: str) -> yamltree.YamlFile:
        """A YAML text's parse: kept from the file's last project if its text is the same
        (it is read again, so what reading it notes and reports is as before)."""
        from aixcl_lint.documents import yamltree

        kept = self.parsed.pop(rel, None)
        if kept is not None and kept.digest == yamltree.text_digest(text):
            return kept
        return yamltree.parse(rel, text)

    def forget(self, rel: str) -> None:
        """Drop a YAML file's parse (its last project has been built): the last few are
        kept for the next projects (``KEEP_PARSES``)."""
        parsed = self.yaml.pop(rel, None)
        if parsed is not None and parsed.digest:  # (no digest: a file refused whole)
            self.parsed[rel] = parsed
            if len(self.parsed) > KEEP_PARSES:
                del self.parsed[next(iter(self.parsed))]

    def env_text(self, rel: str) -> str | None:
        """An env file's text, if it is a file in the repository (compose.Sources)."""
        if rel not in self.env_texts:
            text = None
            full = os.path.join(self._root, rel)  # a FIFO or an outside symlink: a finding
            if os.path.lexists(full) and not os.path.isdir(full) and not fsio.dangling(full):
                found = self.read(rel)
                text = found.text if found is not None else None
            self.env_texts[rel] = text
        return self.env_texts[rel]

    def compose_file(self, rel: str) -> yamltree.YamlFile | None:
        """A compose file of a project, or one it extends or includes, if it is in the
        repository (compose.Sources)."""
        if rel in self.yaml:
            self.composed.add(rel)
            return self.yaml[rel]
        return (
            self.yaml_file(rel)
            if self.exists(rel) and os.path.isfile(os.path.join(self._root, rel))
            else None
        )

    def env_for(self, folder: str) -> dict[str, str]:
        """The variables of the ``.env`` file in ``folder`` (empty if there is none)."""
        if folder not in self.env:
            rel = f"{folder}/.env" if folder else ".env"
            values: dict[str, str] = {}
            env_file = os.path.join(self._root, rel)  # a FIFO or an outside symlink: a finding
            if (
                os.path.lexists(env_file)
                and not os.path.isdir(env_file)
                and not fsio.dangling(env_file)
            ):
                text = self.read(rel)
                if text is not None:
                    from aixcl_lint.documents import envfile

                    parsed = envfile.parse(rel, text.text)
                    self.problems.extend(parsed.problems)
                    values = parsed.values
            self.env[folder] = values
        return self.env[folder]
