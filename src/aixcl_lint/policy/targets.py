"""Which files a rule reads: its ``target.files`` globs (perhaps named by an option) and
its ``target.exclude``, compiled once a run and asked once per set of files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aixcl_lint import globs as patterns
from aixcl_lint.core import matchable
from aixcl_lint.policy.model import Rule

__all__ = ["FileFilters", "file_globs"]

_NOTHING = patterns.Simple([])


class FileFilters:
    """Each rule's ``target.files`` globs (perhaps named by an option), compiled once."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, ...], patterns.Spec] = {}
        self.answers: dict[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], bool] = {}
        """Whether the files pass the exclude and file globs, by both (rules share them:
        four security rules read the files the ``locations`` option names)."""

    def _spec(self, globs: tuple[str, ...]) -> patterns.Spec:
        spec = self.cache.get(globs)
        if spec is None:
            spec = self.cache[globs] = patterns.lenient_spec(globs) or _NOTHING
        return spec

    def admits(self, rule: Rule, options: Mapping[str, Any], files: tuple[str, ...]) -> bool:
        """Whether the rule reads a document of ``files``: one of them is not excluded
        and (if the rule names files) matches its globs."""
        return self.passes(rule.exclude, file_globs(rule, options), files)

    def passes(
        self, exclude: tuple[str, ...], globs: tuple[str, ...], files: tuple[str, ...]
    ) -> bool:
        """Whether one of ``files`` is not excluded and (given ``globs``) matches them."""
        if not exclude and not globs:
            return True
        key = (exclude, globs, files)
        found = self.answers.get(key)
        if found is None:
            if len(self.answers) >= _ANSWERS_KEPT:
                self.answers.clear()
            found = self.answers[key] = self._passes(exclude, globs, files)
        return found

    def _passes(
        self, exclude: tuple[str, ...], globs: tuple[str, ...], files: tuple[str, ...]
    ) -> bool:
        if exclude:
            excluded = self._spec(exclude)
            files = tuple(f for f in files if not excluded.match_file(matchable(f)))
            if not files:
                return False
        if not globs:
            return True
        spec = self._spec(globs)
        return any(spec.match_file(matchable(f)) for f in files)


_ANSWERS_KEPT = 256
"""Answers ``FileFilters`` keeps: the rules of one document ask about its files in
turn, and a run's documents come one after another."""


def file_globs(rule: Rule, options: Mapping[str, Any]) -> tuple[str, ...]:
    """The globs of the files a rule reads (none: every file of its kind). A rule may
    name an option holding paths from the repository root (the same paths file-exists
    and one-of compare with), anchored as globs."""
    globs = rule.files
    if isinstance(globs, str):
        found = options.get(globs) or []
        paths = found if isinstance(found, list) else [found]
        globs = tuple("/" + str(p).lstrip("/") for p in paths)
    return globs
