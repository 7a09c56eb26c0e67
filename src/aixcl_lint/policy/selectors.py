"""Selectors as policies name them: ``select: NAME`` or ``select: {NAME: PARAMETER}``,
looked up in the kinds registry (``aixcl_lint.kinds``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aixcl_lint.core import Kind
from aixcl_lint.kinds import KINDS, SelectorSpec
from aixcl_lint.policy.model import Subject, Tree
from aixcl_lint.records import record

CHECK_VARIABLES = frozenset({"field", "value", "raw", "expected"})
"""Message variables every check provides."""


class SelectorError(ValueError):
    """A ``select:`` that names no selector of the kind, or gives it a wrong parameter."""


@record
class Selection:
    """A selector with its parameter, compiled: ``key`` identifies it within a document."""

    name: str
    parameter: str
    spec: SelectorSpec

    @property
    def key(self) -> str:
        """The same selector with the same parameter selects the same subjects."""
        return f"{self.name}\0{self.parameter}" if self.parameter else self.name

    def __call__(self, tree: Tree) -> Iterator[Subject]:
        return self.spec.select(tree, self.parameter)


def compile_selector(kind: Kind, written: Any) -> Selection:
    """``select:`` as written (a name, or ``{NAME: PARAMETER}``) for ``kind``."""
    if isinstance(written, dict):
        ((name, parameter),) = written.items()
    else:
        name, parameter = written, ""
    selectors = KINDS[kind].selectors
    spec = selectors.get(name)
    if spec is None:
        known = ", ".join(selectors)
        raise SelectorError(
            f"selector {name!r} does not apply to {kind} files (selectors: {known})"
        )
    if parameter and not spec.parameter:
        raise SelectorError(f"selector {name!r} takes no parameter")
    if spec.required and not parameter:
        raise SelectorError(f"selector {name!r} needs a {spec.parameter}: {{{name}: ...}}")
    if spec.validate is not None and parameter:
        try:
            spec.validate(str(parameter))
        except ValueError as exc:
            raise SelectorError(str(exc)) from None
    return Selection(str(name), str(parameter), spec)
