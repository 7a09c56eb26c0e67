"""The registry of document kinds: one ``KindSpec`` per kind, by name.

Like pre-commit's ``languages`` dict: adding a kind is one module and one line here.
The policy schema's ``kind`` and ``selector`` enums and the tables of
``docs/policy-language.md`` follow from it (``tests/test_kinds.py`` holds them equal).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping

from aixcl_lint.config import Settings
from aixcl_lint.core import Kind, matchable
from aixcl_lint.kinds import compose, env, markdown, text, tree, yaml
from aixcl_lint.kinds.base import Document, KindSpec, SelectorSpec

__all__ = ["KINDS", "Classifier", "Document", "KindSpec", "SelectorSpec", "targetable"]

KINDS: dict[Kind, KindSpec] = {
    spec.name: spec
    for spec in (compose.SPEC, env.SPEC, markdown.SPEC, yaml.SPEC, text.SPEC, tree.SPEC)
}
"""Every document kind, in classification order (the first exclusive kind claiming a
file's name wins)."""


def targetable() -> list[Kind]:
    """Kinds a rule may target: those with selectors."""
    return [name for name, spec in KINDS.items() if spec.selectors]


class Classifier:
    """Which exclusive kind claims a file: exact paths and path globs the config adds
    (``compose-files``), then the kinds' file-name globs; the first kind wins."""

    def __init__(
        self,
        extra: Mapping[Kind, tuple[str, ...]] | None = None,
        exact: Mapping[str, Kind] | None = None,
    ) -> None:
        self.names = [
            (re.compile(fnmatch.translate(glob)), name)
            for name, spec in KINDS.items()
            if spec.exclusive
            for glob in spec.globs
        ]
        self.exact = dict(exact or {})
        self.paths = []
        if extra:
            from aixcl_lint import globs as patterns

            self.paths = [(patterns.spec(globs), name) for name, globs in extra.items() if globs]

    @classmethod
    def configured(cls, settings: Settings) -> Classifier:
        """The registry's classification with what the config adds for each kind."""
        extra: dict[Kind, tuple[str, ...]] = {}
        exact: dict[str, Kind] = {}
        for name, spec in KINDS.items():
            if spec.configured is not None:
                globs, paths = spec.configured(settings)
                extra[name] = globs
                exact.update((path, name) for path in paths if path not in exact)
        return cls(extra, exact)

    def __call__(self, path: str) -> Kind | None:
        """The kind claiming ``path`` (a repository path), or None."""
        kind = self.exact.get(path)
        if kind is not None:
            return kind
        for spec, name in self.paths:
            if spec.match_file(matchable(path)):
                return name
        base = path.rpartition("/")[2]
        for pattern, name in self.names:
            if pattern.match(base):
                return name
        return None


classify = Classifier()
"""Classification by the registry's globs alone."""
