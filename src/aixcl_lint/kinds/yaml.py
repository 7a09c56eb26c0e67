"""``yaml``: any YAML or JSON file by glob (GitHub workflows and composite actions,
Kubernetes manifests, config files). Every document of a file is read, with the same
safety bounds as compose files; selectors take a key path."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from aixcl_lint.kinds.base import (
    Document,
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

if TYPE_CHECKING:  # the YAML modules are imported by a run that reads a YAML file
    from aixcl_lint.documents.yamlpath import YamlTree

NAME = "yaml"
READABLE = ("*.yaml", "*.yml", "*.json")


@functools.lru_cache(maxsize=256)
def _path(path: str) -> tuple[str | int, ...]:
    from aixcl_lint.documents.yamlpath import compile_path

    return compile_path(path)


def _valid_path(path: str) -> object:
    """A key path read at load time (ValueError says what is wrong)."""
    from aixcl_lint.documents.yamlpath import compile_path

    return compile_path(path)


def _variables(tree: YamlTree, ptr: tuple[Any, ...]) -> dict[str, str]:
    from aixcl_lint.documents.yamlpath import KEY, dotted

    keys = [p for p in ptr[1:] if isinstance(p, str) and p != KEY]
    return {
        "path": tree.path,
        "document": str(ptr[0] + 1),
        "at": dotted(ptr[1:]) or "(document)",
        "key": keys[-1] if keys else "",
    }


def _documents(tree: Tree, _: str) -> Iterator[Subject]:
    from aixcl_lint.documents.yamlpath import YamlTree

    assert isinstance(tree, YamlTree)
    for i, data in enumerate(tree.data):
        yield Subject(tree, (i,), _variables(tree, (i,)), data)


def _nodes(tree: Tree, path: str) -> Iterator[Subject]:
    from aixcl_lint.documents.yamlpath import YamlTree, nodes

    assert isinstance(tree, YamlTree)
    for ptr, value in nodes(tree, _path(path)):
        yield Subject(tree, ptr, _variables(tree, ptr), value)


def _keys(tree: Tree, path: str) -> Iterator[Subject]:
    from aixcl_lint.documents.scalars import scalar_text
    from aixcl_lint.documents.yamlpath import KEY, YamlTree, nodes

    assert isinstance(tree, YamlTree)
    for ptr, value in nodes(tree, _path(path)) if path else _roots(tree):
        if isinstance(value, dict):
            for key in value:
                at = (*ptr, key, KEY)
                yield Subject(tree, at, _variables(tree, at), scalar_text(key))


def _items(tree: Tree, path: str) -> Iterator[Subject]:
    from aixcl_lint.documents.yamlpath import YamlTree, nodes

    assert isinstance(tree, YamlTree)
    for ptr, value in nodes(tree, _path(path)) if path else _roots(tree):
        if isinstance(value, list):
            for index, item in enumerate(value):
                at = (*ptr, index)
                yield Subject(tree, at, _variables(tree, at), item)


def _roots(tree: YamlTree) -> Iterator[tuple[tuple[Any, ...], Any]]:
    for i, data in enumerate(tree.data):
        yield (i,), data


def _units(planned: Planned) -> list[Unit]:
    return single_units(NAME, planned.matching(READABLE))


def _load(reader: Reader, units: Sequence[Unit]) -> Iterator[Document]:
    from aixcl_lint.documents.yamlpath import YamlTree

    for unit in units:
        rel = unit.paths[0]
        parsed = reader.yaml_file(rel)
        reader.forget(rel)
        if parsed.documents:
            yield Document(NAME, (rel,), YamlTree(rel, parsed, repository_of(reader)))


_VARIABLES = ("path", "document", "at", "key")
_OPEN = "the node's own keys; `.` is the node itself (a plain value: a string item, a key)"
_Select = Callable[[Tree, str], Iterator[Subject]]

SPEC = KindSpec(
    name=NAME,
    summary=(
        "Any YAML or JSON file (`*.yaml`, `*.yml`, `*.json`) chosen by `target.files`: "
        "GitHub workflows and composite actions, Kubernetes manifests, config files. "
        "Every document of a multi-document file is read; merge keys, aliases (bounded), "
        "depth, size and unsafe tags are handled as for compose files. A key path is "
        "keys joined by `.`, `*` for every key of a mapping, `[*]` for every item of a "
        "list, `[N]` for one item (from 0): `jobs.*.steps[*]`."
    ),
    globs=(),
    selectors={
        "document": SelectorSpec(
            "each document of the file", _VARIABLES, _documents, fields_doc=_OPEN
        ),
        "nodes": SelectorSpec(
            "each value at the key path, in every document",
            _VARIABLES,
            _nodes,
            fields_doc=_OPEN,
            parameter="key path",
            required=True,
            validate=_valid_path,
        ),
        "keys": SelectorSpec(
            "each key of the mappings at the key path (none: of the document)",
            _VARIABLES,
            _keys,
            fields_doc="`.`: the key itself (findings point at the key)",
            parameter="key path",
            validate=_valid_path,
        ),
        "items": SelectorSpec(
            "each item of the lists at the key path, plain values included",
            _VARIABLES,
            _items,
            fields_doc=_OPEN,
            parameter="key path",
            validate=_valid_path,
        ),
    },
    units=_units,
    load=_load,
    exclusive=False,
    readable=READABLE,
    capabilities=frozenset({"repository"}),
    file_variables=frozenset({"path"}),
)
