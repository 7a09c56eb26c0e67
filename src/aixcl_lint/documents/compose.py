"""Compose projects: a base file and its overrides, merged the way Compose merges them.

Rules see the effective service definitions. Every value in the merged data keeps the
file and span where it was written (``origins``, beside the data, keyed by pointer);
values are interpolated on access with the project's ``.env`` and inline defaults.
"""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from aixcl_lint.core import Finding, Location, Pointer, Severity
from aixcl_lint.documents.interpolate import expand
from aixcl_lint.documents.merge import Merger, Origins, forget, move, pointers
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.documents.yamltree import YamlDocument, YamlFile, scalar_text


@dataclass(frozen=True)
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

    def bind_mounts(self) -> Iterator[tuple[str, int, dict[str, Any]]]:
        """Each service's bind mounts: (service, index in ``volumes``, facts), where the
        facts are the source as written, its repository path (relative paths resolve from
        the project's folder, as Compose resolves them; None outside the repository) and,
        when known, whether it exists."""
        folder = posixpath.dirname(self.name)
        for name, service in self.services():
            volumes = service.get("volumes")
            for i, volume in enumerate(volumes if isinstance(volumes, list) else []):
                source = _bind_source(volume, self.interpolate)
                if source is None:
                    continue
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
                if isinstance(service, dict):
                    yield name, service

    def location(self, ptr: Pointer, *, value: bool = False) -> Location | None:
        """Where the value at ``ptr`` was written: its key, or with ``value`` the value."""
        spans = self.origins.get(ptr)
        if spans is None:
            return None
        return Location(spans.path, spans.value if value else spans.anchor)

    def locations(self, ptr: Pointer) -> list[Location]:
        """Every place the key at ``ptr`` was written, the first one first."""
        first = self.location(ptr)
        rest = [Location(spans.path, spans.anchor) for spans in self.also.get(ptr, ())]
        return ([first] if first else []) + rest

    def interpolate(self, value: Any) -> str:
        """A scalar as text, with variables expanded."""
        return expand(scalar_text(value), self.env)


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

    def invalid(ptr: Pointer, message: str) -> None:
        spans = doc.spans[ptr]
        problems.append(Finding(path, spans.anchor, "compose/invalid", Severity.ERROR, message))

    if doc.data is None:  # an explicit empty document ("---"), like an empty file
        return None
    if not isinstance(doc.data, dict):
        invalid((), "a compose file must be a mapping at the top level")
        return None
    services = doc.data.get("services")
    if services is None:
        return doc
    if not isinstance(services, dict):
        invalid(("services",), "'services' must be a mapping of service names to definitions")
        data = {k: v for k, v in doc.data.items() if k != "services"}
        return YamlDocument(data, doc.spans, doc.tags)
    kept: dict[str, Any] = {}
    for name, service in services.items():
        if service is None or isinstance(service, dict):
            kept[name] = service or {}
        else:
            invalid(("services", name), f"service {name!r} must be a mapping")
    return YamlDocument({**doc.data, "services": kept}, doc.spans, doc.tags)


def _extends_target(service: dict[str, Any]) -> str | None:
    extends = service.get("extends")
    if isinstance(extends, str):
        return extends
    if isinstance(extends, dict) and "file" not in extends:
        return scalar_text(extends.get("service"))
    return None


class _Extender:
    """Resolves ``extends`` between services of one project (no recursive closures:
    a closure that calls itself is a reference cycle holding the whole model)."""

    def __init__(
        self,
        merger: Merger,
        services: dict[str, Any],
        problems: list[Finding],
        load: Loader | None = None,
        depth: int = 0,
        env: Mapping[str, str] | None = None,
    ):
        self.env = dict(env or {})
        self.merger = merger
        self.services = services
        self.problems = problems
        self.load = load
        self.depth = depth
        self.done: set[str] = set()

    def from_file(self, name: str) -> None:
        """``extends: {file, service}``: the service of another compose file, as that
        file defines it (its own extends resolved), under this service's own keys."""
        extends = self.services[name]["extends"]
        origin = self.merger.origins.get(("services", name, "extends"))
        if self.load is None or origin is None or self.depth > 8:
            return
        other = posixpath.normpath(
            posixpath.join(posixpath.dirname(origin.path), scalar_text(extends.get("file")))
        )
        target = scalar_text(extends.get("service"))
        parsed = self.load(other)
        if parsed is None or other.startswith(".."):
            return
        project, _ = build_project([parsed], self.env, self.load, self.depth + 1)
        base = project.data.get("services", {}).get(target) if project else None
        if project is None or not isinstance(base, dict):
            return
        ptr = ("services", name)
        own = self.services[name]
        own_origins: Origins = {}
        move(own, ptr, ptr, self.merger.origins, own_origins)
        anchor = self.merger.origins.get(ptr)
        forget(own, ptr, self.merger.origins, self.merger.also)
        merged = copy.deepcopy(base)
        # What the other file gives is reported at this service's `extends:`: that file
        # may not be linted at all, and the line that brings the value in is here.
        for sub in pointers(merged, ptr):
            self.merger.origins[sub] = origin
        if anchor is not None:
            self.merger.origins[ptr] = anchor
        self.services[name] = merged
        self.merger.merge_mapping(merged, own, ptr, own_origins, {})

    def resolve(self, name: str, chain: tuple[str, ...] = ()) -> None:
        services, merger = self.services, self.merger
        extends = services[name].get("extends") if name not in self.done else None
        if isinstance(extends, dict) and "file" in extends:
            self.done.add(name)
            self.from_file(name)
            return
        target = None if name in self.done else _extends_target(services[name])
        if target is None or target not in services:
            self.done.add(name)
            return
        if target in chain:
            self.done.add(name)
            origin = merger.origins.get(("services", name, "extends"))
            if origin is not None:
                loop = " -> ".join((*chain, target))
                message = f"service {name!r} extends itself through {loop}"
                self.problems.append(
                    Finding(origin.path, origin.anchor, "compose/invalid", Severity.ERROR, message)
                )
            return
        self.resolve(target, (*chain, name))
        base_ptr, ptr = ("services", target), ("services", name)
        own = services[name]
        own_origins: Origins = {}
        move(own, ptr, ptr, merger.origins, own_origins)
        merged = copy.deepcopy(services[target])
        anchor = merger.origins.get(ptr)
        forget(own, ptr, merger.origins, merger.also)
        move(merged, base_ptr, ptr, merger.origins, merger.origins)
        if anchor is not None:
            merger.origins[ptr] = anchor
        services[name] = merged
        merger.merge_mapping(merged, own, ptr, own_origins, {})
        self.done.add(name)


def _resolve_extends(
    merger: Merger,
    problems: list[Finding],
    load: Loader | None,
    depth: int,
    env: Mapping[str, str],
) -> None:
    services = merger.data.get("services")
    if isinstance(services, dict) and any("extends" in s for s in services.values()):
        extender = _Extender(merger, services, problems, load, depth, env)
        for name in list(services):
            extender.resolve(name)


Loader = Callable[[str], YamlFile | None]
"""Reads another compose file by repository path (for ``extends: {file: ...}``)."""


def build_project(
    files: list[YamlFile],
    env: Mapping[str, str] | None = None,
    load: Loader | None = None,
    depth: int = 0,
) -> tuple[ComposeProject | None, list[Finding]]:
    """Merge a base file and its overrides, in order, into one project. ``load`` reads
    the files services extend from (none: such extends are not followed)."""
    problems: list[Finding] = []
    documents = []
    for yaml_file in files:
        for doc in yaml_file.documents:
            checked = _check_shape(yaml_file.path, doc, problems)
            if checked is not None:
                documents.append((yaml_file.path, checked))
    if not documents:
        return None, problems
    merger = Merger()
    for i, (_path, doc) in enumerate(documents):
        merger.add(doc, more=i + 1 < len(documents))
    _resolve_extends(merger, problems, load, depth, dict(env or {}))
    used = tuple(dict.fromkeys(path for path, _ in documents))
    project = ComposeProject(used, merger.data, merger.origins, dict(env or {}), merger.also)
    return project, problems
