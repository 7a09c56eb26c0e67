"""``tree``: the repository's file list as one document, for rules about which files
exist: paths required or forbidden by glob, tracked or ignored, their sizes."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import field
from typing import Any

from aixcl_lint.core import Location, Pointer, Span, matchable
from aixcl_lint.kinds.base import (
    BOOLEAN,
    SCALAR,
    Document,
    Field,
    KindSpec,
    Planned,
    Reader,
    SelectorSpec,
    Subject,
    Tree,
    Unit,
    repository_of,
)
from aixcl_lint.records import record

NAME = "tree"
ROOT = "."
"""The path findings about the repository as a whole are reported at."""


@record
class FileTree:
    """The repository's files: ``data["files"]`` holds each one's facts."""

    data: dict[str, Any]
    repo: Any = field(default=None, compare=False)
    """The run's answers about other files (``kinds.base.Sources``), for relations."""

    def location(self, ptr: Pointer, *, value: bool = False) -> Location:
        """A file's first line (a file's facts or its path); the repository otherwise."""
        if len(ptr) >= 2 and ptr[0] == "files" and isinstance(ptr[1], int):
            return Location(self.data["files"][ptr[1]]["path"], Span.at(1))
        if len(ptr) >= 2 and ptr[0] == "paths" and isinstance(ptr[1], int):
            return Location(self.data["paths"][ptr[1]], Span.at(1))
        return Location(ROOT, Span.at(1))

    def locations(self, ptr: Pointer) -> list[Location]:
        """The one place ``ptr`` stands for."""
        return [self.location(ptr)]

    def interpolate(self, value: Any) -> str:
        """A value as text."""
        return value if isinstance(value, str) else str(value).lower()

    def exists(self, path: str) -> bool:
        """Whether ``path`` is one of the files, or a folder holding one."""
        return path in self.data["index"] or any(
            p.startswith(path.rstrip("/") + "/") for p in self.data["paths"]
        )


FILE = (
    Field("path", "repository path"),
    Field("name", "the file name"),
    Field("folder", "the folder's path, empty at the top"),
    Field("size", "in bytes"),
    Field("tracked", "git tracks it; false outside git", values=BOOLEAN),
    Field(
        "ignored",
        "an ignore source names it: `.gitignore`, `.git/info/exclude`, `core.excludesFile`",
    ),
)


@functools.lru_cache(maxsize=64)
def _spec(glob: str) -> Any:
    from aixcl_lint import globs

    return globs.spec([glob])


def _repository(tree: Tree, _: str) -> Iterator[Subject]:
    assert isinstance(tree, FileTree)
    yield Subject(tree, (), {"path": ROOT}, tree.data)


def _files(tree: Tree, glob: str) -> Iterator[Subject]:
    assert isinstance(tree, FileTree)
    spec = _spec(glob) if glob else None
    for i, facts in enumerate(tree.data["files"]):
        if spec is None or spec.match_file(matchable(facts["path"])):
            yield Subject(tree, ("files", i), {"path": facts["path"], "name": facts["name"]}, facts)


def _units(planned: Planned) -> list[Unit]:
    return [Unit(NAME, (ROOT,), ROOT)]


def _load(reader: Reader, units: Sequence[Unit]) -> Iterator[Document]:
    if units:
        files = sorted(reader.inventory(), key=lambda f: f["path"])
        for facts in files:
            folder, _, name = facts["path"].rpartition("/")
            facts.update(folder=folder, name=name)
        paths = [f["path"] for f in files]
        data = {"files": files, "paths": paths, "index": frozenset(paths), "count": len(files)}
        yield Document(NAME, (ROOT,), FileTree(data, repository_of(reader)))


SPEC = KindSpec(
    name=NAME,
    summary=(
        "The repository's file list as one document: the files a run lints (inside git, "
        "git's own list) plus every tracked file, even one an ignore file names. Each "
        "file is known by path, size, and whether git tracks it and an ignore file names "
        "it. Findings about one file point at it; findings about the repository (a "
        "required file missing) are reported at `.`. A run on named files (pre-commit's) "
        "reports a tree rule's findings about those files only, and its findings about "
        "the repository not at all: they come with a whole-repository run "
        "([pre-commit](pre-commit.md))."
    ),
    globs=(),
    selectors={
        "repository": SelectorSpec(
            "the repository",
            ("path",),
            _repository,
            (
                Field("files", items=FILE),
                Field("paths", "every file's path", items=SCALAR),
                Field("count", "how many files"),
            ),
        ),
        "files": SelectorSpec(
            "each file (matching the glob, if given)",
            ("path", "name"),
            _files,
            FILE,
            parameter="glob",
        ),
    },
    units=_units,
    load=_load,
    exclusive=False,
    capabilities=frozenset({"exists", "git", "repository"}),
    repository_wide=True,
)
