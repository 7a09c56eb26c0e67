"""``extends``, resolved the way Compose resolves it: in each file, before overrides merge.

A service that extends another gets a copy of that service (its own extends resolved
first) with its own keys merged over it. The base may be in the same file or, with
``extends: {file, service}``, in another file, read as Compose reads it on its own.
Values keep the file and span where they were written, so a value a service inherits
from another file is reported in that file. Cycles are followed across files.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import field
from typing import Any

from aixcl_lint.core import Finding, Pointer, Severity, Span
from aixcl_lint.documents.merge import Merger, Origins, copied, forget, move
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.documents.yamltree import YamlDocument, YamlFile
from aixcl_lint.records import record

MAX_CHAIN = 32
"""Longest chain of services extending one another that is followed."""

Loader = Callable[[str], YamlFile | None]
"""Reads another compose file by repository path (for ``extends: {file: ...}``)."""


def invalid(path: str, spans: NodeSpans | None, sub: str, message: str) -> Finding:
    """A ``compose/invalid[sub]`` finding at ``spans`` (the file's start if unknown)."""
    where = spans.anchor if spans is not None else Span.at(1)
    rule = f"compose/invalid[{sub}]"
    return Finding(spans.path if spans else path, where, rule, Severity.ERROR, message)


@record(frozen=False)
class FileModel:
    """One file's document while its extends are resolved: data, origins, and more."""

    path: str
    merger: Merger
    tags: dict[Pointer, str] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)

    @property
    def services(self) -> dict[str, Any]:
        services = self.merger.data.get("services")
        return services if isinstance(services, dict) else {}


def needs_work(doc: YamlDocument) -> bool:
    """Whether a document has ``extends`` or ``include`` (otherwise it is used as is)."""
    data = doc.data
    if "include" in data:
        return True
    services = data.get("services")
    return isinstance(services, dict) and any(
        isinstance(s, dict) and "extends" in s for s in services.values()
    )


def file_model(path: str, doc: YamlDocument) -> FileModel:
    """A copy of ``doc`` that resolving may change."""
    merger = Merger()
    merger.add(doc, more=True)
    return FileModel(path, merger, dict(doc.tags))


class Extender:
    """Resolves the extends of a project's files; other files are read once each."""

    def __init__(self, load: Loader | None, problems: list[Finding]) -> None:
        self.load = load
        self.problems = problems
        self.others: dict[str, FileModel | None] = {}
        self.stack: list[tuple[str, str]] = []

    def resolve_all(self, model: FileModel) -> None:
        """Resolve every service of ``model`` that extends another."""
        for name in list(model.services):
            self.resolve(model, name)

    def other(self, path: str) -> FileModel | None:
        """Another file's first compose document, for services that extend it."""
        if path not in self.others:
            parsed = self.load(path) if self.load is not None else None
            docs = [d for d in parsed.documents if isinstance(d.data, dict)] if parsed else []
            self.others[path] = file_model(path, docs[0]) if docs else None
        return self.others[path]

    def _target(self, model: FileModel, name: str) -> tuple[FileModel, str] | None:
        """The file and service that ``name`` extends, or None (with a finding if wrong)."""
        extends = model.services[name].get("extends")
        origin = model.merger.origins.get(("services", name, "extends"))
        where = origin.path if origin is not None else model.path
        if isinstance(extends, dict):
            target, file = extends.get("service"), extends.get("file")
        else:
            target, file = extends, None
        if not isinstance(target, str) or not isinstance(file, str | None):
            return None  # the schema reports it
        base = model
        if file is not None:
            other = posixpath.normpath(posixpath.join(posixpath.dirname(where), file))
            found = None if other.startswith("..") else self.other(other)
            if found is None:
                message = f"service {name!r} extends a file that cannot be read: {file}"
                self.problems.append(invalid(where, origin, "extends-file", message))
                return None
            base = found
        if not isinstance(base.services.get(target), dict):
            message = f"service {name!r} extends {target!r}, which is not a service of {base.path}"
            self.problems.append(invalid(where, origin, "extends-target", message))
            return None
        return base, target

    def resolve(self, model: FileModel, name: str) -> None:
        service = model.services.get(name)
        if name in model.done or not isinstance(service, dict) or "extends" not in service:
            model.done.add(name)
            return
        key = (model.path, name)
        if key in self.stack or len(self.stack) > MAX_CHAIN:
            model.done.add(name)
            loop = [*self.stack[self.stack.index(key) :], key] if key in self.stack else []
            same_file = all(path == model.path for path, _ in loop)
            shown = " -> ".join(s if same_file else f"{p}:{s}" for p, s in loop)
            origin = model.merger.origins.get(("services", name, "extends"))
            message = f"service {name!r} extends itself through {shown}"
            self.problems.append(invalid(model.path, origin, "extends-cycle", message))
            return
        self.stack.append(key)
        try:
            found = self._target(model, name)
            if found is not None:
                self.resolve(*found)
        finally:
            self.stack.pop()
        model.done.add(name)
        if found is None or name not in model.services:
            return
        base, target = found
        if not isinstance(base.services.get(target), dict):
            return
        _inherit(model, name, base.merger, target)


def _inherit(model: FileModel, name: str, base: Merger, target: str) -> None:
    """Service ``name`` becomes a copy of ``target`` (from ``base``) with its own keys
    merged over it; every value keeps where it was written."""
    merger, ptr, base_ptr = model.merger, ("services", name), ("services", target)
    services = merger.data["services"]
    own = services[name]
    own_origins: Origins = {}
    move(own, ptr, ptr, merger.origins, own_origins)
    anchor = merger.origins.get(ptr)
    forget(own, ptr, merger.origins, merger.also)
    inherited = copied(base.data["services"][target])
    move(inherited, base_ptr, ptr, base.origins, merger.origins)
    n = len(base_ptr)
    for sub, spans in base.also.items():
        if sub[:n] == base_ptr:
            merger.also[ptr + sub[n:]] = list(spans)
    if anchor is not None:
        merger.origins[ptr] = anchor
    services[name] = inherited
    merger.merge_mapping(inherited, own, ptr, own_origins, model.tags)
