"""Selectors: what in a document each check is asked about, registered by kind."""

from __future__ import annotations

from collections.abc import Iterator

from aixcl_lint.core import Kind
from aixcl_lint.documents.compose import ComposeProject
from aixcl_lint.policy.model import Selector, Subject, Tree


def _project(tree: Tree) -> Iterator[Subject]:
    assert isinstance(tree, ComposeProject)
    yield Subject(tree, (), {"project": tree.name}, tree.data)


def _services(tree: Tree) -> Iterator[Subject]:
    assert isinstance(tree, ComposeProject)
    for name, service in tree.services():
        yield Subject(tree, ("services", name), {"project": tree.name, "service": name}, service)


SELECTORS: dict[Kind, dict[str, Selector]] = {
    Kind.COMPOSE: {"project": _project, "services": _services},
}
"""Selectors by document kind and name: the closed list a policy may use."""

VARIABLES: dict[str, frozenset[str]] = {
    "project": frozenset({"project"}),
    "services": frozenset({"project", "service"}),
}
"""Message variables each selector provides, besides a check's own."""

CHECK_VARIABLES = frozenset({"field", "value", "raw", "expected"})
"""Message variables every check provides."""
