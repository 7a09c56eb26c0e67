"""What a document kind is: the typed spec every kind registers, and the types its
selectors and loaders share with the policy layer and the engine.

Modelled on pre-commit's ``Language`` protocol: each kind is one module holding one
``KindSpec``; ``aixcl_lint.kinds.KINDS`` maps names to them. Everything that differs by
kind (classification, loading, selectors and their fields, fix support, how work is
dealt to workers) is read from the spec, never branched on by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from aixcl_lint.config import Settings
from aixcl_lint.core import Finding, Kind, Location, Pointer, matchable
from aixcl_lint.records import record

if TYPE_CHECKING:
    from aixcl_lint.documents import mdtree, source, yamltree
    from aixcl_lint.documents.markdown import MarkdownDocument


class Tree(Protocol):
    """A document as checks see it: data by pointer, and where each value was written."""

    @property
    def data(self) -> Any:
        """The document's data."""

    def location(self, ptr: Pointer, *, value: bool = False) -> Location | None:
        """Where the value at ``ptr`` was written (its key, or with ``value`` the value)."""

    def locations(self, ptr: Pointer) -> list[Location]:
        """Every place the key at ``ptr`` was written (overrides may write it again)."""

    def interpolate(self, value: Any) -> str:
        """A scalar as text, with the document's variables expanded. A text without
        ``$`` is its own interpolation in every kind (verdicts need not ask)."""


class Subject(NamedTuple):
    """One thing a selector picked: a document, a pointer into it, and message variables.

    A named tuple, not a dataclass: the engine makes one per service per rule.
    """

    tree: Tree
    pointer: Pointer
    variables: Mapping[str, str]
    value: Any = None
    """The data at ``pointer``, when the selector has it at hand (saves a lookup)."""


Selector = Callable[[Tree], Iterator[Subject]]
"""Subjects of one document, in document order."""


@record
class Document:
    """A loaded document the engine can evaluate: its kind, files and tree."""

    kind: Kind
    files: tuple[str, ...]
    tree: Tree


SCALAR = "scalar"
"""The items of a list field are plain values (addressed as ``field: .``)."""


@record
class Field:
    """A field a selector's subjects provide, as policies name it."""

    name: str
    doc: str = ""
    items: tuple[Field, ...] | str | None = None
    """For a list field: the fields of its items, ``SCALAR`` for plain values, None if
    not known."""
    open: bool = False
    """Its own keys are the document's (``cells.<column>``, ``front_matter.<key>``)."""
    values: tuple[str, ...] | None = None
    """Every value it takes, as text (``true``/``false`` for a boolean): an ``equals``
    or ``one-of`` constant outside them can never match, a load error. None: any."""


@record
class SelectorSpec:
    """One selector of a kind: what it picks, the fields and variables it provides."""

    subjects: str
    """What each subject is (for the docs table)."""
    variables: tuple[str, ...]
    select: Callable[[Tree, str], Iterator[Subject]]
    """The subjects of a document, given the selector's parameter ("" without one)."""
    fields: tuple[Field, ...] | None = None
    """The fields its subjects provide; None: the document's own keys (any field)."""
    fields_doc: str = ""
    """What the fields are, for the docs table, when ``fields`` is None."""
    parameter: str = ""
    """What the selector's parameter is (``select: {NAME: PARAMETER}``); "" for none."""
    required: bool = False
    """Whether the parameter must be given."""
    validate: Callable[[str], object] | None = None
    """Reads the parameter once at load time; a ValueError says what is wrong with it."""
    keys: Callable[[], frozenset[str]] | None = None
    """With ``fields`` None, the names a field's first key may take when the document's
    keys are a closed set (a compose service's, from the Compose schema); names starting
    with ``x-`` (extensions) always pass. None: any name."""


class Reader(Protocol):
    """What loaders ask of the run: files read and parsed at most once, problems kept."""

    problems: list[Finding]

    def read(self, rel: str) -> source.Source | None:
        """A file's text, or None (with a finding) if it cannot be scanned."""

    def yaml_file(self, rel: str) -> yamltree.YamlFile:
        """A YAML file, parsed (its problems reported)."""

    def forget(self, rel: str) -> None:
        """Drop a file's parse once no unit needs it again."""

    def markdown(self, rel: str, *, full: bool = True) -> MarkdownDocument | None:
        """A Markdown file, parsed (without ``full``, only what every file needs)."""

    def env_for(self, folder: str) -> dict[str, str]:
        """The variables of the ``.env`` file in ``folder``."""

    def compose_file(self, rel: str) -> yamltree.YamlFile | None:
        """A compose file of a project, or one it extends or includes (compose.Sources)."""

    def env_text(self, rel: str) -> str | None:
        """An env file's text (compose.Sources)."""

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a file or folder inside the repository."""

    def is_template(self, rel: str) -> bool:
        """Whether a Markdown file is a template (its relative links are not checked)."""

    def repository(self) -> mdtree.Repository:
        """The answers to a document's questions about other files."""

    def inventory(self) -> list[dict[str, Any]]:
        """The repository's files: ``path``, ``size``, ``tracked``, ``ignored``."""


class Sources(Protocol):
    """What checks relating a document to other files ask of the run (the loader)."""

    def document(self, kind: Kind, path: str) -> Document | None:
        """The document of ``kind`` a repository file is (a compose base file: its
        project), loaded once; None when there is no such file of that kind."""

    def line_text(self, rel: str, line: int) -> str:
        """One line of a file ("" past its end)."""

    def file_bytes(self, rel: str) -> bytes | None:
        """A repository file's bytes (bounded as every read is); None if it is not one."""

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a file or folder inside the repository."""


def sources(tree: Tree) -> Sources | None:
    """The run's answers about other files a document carries (``repo``), if any."""
    repo = getattr(tree, "repo", None)
    return repo if repo is not None and hasattr(repo, "document") else None


def repository_of(reader: Reader) -> Any:
    """The reader's answers about other files, for a document to carry; None when the
    reader gives none (``--fix`` asks no questions about other files)."""
    try:
        return reader.repository()
    except NotImplementedError:
        return None


@record(slots=True)
class Unit:
    """A share of work that stays in one worker: a compose project, a Markdown file."""

    kind: Kind
    paths: tuple[str, ...]
    affinity: str = ""
    """Units with the same affinity go to the same worker (a project's folder, so a
    shared base file is parsed once)."""
    reads: frozenset[str] | None = None
    """What the rules on it read (``Rule.reads``); None: anything."""
    fragment: bool = False
    """A part of a project no one runs alone (a compose override in a folder without its
    base file): the rules read it, but it is not held to what a whole project must be."""


@record
class Planned:
    """What a kind is given to plan its units from."""

    targets: Mapping[str, Kind | None]
    """Every file the run reports on, with the kind that claims it (None: none does)."""
    context: Mapping[str, Kind | None]
    """Files read only for context (a named compose file's siblings)."""
    globs: tuple[str, ...] = ()
    """The globs of the rules on this kind that limit their files."""
    everywhere: bool = False
    """Whether some rule on this kind has no globs (it reads every file the kind claims)."""
    compose_projects: tuple[tuple[str, ...], ...] = ()
    reads: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = ()
    """Each rule on this kind: its globs (none: every file) and what it reads."""
    root_files: Callable[[str], bool] = lambda path: True
    """Whether a repository path is a file."""
    env_text: Callable[[str], str | None] = lambda path: None
    """An env file's text (None: there is none), for what a folder's ``.env`` says
    about its project (``COMPOSE_FILE``)."""

    def matching(self, readable: tuple[str, ...] | None = None) -> list[str]:
        """Every file of the run (claimed by a kind or not) that the rules' globs select,
        and with ``everywhere`` every file some kind claims (with ``readable``, every
        file whose name matches one of those globs); only ``readable`` names if given."""
        if not self.globs and not self.everywhere:
            return []
        from aixcl_lint import globs

        spec = globs.spec(self.globs)
        names = globs.spec(readable) if readable else None
        found = []
        for path, kind in self.targets.items():
            name = matchable(path)
            if names is not None and not names.match_file(name):
                continue
            if (self.globs and spec.match_file(name)) or (
                self.everywhere and (kind is not None or names is not None)
            ):
                found.append(path)
        return sorted(found)

    def of(self, kind: Kind, *, with_context: bool = False) -> list[str]:
        """The paths claimed by ``kind``, in path order."""
        found = [p for p, k in self.targets.items() if k == kind]
        if with_context:
            found += [p for p, k in self.context.items() if k == kind and p not in self.targets]
        return sorted(found)


BOOLEAN = ("true", "false")
"""The values of a boolean field, as text."""


def single_units(kind: Kind, paths: Sequence[str]) -> list[Unit]:
    """One unit per file."""
    return [Unit(kind, (path,), path) for path in paths]


@record
class KindSpec:
    """Everything about one document kind."""

    name: Kind
    summary: str
    """What the kind reads, for the docs."""
    globs: tuple[str, ...]
    """File-name globs that claim a file for this kind."""
    selectors: Mapping[str, SelectorSpec]
    units: Callable[[Planned], list[Unit]]
    """The work for a run, from the files it covers."""
    load: Callable[[Reader, Sequence[Unit]], Iterator[Document]]
    """The documents of some units: the one builder ``check`` and ``--fix`` share."""
    exclusive: bool = True
    """Whether a file it claims is claimed by no other exclusive kind (compose, env and
    Markdown files); a kind that reads any file by glob is not exclusive."""
    readable: tuple[str, ...] | None = None
    """Names of the files a rule's globs may select (None: any file)."""
    capabilities: frozenset[str] = frozenset()
    """What its documents can answer (``exists``, ``lines``, ``repository``, ``git``):
    operators that need a capability apply only to kinds that have it."""
    fixable: frozenset[str] = frozenset()
    """Selectors whose checks ``--fix`` can repair."""
    repository_wide: bool = False
    """Its documents speak of every file in the repository: its findings are reported
    wherever they point, not only in the files the run lints."""
    context: bool = False
    """Whether a file named on the command line brings the files of this kind beside it
    as context (a compose file's overrides and ``.env``)."""
    always: bool = False
    """Loaded in every run (to report its files' problems), whether or not a rule
    targets it."""
    configured: Callable[[Settings], tuple[tuple[str, ...], tuple[str, ...]]] | None = None
    """Path globs and exact paths the config adds to ``globs`` (``compose-files``, the
    files ``compose-projects`` names)."""
    file_variables: frozenset[str] = frozenset()
    """Message variables every subject of a document has, set to its one file's path
    (``path``), in trees that interpolate text as it is: a rule condition reading only
    these is decided once per file, before the file is read."""
    comments: Callable[[Reader, str], list[tuple[int, int, str]]] | None = None
    """Where inline directives are written in its files (line, column, text of each
    comment); None: in any line of the file (``# aixcl-lint: ...``)."""
