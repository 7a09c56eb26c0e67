"""``env``: ``KEY=value`` files as Compose reads them (``documents.envfile``). Compose
projects interpolate with them and relations read their variables; a rule may select
their variables, and their lines are checked in every run."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import field
from typing import TYPE_CHECKING, Any

from aixcl_lint.core import Location, Pointer, Position, Span
from aixcl_lint.kinds.base import (
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
    single_units,
)
from aixcl_lint.records import record

if TYPE_CHECKING:  # the parser is imported by a run that reads an env file
    from aixcl_lint.documents.envfile import EnvFile

NAME = "env"


@record
class EnvTree:
    """An env file's variables in file order: ``data["variables"]`` holds each one's
    ``key`` and ``value`` (expanded as Compose expands it) and where it was written."""

    path: str
    data: dict[str, Any]
    repo: Any = field(default=None, compare=False)
    """The run's answers about other files (``kinds.base.Sources``), for relations."""

    def location(self, ptr: Pointer, *, value: bool = False) -> Location:
        """A variable's key (also for its ``key`` field), or with ``value`` (or for
        ``value``) where its value starts."""
        if len(ptr) >= 2 and ptr[0] == "variables" and isinstance(ptr[1], int):
            found = self.data["variables"][ptr[1]]
            if (value and ptr[2:3] != ("key",)) or ptr[2:3] == ("value",):
                column = found["column"]
                return Location(
                    self.path,
                    Span(Position(found["line"], column), Position(found["line"], column)),
                )
            return Location(self.path, Span.at(found["line"], found["key_column"]))
        return Location(self.path, Span.at(1))

    def locations(self, ptr: Pointer) -> list[Location]:
        """The one place ``ptr`` was written."""
        return [self.location(ptr)]

    def interpolate(self, value: Any) -> str:
        """A value as text (already expanded)."""
        return value if isinstance(value, str) else str(value)


def parse(path: str, text: str, repo: Any = None) -> EnvTree:
    """An env file's variables, in the order they are set (a key set twice: its last)."""
    from aixcl_lint.documents import envfile

    return tree_of(envfile.parse(path, text), text, repo)


def tree_of(parsed: EnvFile, text: str, repo: Any = None) -> EnvTree:
    """The tree of a parsed env file."""
    path = parsed.path
    lines = text.replace("\r\n", "\n").split("\n")
    variables = []
    for key, line in sorted(parsed.lines.items(), key=lambda item: item[1]):
        written = lines[line - 1] if line <= len(lines) else ""
        variables.append(
            {
                "key": key,
                "value": parsed.values[key],
                "line": line,
                "column": parsed.columns.get(key, 1),
                "key_column": max(written.find(key), 0) + 1,
            }
        )
    stem = path.rpartition("/")[2]
    stem = stem.removesuffix(".env") or stem
    return EnvTree(path, {"variables": variables, "stem": stem}, repo)


def _variables(tree: Tree, name: str) -> Iterator[Subject]:
    assert isinstance(tree, EnvTree)
    for i, found in enumerate(tree.data["variables"]):
        if not name or found["key"] == name:
            variables = {
                "path": tree.path,
                "stem": tree.data["stem"],
                "key": found["key"],
                "value": found["value"],
            }
            yield Subject(tree, ("variables", i), variables, found)


def _units(planned: Planned) -> list[Unit]:
    return single_units(NAME, planned.of(NAME))


def _load(reader: Reader, units: Sequence[Unit]) -> Iterator[Document]:
    """Each env file's variables; reading the folder's ``.env`` reports its problems."""
    repo = repository_of(reader)
    for unit in units:
        rel = unit.paths[0]
        folder, _, name = rel.rpartition("/")
        reader.env_for(folder)
        text = reader.env_text(rel)
        if text is None:
            continue
        from aixcl_lint.documents import envfile

        parsed = envfile.parse(rel, text)
        if name != ".env":  # a folder's .env reports its lines through env_for
            reader.problems.extend(parsed.problems)
        yield Document(NAME, (rel,), tree_of(parsed, text, repo))


SPEC = KindSpec(
    name=NAME,
    summary=(
        "`KEY=value` lines (`.env`, `*.env`), quotes, comments and expansion as Compose "
        "reads them. `{stem}` is the file's name without `.env` (`core` for "
        "`config/profiles/core.env`). A value's position is where it starts as written "
        "(its quote, if quoted); a relation's `split` points at each part's own column."
    ),
    globs=(".env", "*.env"),
    readable=(".env", "*.env"),
    selectors={
        "variables": SelectorSpec(
            "each variable set (with a name: that variable only)",
            ("path", "stem", "key", "value"),
            _variables,
            (
                Field("key", "the variable's name"),
                Field("value", "its value, unquoted, variables set earlier expanded"),
                Field("line", "where it is set"),
            ),
            parameter="name",
        ),
    },
    units=_units,
    load=_load,
    always=True,
    context=True,
    capabilities=frozenset({"repository"}),
)
