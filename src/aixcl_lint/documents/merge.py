"""Merging compose documents the way Compose merges a base file and its overrides.

The merged data is plain; where each value was written (``Origins``) is kept beside
it, by pointer, and moves with the value when a merge moves it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from aixcl_lint.core import Pointer
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.documents.yamlindex import NodeIndex
from aixcl_lint.documents.yamltree import YamlDocument

_REPLACED_LISTS = frozenset({"command", "entrypoint", "test", "dns_search"})
"""Service sequences an override replaces instead of extending (compose-spec merge)."""
_KEYED_LISTS = frozenset({"networks", "environment", "labels", "annotations", "sysctls"})
"""Service fields that may be a list or a mapping: merged by key."""


Origins = dict[Pointer, NodeSpans]
"""Where each value of the merged model was written: file and spans, by pointer."""


def copied(value: Any) -> Any:
    """A copy of plain data (mappings, lists, scalars), as ``copy.deepcopy`` makes it: a
    mapping or list reached twice (through an alias) is copied once and stays shared."""
    if value.__class__ is dict or value.__class__ is list:
        return _copied(value, {})
    return value


def _copied(value: dict[Any, Any] | list[Any], memo: dict[int, Any]) -> Any:
    found = memo.get(id(value))
    if found is not None:
        return found
    if value.__class__ is dict:
        mapping: dict[Any, Any] = {}
        memo[id(value)] = mapping
        for key, item in value.items():
            kind = item.__class__
            mapping[key] = _copied(item, memo) if kind is dict or kind is list else item
        return mapping
    items: list[Any] = []
    memo[id(value)] = items
    for item in value:
        kind = item.__class__
        items.append(_copied(item, memo) if kind is dict or kind is list else item)
    return items


def _listed(spans: Mapping[Pointer, NodeSpans]) -> Origins:
    """A document's spans as a dict this merge may change (an index lists its entries
    at once rather than by a lookup per key)."""
    return dict(spans.everything() if isinstance(spans, NodeIndex) else spans)


def pointers(value: Any, ptr: Pointer) -> Iterator[Pointer]:
    """``ptr`` and the pointer of everything below it in ``value``."""
    yield ptr
    if isinstance(value, dict):
        for key, item in value.items():
            yield from pointers(item, (*ptr, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from pointers(item, (*ptr, index))


def move(
    value: Any, src: Pointer, dst: Pointer, origins: Mapping[Pointer, NodeSpans], into: Origins
) -> None:
    """Copy the origins of ``value`` (found at ``src`` in ``origins``) to ``dst`` in ``into``."""
    n = len(src)
    for ptr in pointers(value, src):
        spans = origins.get(ptr)
        if spans is not None:
            into[dst + ptr[n:]] = spans


def forget(value: Any, ptr: Pointer, *indexes: dict[Pointer, Any]) -> None:
    """Drop the entries of ``value`` (at ``ptr``) from each index."""
    for sub in pointers(value, ptr):
        for index in indexes:
            index.pop(sub, None)


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


class Merger:
    """Merges documents into one model, keeping origins beside the data."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.origins: Origins = {}
        self.also: dict[Pointer, list[NodeSpans]] = {}
        self.started = False

    def add(self, doc: YamlDocument, *, more: bool) -> None:
        """Merge ``doc`` in; ``more`` says whether other documents will follow it."""
        if not self.started:
            # The first document is the model: copy its data only if others will change it.
            self.started = True
            self.data = copied(doc.data) if more else doc.data
            self.origins = _listed(doc.spans)
            return
        self.merge_mapping(self.data, doc.data, (), _listed(doc.spans), doc.tags)

    def replace(
        self, dst: dict[str, Any], key: str, value: Any, ptr: Pointer, src: Origins
    ) -> None:
        if key in dst:
            forget(dst[key], ptr, self.origins, self.also)
        dst[key] = copied(value)
        move(value, ptr, ptr, src, self.origins)

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
                if key in dst:
                    forget(dst.pop(key), sub, self.origins, self.also)
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
                self.also.setdefault(sub, []).append(src_origins[sub])
                self.merge_mapping(old, value, sub, src_origins, tags)
            elif isinstance(old, list) and isinstance(value, list) and key not in _REPLACED_LISTS:
                self.also.setdefault(sub, []).append(src_origins[sub])
                for i, item in enumerate(value):
                    if item not in old:
                        move(item, (*sub, i), (*sub, len(old)), src_origins, self.origins)
                        old.append(copied(item))
            else:
                self.replace(dst, key, value, sub, src_origins)
