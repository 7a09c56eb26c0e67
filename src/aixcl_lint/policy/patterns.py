"""RE2 patterns of policies: compiled at load, or, for a policy file that compiled
before (``policy.parsed``), on first use, so that a run whose every result is kept
neither imports re2 nor compiles the pack's patterns (41 of them in the built-in
pack: about 15 ms)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from aixcl_lint import deferred

_DEFERRED = [False]
"""Whether patterns compiled now are known to be valid (set by ``deferring``)."""


class Invalid(ValueError):
    """A pattern RE2 rejects: its reason."""


class Ambiguous(ValueError):
    """A pattern holding the text of an argument form (``{option: NAME}``), which RE2
    would read as literal braces while its author meant the option's value."""


_FORM = deferred.pattern(r"(?<!\\)\{\s*(option|field)\s*:[^}]*\}")


def unambiguous(source: str) -> None:
    """Refuse a pattern holding ``{option: NAME}`` or ``{field: PATH}`` as text: a
    pattern is text and ``{name}`` placeholders only; an escaped ``\\{`` is a brace."""
    found = _FORM.search(source) if "{" in source else None
    if found is not None:
        raise Ambiguous(
            f"'{found.group()}' in a pattern is text, not the {found.group(1)}'s value: a "
            f"pattern takes only {{name}} variables (write \\{{ for a literal brace)"
        )


def compile_now(source: str) -> Any:
    """An RE2 pattern; Invalid says why RE2 rejects it."""
    import re2

    options = re2.Options()
    options.log_errors = False  # the error is ours to report, in one line
    try:
        return re2.compile(source, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise Invalid(str(reason)) from None


class Deferred:
    """A pattern compiled on first use: each attribute asked of it (``search``,
    ``finditer``, ``groups``) is the compiled pattern's, kept on this object, so later
    calls cost no more than the compiled pattern's own."""

    def __init__(self, source: str) -> None:
        self.pattern = source

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self.__dict__["_compiled"] = compile_now(self.pattern)
        value = getattr(compiled, name)
        self.__dict__[name] = value
        return value


def pattern(source: str) -> Any:
    """The pattern, compiled now (Invalid if RE2 rejects it, Ambiguous if it holds an
    argument form as text) or, while ``deferring``, on first use."""
    if _DEFERRED[0]:
        return Deferred(source)
    unambiguous(source)
    return compile_now(source)


@contextlib.contextmanager
def deferring() -> Iterator[None]:
    """Patterns compiled inside are known to be valid: compile each on first use."""
    before = _DEFERRED[0]
    _DEFERRED[0] = True
    try:
        yield
    finally:
        _DEFERRED[0] = before


def checking() -> bool:
    """Whether patterns are checked as they are compiled (a policy file new to this
    machine): a check on a pattern (its groups) is made at load only then."""
    return not _DEFERRED[0]


def escape(text: str) -> str:
    """``text`` as an RE2 pattern matching it literally."""
    import re2

    return str(re2.escape(text))
