"""Compose projects: a base file and its overrides, merged the way Compose merges them.

Rules see the effective service definitions. Every value in the merged data keeps the
file and span where it was written (``origins``, beside the data, keyed by pointer);
values are interpolated on access with the project's ``.env`` and inline defaults.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from aixcl_lint.core import Finding, Location, Pointer, Severity
from aixcl_lint.documents.interpolate import expand
from aixcl_lint.documents.yamltree import NodeSpans, YamlDocument, YamlFile, scalar_text

_REPLACED_LISTS = frozenset({"command", "entrypoint", "test", "dns_search"})
"""Service sequences an override replaces instead of extending (compose-spec merge)."""
_KEYED_LISTS = frozenset({"networks", "environment", "labels", "annotations", "sysctls"})
"""Service fields that may be a list or a mapping: merged by key."""


@dataclass(frozen=True, slots=True)
class Origin:
    """The file and spans a merged value came from."""

    path: str
    spans: NodeSpans


Origins = dict[Pointer, Origin]


@dataclass(frozen=True)
class ComposeProject:
    """The effective model of one compose project."""

    files: tuple[str, ...]
    data: dict[str, Any]
    origins: Mapping[Pointer, Origin]
    env: Mapping[str, str] = field(default_factory=dict)

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
        origin = self.origins.get(ptr)
        if origin is None:
            return None
        span = origin.spans.value if value else origin.spans.anchor
        return Location(origin.path, span)

    def interpolate(self, value: Any) -> str:
        """A scalar as text, with variables expanded."""
        return expand(scalar_text(value), self.env)


def _reindex(origins: Origins, src: Pointer, dst: Pointer, into: Origins) -> None:
    n = len(src)
    for ptr, origin in origins.items():
        if ptr[:n] == src:
            into[dst + ptr[n:]] = origin


def _drop(origins: Origins, ptr: Pointer) -> None:
    n = len(ptr)
    for key in [p for p in origins if p[:n] == ptr]:
        del origins[key]


def _as_mapping(value: Any, ptr: Pointer, origins: Origins) -> dict[str, Any]:
    """A keyed service field written as a list (``[a, b]`` or ``[K=V]``) as a mapping."""
    if isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for i, item in enumerate(value if isinstance(value, list) else []):
        text = scalar_text(item)
        key, sep, rest = text.partition("=")
        result[key] = rest if sep else None
        origin = origins.pop((*ptr, i), None)
        if origin is not None:
            origins[(*ptr, key)] = origin
    return result


class _Merger:
    """Merges documents into one model, keeping origins beside the data."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.origins: Origins = {}

    def add(self, path: str, doc: YamlDocument) -> None:
        src_origins = {ptr: Origin(path, spans) for ptr, spans in doc.spans.items()}
        if not self.data:
            self.origins[()] = src_origins[()]
        self.merge_mapping(self.data, doc.data, (), src_origins, doc.tags)

    def replace(
        self, dst: dict[str, Any], key: str, value: Any, ptr: Pointer, src: Origins
    ) -> None:
        _drop(self.origins, ptr)
        dst[key] = copy.deepcopy(value)
        _reindex(src, ptr, ptr, self.origins)

    def merge_mapping(
        self,
        dst: dict[str, Any],
        src: dict[str, Any],
        ptr: Pointer,
        src_origins: Origins,
        tags: Mapping[Pointer, str],
    ) -> None:
        for key, written in src.items():
            sub = (*ptr, key)
            value = written
            tag = tags.get(sub)
            if tag == "!reset":
                dst.pop(key, None)
                _drop(self.origins, sub)
                continue
            if key not in dst or tag == "!override":
                self.replace(dst, key, value, sub, src_origins)
                continue
            old = dst[key]
            in_service = len(ptr) == 2 and ptr[0] == "services"
            if (
                in_service
                and key in _KEYED_LISTS
                and (isinstance(old, list) or isinstance(value, list))
            ):
                old = dst[key] = _as_mapping(old, sub, self.origins)
                value = _as_mapping(value, sub, src_origins)
            if isinstance(old, dict) and isinstance(value, dict):
                self.merge_mapping(old, value, sub, src_origins, tags)
            elif isinstance(old, list) and isinstance(value, list) and key not in _REPLACED_LISTS:
                for i, item in enumerate(value):
                    if item not in old:
                        _reindex(src_origins, (*sub, i), (*sub, len(old)), self.origins)
                        old.append(copy.deepcopy(item))
            else:
                self.replace(dst, key, value, sub, src_origins)


def _check_shape(path: str, doc: YamlDocument, problems: list[Finding]) -> YamlDocument | None:
    """Keep a document only if Compose could read it; say why not otherwise."""

    def invalid(ptr: Pointer, message: str) -> None:
        spans = doc.spans[ptr]
        problems.append(Finding(path, spans.anchor, "compose/invalid", Severity.ERROR, message))

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


def _resolve_extends(merger: _Merger, problems: list[Finding]) -> None:
    services = merger.data.get("services")
    if not isinstance(services, dict):
        return
    done: set[str] = set()

    def resolve(name: str, chain: tuple[str, ...]) -> None:
        if name in done:
            return
        service = services[name]
        extends = service.get("extends")
        target = extends if isinstance(extends, str) else None
        if isinstance(extends, dict) and "file" not in extends:
            target = scalar_text(extends.get("service"))
        if target is None or target not in services:
            done.add(name)
            return
        if target in chain:
            origin = merger.origins.get(("services", name, "extends"))
            if origin is not None:
                problems.append(
                    Finding(
                        origin.path,
                        origin.spans.anchor,
                        "compose/invalid",
                        Severity.ERROR,
                        f"service {name!r} extends itself through {' -> '.join((*chain, target))}",
                    )
                )
            done.add(name)
            return
        resolve(target, (*chain, name))
        base_ptr, ptr = ("services", target), ("services", name)
        own = services[name]
        own_origins: Origins = {}
        _reindex(merger.origins, ptr, ptr, own_origins)
        merged = copy.deepcopy(services[target])
        anchor = merger.origins.get(ptr)
        _drop(merger.origins, ptr)
        _reindex(dict(merger.origins), base_ptr, ptr, merger.origins)
        if anchor is not None:
            merger.origins[ptr] = anchor
        services[name] = merged
        merger.merge_mapping(merged, own, ptr, own_origins, {})
        done.add(name)

    for name in list(services):
        resolve(name, ())


def build_project(
    files: list[YamlFile], env: Mapping[str, str] | None = None
) -> tuple[ComposeProject | None, list[Finding]]:
    """Merge a base file and its overrides, in order, into one project."""
    problems: list[Finding] = []
    merger = _Merger()
    used: list[str] = []
    for yaml_file in files:
        for doc in yaml_file.documents:
            checked = _check_shape(yaml_file.path, doc, problems)
            if checked is not None:
                merger.add(yaml_file.path, checked)
                if yaml_file.path not in used:
                    used.append(yaml_file.path)
    if not used:
        return None, problems
    _resolve_extends(merger, problems)
    project = ComposeProject(tuple(used), merger.data, merger.origins, dict(env or {}))
    return project, problems
