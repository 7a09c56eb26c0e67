"""Compose projects: a base file and its overrides, merged the way Compose merges them.

Rules see the effective service definitions. Every value in the merged data keeps the
file and span where it was written (``origins``, beside the data, keyed by pointer);
values are interpolated on access with the project's ``.env`` and inline defaults.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import field
from typing import Any, Protocol

from aixcl_lint import deferred
from aixcl_lint.core import Finding, Location, Pointer
from aixcl_lint.documents import compose_ports, include
from aixcl_lint.documents.compose_validate import validate
from aixcl_lint.documents.envfile import parse as parse_env
from aixcl_lint.documents.extends import Extender, Loader, file_model, invalid, needs_work
from aixcl_lint.documents.interpolate import expand, where_set
from aixcl_lint.documents.merge import Merger
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.documents.yamltree import YamlDocument, YamlFile
from aixcl_lint.records import record

__all__ = ["ComposeProject", "Loader", "Sources", "build", "build_project"]


@record
class ComposeProject:
    """The effective model of one compose project."""

    files: tuple[str, ...]
    data: dict[str, Any]
    origins: Mapping[Pointer, NodeSpans]
    env: Mapping[str, str] = field(default_factory=dict)
    also: Mapping[Pointer, list[NodeSpans]] = field(default_factory=dict)
    """Later files that wrote the same mapping or list again (merged into the first)."""
    exists: Callable[[str], bool] | None = None
    """Whether a repository path exists (the run's answer; None: not known)."""
    rejected: frozenset[str] = frozenset()
    """Services the Compose schema rejects: reported as invalid, not given to rules."""
    repo: Any = field(default=None, compare=False)
    """The run's answers about other files (``kinds.base.Sources``), for relations."""
    set_at: include.SetAt = field(default_factory=dict, compare=False)
    """Where each variable of ``env`` was set: its env file and line."""
    cited: include.Cited = field(default_factory=dict, compare=False, repr=False)
    """Where the variables of included values were set (``include.Cited``)."""
    expanded: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Each text holding a variable, interpolated once: rules read a value several times
    (``image`` four times per service in the built-in pack)."""
    moved: compose_ports.Moved = field(default_factory=dict, compare=False, repr=False)
    """Where each port entry in long form was written (``compose_ports``)."""

    def bind_mounts(self) -> Iterator[tuple[str, int, dict[str, Any]]]:
        """Each service's bind mounts: (service, index in ``volumes``, facts), where the
        facts are the source as written, its repository path (relative paths resolve from
        the project's folder, or of the file they were written in when the project
        extends or includes it, as Compose resolves them; None outside the repository) and,
        when known, whether it exists."""
        own = posixpath.dirname(self.name)
        for name, service in self.services():
            volumes = service.get("volumes")
            for i, volume in enumerate(volumes if isinstance(volumes, list) else []):
                source = _bind_source(volume, self.interpolate)
                if source is None:
                    continue
                # A mount written in a file the project extends or includes is relative
                # to that file's folder, as Compose resolves it.
                written = self.origins.get(("services", name, "volumes", i))
                outside = written is not None and written.path not in self.files
                folder = posixpath.dirname(written.path) if outside and written else own
                resolved = None
                if not source.startswith(("/", "~")):
                    joined = posixpath.normpath(posixpath.join(folder, source))
                    resolved = None if joined.startswith("..") else joined
                facts: dict[str, Any] = {"source": source, "resolved": resolved}
                if resolved is not None and self.exists is not None:
                    facts["exists"] = self.exists(resolved)
                yield name, i, facts

    @property
    def name(self) -> str:
        """The project's base file."""
        return self.files[0]

    def services(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each effective service by name, in the order they were first written."""
        services = self.data.get("services")
        if isinstance(services, dict):
            for name, service in services.items():
                if isinstance(service, dict) and name not in self.rejected:
                    yield name, service

    def location(self, ptr: Pointer, *, value: bool = False) -> Location | None:
        """Where the value at ``ptr`` was written: its key, or with ``value`` the value."""
        spans = compose_ports.located(self.origins, self.moved, ptr)
        if spans is None:
            return None
        return Location(spans.path, spans.value if value else spans.anchor)

    def locations(self, ptr: Pointer) -> list[Location]:
        """Every place the key at ``ptr`` was written, the first one first."""
        first = self.location(ptr)
        rest = [Location(spans.path, spans.anchor) for spans in self.also.get(ptr, ())]
        return ([first] if first else []) + rest

    def variables_set(self, text: str, set_at: include.SetAt | None = None) -> str:
        """Where the variables ``text`` reads were set, as a message says it
        (`` (TAG set in .env:2)``, `` (TAG is set to an empty value in .env:2)``: Compose
        substitutes the empty string); empty when none was set in an env file. Names and
        places only: a value may be a secret the message does not show."""
        set_at = self.set_at if set_at is None else set_at
        names = dict.fromkeys(m.group(1) for m in _VARIABLE.finditer(text.replace("$$", "")))
        return where_set(((n, set_at[n]) for n in names if n in set_at), self.env)

    def variables_cited(self, ptr: Pointer) -> str:
        """Where the variables of the included value at ``ptr`` were set (interpolated
        when imported, its text no longer names them); empty for any other value."""
        spans = compose_ports.located(self.origins, self.moved, ptr) if self.cited else None
        return "" if spans is None else self.cited.get((spans.path, spans.value.start), "")

    def interpolate(self, value: Any) -> str:
        """A scalar as text, with variables expanded."""
        text = value if value.__class__ is str else scalar_text(value)
        if "$" not in text:
            return text
        found = self.expanded.get(text)
        if found is None:
            found = self.expanded[text] = expand(text, self.env)
        return found


_VARIABLE = deferred.pattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _bind_source(volume: Any, interpolate: Callable[[Any], str]) -> str | None:
    """The host path of a bind mount (short or long syntax); None for a named volume."""
    if isinstance(volume, dict):
        if volume.get("type") != "bind" or volume.get("source") is None:
            return None
        return interpolate(volume["source"])
    text = interpolate(volume)
    source = text.split(":", 1)[0] if ":" in text else text
    return source if source.startswith((".", "/", "~")) else None


def _check_shape(path: str, doc: YamlDocument, problems: list[Finding]) -> YamlDocument | None:
    """Keep a document only if Compose could read it; say why not otherwise."""

    def invalid_at(ptr: Pointer, message: str) -> None:
        problems.append(invalid(path, doc.spans.get(ptr), "schema", message))

    if doc.data is None:  # an explicit empty document ("---"), like an empty file
        return None
    if not isinstance(doc.data, dict):
        invalid_at((), "a compose file must be a mapping at the top level")
        return None
    for spans in doc.repeated_merges:
        message = "a mapping has more than one merge key '<<'; use one with a list"
        problems.append(invalid(path, spans, "duplicate-merge-key", message))
    services = doc.data.get("services")
    if services is None:
        return doc
    if not isinstance(services, dict):
        invalid_at(("services",), "'services' must be a mapping of service names to definitions")
        data = {k: v for k, v in doc.data.items() if k != "services"}
        return YamlDocument(data, doc.spans, doc.tags)
    kept: dict[str, Any] = {}
    for name, service in services.items():
        if isinstance(service, dict):
            kept[name] = service
        elif service is None:
            problems.append(
                invalid(
                    path,
                    doc.spans.get(("services", name)),
                    "null-service",
                    f"service {name!r} is empty (null); Compose needs a mapping",
                )
            )
        else:
            invalid_at(("services", name), f"service {name!r} must be a mapping")
    return YamlDocument({**doc.data, "services": kept}, doc.spans, doc.tags)


class Sources(Protocol):
    """What building a project reads: compose files and env files, by repository path."""

    def compose_file(self, path: str) -> YamlFile | None:
        """A compose (or extended, or included) file, parsed; None if there is none."""

    def env_text(self, path: str) -> str | None:
        """An env file's text; None if there is none."""


def build(
    group: tuple[str, ...], sources: Sources, *, whole: bool = True
) -> tuple[ComposeProject | None, list[Finding]]:
    """The project of a base file and its overrides, as ``docker compose config`` builds
    it: the one builder ``check``, ``--fix`` and relations share (``whole``: False for a
    fragment, not held to what only a whole project must satisfy)."""
    folder = posixpath.dirname(group[0])
    env_path = f"{folder}/.env" if folder else ".env"
    text = sources.env_text(env_path)
    env_file = parse_env(env_path, text) if text is not None else None
    env = env_file.values if env_file is not None else {}
    files = [f for f in map(sources.compose_file, group) if f is not None]
    if not files:
        return None, []
    lines = env_file.lines if env_file is not None else {}
    set_at = {name: (env_path, line) for name, line in lines.items()}
    return build_project(
        files, env, sources.compose_file, env_text=sources.env_text, set_at=set_at, whole=whole
    )


def build_project(
    files: list[YamlFile],
    env: Mapping[str, str] | None = None,
    load: Loader | None = None,
    depth: int = 0,
    *,
    env_text: include.EnvText | None = None,
    folder: str | None = None,
    chain: tuple[str, ...] = (),
    budget: list[int] | None = None,
    set_at: include.SetAt | None = None,
    cited: include.Cited | None = None,
    whole: bool = True,
) -> tuple[ComposeProject | None, list[Finding]]:
    """Merge a base file and its overrides, in order, into one project. Each file's
    ``extends`` and ``include`` are resolved before it merges, as Compose does; ``load``
    reads the files they name (none: they are not followed) and ``env_text`` the env
    files of included projects."""
    variables = dict(env or {})
    problems: list[Finding] = []
    documents = []
    for yaml_file in files:
        for doc in yaml_file.documents:
            checked = _check_shape(yaml_file.path, doc, problems)
            if checked is not None:
                documents.append((yaml_file.path, checked))
    if not documents:
        return None, problems
    base = folder if folder is not None else posixpath.dirname(documents[0][0])
    budget = budget if budget is not None else [include.MAX_INCLUDES]
    set_at = set_at if set_at is not None else {}
    cited = cited if cited is not None else {}
    context = include.Context(base, variables, load, env_text, chain, budget, set_at, cited)

    def included(
        parsed: list[YamlFile], inner_env: Mapping[str, str], inner: include.Context
    ) -> tuple[ComposeProject | None, list[Finding]]:
        return build_project(
            parsed,
            inner_env,
            inner.load,
            depth + 1,
            env_text=inner.env_text,
            folder=inner.folder,
            chain=inner.chain,
            budget=inner.budget,
            set_at=inner.set_at,
            cited=inner.cited,
        )

    if len(documents) == 1 and not needs_work(documents[0][1]):
        # One file as written: its data and its spans, read from its nodes when asked.
        only = documents[0][1]
        written, origins, also = only.data, only.spans, {}
    else:
        merger = _merged(documents, context, include.Resolver(load, included), problems)
        written, origins, also = merger.data, merger.origins, merger.also
    data = _without_empty(written)
    # A project of whole files, none extending or including others, is its files' texts.
    plain = all(f.digest for f in files) and not any(needs_work(d) for _, d in documents)
    key = "\0".join(f.digest for f in files) if plain else None
    validity = validate(data, origins, documents[0][0], key, variables, whole=whole)
    problems.extend(validity.problems)
    kept, moved = validity.kept(data), compose_ports.Moved()
    if depth == 0:  # an included project's ports are converted as the includer's
        kept, moved = compose_ports.long_form(kept, lambda text: expand(text, variables))
    project = ComposeProject(
        tuple(dict.fromkeys(path for path, _ in documents)),
        kept,
        origins,
        variables,
        also,
        rejected=validity.rejected,
        set_at=set_at,
        cited=cited,
        moved=moved,
    )
    return project, problems


def _merged(
    documents: list[tuple[str, YamlDocument]],
    context: include.Context,
    resolver: include.Resolver,
    problems: list[Finding],
) -> Merger:
    """The documents merged in order, each file's extends and includes resolved first."""
    extender = Extender(resolver.load, problems)
    merger = Merger()
    for i, (path, written) in enumerate(documents):
        more = i + 1 < len(documents)
        if not needs_work(written):
            merger.add(written, more=more)
            continue
        model = file_model(path, written)
        extender.resolve_all(model)
        include.apply(model, context, resolver.build, problems)
        merger.add(YamlDocument(model.merger.data, model.merger.origins, model.tags), more=more)
        for ptr, spans in model.merger.also.items():
            merger.also.setdefault(ptr, []).extend(spans)
    return merger


_KEEP_EMPTY = frozenset({"command", "entrypoint"})
"""Service fields whose empty value means something (clear the image's)."""
_SECTIONS = ("networks", "volumes", "secrets", "configs")


def _empty(value: Any) -> bool:
    return not value and (value.__class__ is list or value.__class__ is dict)


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """The model without empty collections (``ports: []``, ``networks: {}``), which
    Compose drops; shared parsed data is copied, never changed."""
    services = data.get("services")
    if isinstance(services, dict):
        changed = {}
        for name, service in services.items():
            if not isinstance(service, dict):
                continue
            for key, value in service.items():
                if not value and _empty(value) and key not in _KEEP_EMPTY:
                    changed[name] = {
                        k: v for k, v in service.items() if k in _KEEP_EMPTY or not _empty(v)
                    }
                    break
        if changed:
            data = {**data, "services": {**services, **changed}}
    if any(_empty(data.get(section)) for section in _SECTIONS):
        data = {k: v for k, v in data.items() if not (k in _SECTIONS and _empty(v))}
    return data
