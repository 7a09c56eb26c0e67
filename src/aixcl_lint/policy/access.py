"""What every check shares: reading a field of a subject, and compiling arguments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aixcl_lint.core import Pointer
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.policy import patterns
from aixcl_lint.policy.model import Evaluator, Outcome, Subject
from aixcl_lint.policy.template import placeholders, render
from aixcl_lint.records import record

MISSING: Any = object()
"""A field that is not there."""
NOT_APPLICABLE = Outcome(None)


class CheckError(ValueError):
    """A check that cannot be compiled; ``where`` is the pointer of the offending key."""

    def __init__(self, where: Pointer, message: str) -> None:
        super().__init__(message)
        self.where = where


def field_pointer(spec: Any) -> Pointer:
    """A ``field:`` as a relative pointer: dotted text or a list of keys; ``.`` is the
    subject itself (a plain list item, a YAML key)."""
    if spec is None or spec == ".":
        return ()
    if isinstance(spec, str):
        return tuple(spec.split("."))
    return tuple(spec)


def lookup(data: Any, ptr: Pointer) -> Any:
    """The value at ``ptr`` below ``data``, or ``MISSING``."""
    for key in ptr:
        if isinstance(data, dict):
            if key not in data:
                return MISSING
            data = data[key]
        elif isinstance(data, list):
            index = int(key) if isinstance(key, str) and key.isdigit() else key
            if not isinstance(index, int) or not -len(data) <= index < len(data):
                return MISSING
            data = data[index]
        else:
            return MISSING
    return data


def resolve(subject: Subject, rel: Pointer) -> tuple[Pointer, Any]:
    """The pointer and value of a field of ``subject`` (``MISSING`` if absent).

    A field ``@NAME`` reads the subject's message variable NAME instead (``@service``:
    a service's name), pointing at the subject itself.
    """
    if rel and isinstance(rel[0], str) and rel[0].startswith("@"):
        return subject.pointer, subject.variables.get(rel[0][1:], MISSING)
    target = subject.value
    if target is None:
        target = lookup(subject.tree.data, subject.pointer)
    return (*subject.pointer, *rel), lookup(target, rel)


Reader = Callable[[Subject], tuple[Pointer, Any]]
"""A field of subjects, compiled: its pointer and value (``MISSING`` if absent)."""


def reader(rel: Pointer) -> Reader:
    """``resolve`` for one field, its form decided once: a message variable, one key of
    the subject's mapping (most fields), or a path."""
    if rel and isinstance(rel[0], str) and rel[0].startswith("@"):
        name = rel[0][1:]
        return lambda subject: (subject.pointer, subject.variables.get(name, MISSING))
    if len(rel) == 1 and isinstance(rel[0], str):
        (key,) = rel

        def one_key(subject: Subject) -> tuple[Pointer, Any]:
            target = subject.value
            if target is None:
                target = lookup(subject.tree.data, subject.pointer)
            if target.__class__ is dict:
                return (*subject.pointer, key), target.get(key, MISSING)
            return (*subject.pointer, key), lookup(target, rel)

        return one_key
    return lambda subject: resolve(subject, rel)


def value_reader(rel: Pointer) -> Callable[[Subject], Any]:
    """A field's value alone (``MISSING`` if absent), as ``reader`` reads it, without
    building its pointer: what a verdict reads."""
    read = reader(rel)
    if len(rel) == 1 and isinstance(rel[0], str) and not rel[0].startswith("@"):
        (key,) = rel

        def one_value(subject: Subject) -> Any:
            target = subject.value
            if target.__class__ is dict:
                return target.get(key, MISSING)
            return read(subject)[1]

        return one_value
    return lambda subject: read(subject)[1]


def describe(value: Any) -> str:
    """A value as a message shows it: a scalar as YAML writes it (``true``, never
    Python's ``True``)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return scalar_text(value)


def regex(pattern: str, where: Pointer, written: str | None = None) -> Any:
    """A compiled RE2 pattern (``policy.patterns``); a pattern RE2 rejects is a load
    error that shows it as the policy wrote it (``written``, for a template tried with
    stand-in values), not as Python would spell it."""
    try:
        return patterns.pattern(pattern)
    except patterns.Ambiguous as exc:
        raise CheckError(where, str(exc)) from None
    except patterns.Invalid as exc:
        reason = str(exc)
        if written is not None:  # RE2's reason quotes the stand-in text: only its words
            pattern, reason = written, reason.partition(": ")[0]
        raise CheckError(where, f"RE2 rejects the pattern '{pattern}': {reason}") from None


Argument = Callable[[Subject, Mapping[str, Any]], Any]
"""An operator's argument for one subject: a constant, a rule option (``{option: NAME}``),
another field of the subject (``{field: PATH}``) or a template of its variables. A field
that is not there is ``MISSING``: the operator then does not apply."""


class Constant:
    """An argument the same for every subject: operators work out what they compare
    with once, at load."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, subject: Subject, options: Mapping[str, Any]) -> Any:
        return self.value


def field_text(subject: Subject, value: Any, *, raw: bool) -> Any:
    """A field's value as checks compare it: scalars as (interpolated) text, lists item
    by item; a mapping as it is."""
    if isinstance(value, list):
        return [field_text(subject, v, raw=raw) for v in value]
    if value is MISSING or isinstance(value, dict):
        return value
    written = value if value.__class__ is str else scalar_text(value)
    return written if raw else subject.tree.interpolate(written)


@record
class Context:
    """What compiling one operator needs: where it is, its field, the rule's options, and
    the message variables its subjects have (which argument templates may use)."""

    at: Pointer
    op: str
    field: Pointer
    raw: bool
    options: Mapping[str, Any]
    compile: Callable[[Mapping[str, Any], Pointer], Evaluator]
    variables: frozenset[str] = frozenset()
    whole: bool = False
    """The field is ``.``: the subject itself."""

    def argument(
        self, value: Any, *, key: Pointer = (), quote: Callable[[str], str] | None = None
    ) -> Argument:
        """``value``: a constant, ``{option: NAME}``, ``{field: PATH}`` or a template
        (``quote`` transforms the values put into it)."""
        where = (*self.at, self.op, *key)
        if isinstance(value, dict) and set(value) == {"option"}:
            name = value["option"]
            if name not in self.options:
                known = ", ".join(sorted(self.options)) or "none declared"
                raise CheckError((*where, "option"), f"unknown option {name!r} (options: {known})")
            return lambda subject, options: options.get(name)
        if isinstance(value, dict) and set(value) == {"field"}:
            rel, raw = field_pointer(value["field"]), self.raw

            def other(subject: Subject, options: Mapping[str, Any]) -> Any:
                return field_text(subject, resolve(subject, rel)[1], raw=raw)

            return other
        if isinstance(value, list):
            parts = [self.argument(v, key=(*key, i), quote=quote) for i, v in enumerate(value)]
            constants = [part.value for part in parts if isinstance(part, Constant)]
            if len(constants) == len(parts):
                return Constant(constants)
            return lambda subject, options: [part(subject, options) for part in parts]
        if isinstance(value, str):
            return self._template(value, where, quote)
        return Constant(value)

    def _template(self, text: str, where: Pointer, quote: Callable[[str], str] | None) -> Argument:
        used = placeholders(text)
        unknown = sorted(used - self.variables)
        if unknown:
            known = ", ".join(sorted(self.variables)) or "none"
            raise CheckError(
                where,
                f"unknown variable {{{unknown[0]}}} in an argument (known: {known}; "
                f"write {{{{{unknown[0]}}}}} for the text {{{unknown[0]}}})",
            )
        if not used:
            return Constant(render(text, {}))
        return lambda subject, options: render(text, subject.variables, quote)

    def need_field(self) -> None:
        """Fail to compile if this operator has no ``field``."""
        if not self.field and not self.whole:
            raise CheckError(self.at, f"operator {self.op!r} needs a 'field'")
