"""The fixers a policy may name in ``fix:``, and the options each takes.

The policy layer knows fixers by name, to validate a policy when it is loaded; the fix
layer (``aixcl_lint.fix``) holds the implementations, registered under the same names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from aixcl_lint.core import Kind, Pointer
from aixcl_lint.kinds import KINDS
from aixcl_lint.policy.model import Fix

_SCALARS = (str, int, float, bool)


class FixerOption(NamedTuple):
    """One option of a fixer, given under the fix's ``with:``."""

    description: str
    required: bool = False
    types: tuple[type, ...] = (str,)


class FixerInfo(NamedTuple):
    """What a fixer does, the options it takes and the selectors it works on."""

    summary: str
    options: Mapping[str, FixerOption] = {}  # one shared default: never changed
    selectors: frozenset[str] = frozenset({"project", "services"})
    single_key: bool = False
    """The check's field must be one key (a top-level key of the compose file)."""


FIXERS: dict[str, FixerInfo] = {
    "set-value": FixerInfo(
        "sets the field to `value`: changes a wrong value where it was written, or adds "
        "the key at the subject's indentation (to the service, not to an anchor other "
        "services share)",
        {"value": FixerOption("the value to write", required=True, types=_SCALARS)},
    ),
    "remove-key": FixerInfo(
        "removes the field's key and value (block or flow style) everywhere it was written",
    ),
    "remove-unused-top-level": FixerInfo(
        "removes a top-level key (such as `networks:`) once no service refers to an entry "
        "it declares",
        {
            "used-by": FixerOption(
                "the service field whose entries name the top-level entries "
                "(default: the check's field)"
            )
        },
        selectors=frozenset({"project"}),
        single_key=True,
    ),
}
"""Every fixer a policy may name, by name: the closed list."""


class FixError(ValueError):
    """A ``fix:`` that cannot be used; ``where`` is the pointer of the offending key."""

    def __init__(self, where: Pointer, message: str) -> None:
        super().__init__(message)
        self.where = where


def compile_fix(
    spec: Mapping[str, Any], field_ptr: Pointer, selector: str, kind: Kind, at: Pointer
) -> Fix:
    """A ``fix: {fixer: NAME, with: {...}}`` (schema-valid) checked against the registry.

    ``at`` points at the ``fix`` key, ``field_ptr`` is the field of the check it fixes.
    """
    name = spec["fixer"]
    info = FIXERS.get(name)
    if info is None:
        raise FixError((*at, "fixer"), f"unknown fixer {name!r} (fixers: {', '.join(FIXERS)})")
    fixable = [k for k, spec in KINDS.items() if spec.fixable]
    if not KINDS[kind].fixable:
        only = ", ".join(fixable)
        raise FixError((*at, "fixer"), f"fixer {name!r} applies to {only} rules only")
    if selector not in info.selectors:
        raise FixError(
            (*at, "fixer"),
            f"fixer {name!r} does not apply to '{selector}' checks "
            f"(it fixes {', '.join(sorted(info.selectors))} checks)",
        )
    if not field_ptr:
        raise FixError((*at, "fixer"), f"fixer {name!r} needs a check with a 'field'")
    if info.single_key and len(field_ptr) != 1:
        raise FixError((*at, "fixer"), f"fixer {name!r} needs a field that is one key")
    options = dict(spec.get("with") or {})
    for key, value in options.items():
        option = info.options.get(key)
        if option is None:
            known = ", ".join(info.options) or "none"
            raise FixError((*at, "with", key), f"fixer {name!r} has no option {key!r} ({known})")
        if not isinstance(value, option.types):
            kinds = " or ".join(t.__name__ for t in option.types)
            raise FixError((*at, "with", key), f"option {key!r} of {name!r} must be a {kinds}")
    for key, option in info.options.items():
        if option.required and key not in options:
            raise FixError((*at, "fixer"), f"fixer {name!r} needs the option {key!r} in 'with'")
    return Fix(name, tuple(field_ptr), options)
