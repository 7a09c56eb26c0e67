"""The steps a relation applies to each side's values, as a typed registry (``STEPS``).

A step turns one value into none, one or several (``split``), and moves the value's
position with its text: a value taken from where it was written keeps the column of
its first character through ``trim``, ``split``, ``strip`` and ``drop-prefix``, so an
item of ``SERVICES=web,cache`` is reported at its own column. A step that rewrites the
text (``map``, a ``lower`` that changes its length) keeps the position it had.
``docs/policy-language.md`` holds the table ``table()`` renders (a test checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Protocol

from aixcl_lint.core import Location, Pointer, Position, Span
from aixcl_lint.kinds.base import Tree
from aixcl_lint.policy.access import CheckError, regex


class Origin(NamedTuple):
    """Where a value was taken from: a document's pointer (a key, or the value) and the
    text taken there."""

    tree: Tree
    ptr: Pointer
    key: bool
    text: str


class Value(NamedTuple):
    """One value of a side: its text and where it came from. While ``aligned``, the text
    still stands at ``start`` in the origin's text (same length), so a part of a value
    written on one line is pointed at exactly."""

    text: str
    origin: Origin | Location | None
    start: int = 0
    aligned: bool = True

    def part(self, start: int, end: int) -> Value:
        """The text from ``start`` to ``end``."""
        return Value(self.text[start:end], self.origin, self.start + start, self.aligned)

    def rewritten(self, text: str) -> Value:
        """Other text at the same place; aligned only if its length is unchanged."""
        if text == self.text:
            return self
        return Value(text, self.origin, self.start, self.aligned and len(text) == len(self.text))


class Lines(Protocol):
    """Reads the line a value was written on."""

    def line_text(self, rel: str, line: int) -> str:
        """One line of a file ("" past its end)."""


def locate(value: Value, lines: Lines | None) -> Location | None:
    """Where a value stands: the part of the written text it is when that can be told
    (the origin's text starts at its place, on one line, perhaps after a quote), else
    the place of the whole value or key it came from."""
    origin = value.origin
    if not isinstance(origin, Origin):
        return origin
    at = origin.tree.location(origin.ptr, value=not origin.key)
    if at is None or lines is None or not value.aligned:
        return at
    first = at.span.start
    written = lines.line_text(at.path, first.line)[first.column - 1 :]
    if written.startswith(origin.text):
        shift = 0
    elif written[:1] in ("'", '"') and written[1:].startswith(origin.text):
        shift = 1
    else:
        return at
    column = first.column + shift + value.start
    return Location(
        at.path, Span(Position(first.line, column), Position(first.line, column + len(value.text)))
    )


Step = Callable[[Value], list[Value]]


def _lower(_: Any, at: Pointer) -> Step:
    return lambda value: [value.rewritten(value.text.lower())]


def _trim(_: Any, at: Pointer) -> Step:
    def step(value: Value) -> list[Value]:
        start = len(value.text) - len(value.text.lstrip())
        return [value.part(start, len(value.text.rstrip()))] if value.text.strip() else []

    return step


def _split(pattern: Any, at: Pointer) -> Step:
    compiled = regex(str(pattern), at)

    def step(value: Value) -> list[Value]:
        parts, start = [], 0
        for match in compiled.finditer(value.text):
            if match.end() == match.start():
                continue  # an empty match splits nothing
            parts.append(value.part(start, match.start()))
            start = match.end()
        parts.append(value.part(start, len(value.text)))
        return parts

    return step


def _strip(pattern: Any, at: Pointer) -> Step:
    compiled = regex(str(pattern), at)

    def step(value: Value) -> list[Value]:
        kept, start = [], 0
        for match in compiled.finditer(value.text):
            if start < match.start():
                kept.append((start, match.start()))
            start = max(start, match.end())
        if start < len(value.text):
            kept.append((start, len(value.text)))
        if len(kept) == 1:  # one piece left: still where it was written
            return [value.part(*kept[0])]
        return [value.rewritten("".join(value.text[a:b] for a, b in kept))]

    return step


def _drop_prefix(prefix: Any, at: Pointer) -> Step:
    text = str(prefix)

    def step(value: Value) -> list[Value]:
        if text and value.text.startswith(text):
            return [value.part(len(text), len(value.text))]
        return [value]

    return step


def _drop_matching(pattern: Any, at: Pointer) -> Step:
    compiled = regex(str(pattern), at)
    return lambda value: [] if compiled.search(value.text) else [value]


def _map(table: Any, at: Pointer) -> Step:
    if not isinstance(table, Mapping):
        raise CheckError(at, "map is a mapping {FROM: TO}")
    known = {str(k): str(v) for k, v in table.items()}
    return lambda value: [value.rewritten(known.get(value.text, value.text))]


class StepSpec(NamedTuple):
    """One step as policies write it: ``NAME`` alone, or ``{NAME: ARGUMENT}``."""

    argument: str
    """What its argument is (``RE2``, ``TEXT``, ``{FROM: TO}``); "" for a bare name."""
    doc: str
    build: Callable[[Any, Pointer], Step]
    schema: Mapping[str, Any] | None = None
    """The JSON Schema of its argument; None for a bare name."""


_TEXT = {"type": "string"}
_MAP = {"type": "object", "additionalProperties": {"type": "string"}}

STEPS: dict[str, StepSpec] = {
    "trim": StepSpec("", "drop the spaces around the value (its column moves with it)", _trim),
    "lower": StepSpec("", "lower-case the value", _lower),
    "split": StepSpec(
        "RE2",
        "split the value at each match (`'\\s*,\\s*'`): each part is a value, at its own column",
        _split,
        _TEXT,
    ),
    "strip": StepSpec(
        "RE2", "remove every match (`' \\(.*\\)$'` drops a parenthesis)", _strip, _TEXT
    ),
    "drop-prefix": StepSpec(
        "TEXT", "remove the text at the start of the value", _drop_prefix, _TEXT
    ),
    "drop-matching": StepSpec(
        "RE2", "leave out a value the pattern matches", _drop_matching, _TEXT
    ),
    "map": StepSpec("{FROM: TO}", "replace a whole value found in the mapping", _map, _MAP),
}
"""Every relation step, in the order the docs list them."""


def spelling(name: str) -> str:
    """A step as a policy writes it."""
    spec = STEPS[name]
    return f"`{name}`" if not spec.argument else f"`{{{name}: {spec.argument}}}`"


def compile_steps(specs: Any, at: Pointer) -> Callable[[list[Value]], list[Value]]:
    """Steps as written (a list of names and one-key mappings), composed in order."""
    if specs is None:
        specs = []
    if not isinstance(specs, list):
        raise CheckError(at, "steps are a list")
    steps: list[Step] = []
    for i, spec in enumerate(specs):
        name, argument = (spec, None) if isinstance(spec, str) else _one(spec)
        found = STEPS.get(str(name))
        if found is None or (found.argument == "") != (argument is None):
            known = ", ".join(spelling(n).strip("`") for n in STEPS)
            raise CheckError((*at, i), f"a step is one of {known}")
        steps.append(found.build(argument, (*at, i, name)))

    def apply(values: list[Value]) -> list[Value]:
        for step in steps:
            values = [out for value in values for out in step(value)]
        return values

    return apply


def _one(spec: Any) -> tuple[Any, Any]:
    if isinstance(spec, Mapping) and len(spec) == 1:
        ((name, argument),) = spec.items()
        return name, argument
    return None, None


def table() -> str:
    """The docs table of the steps."""
    lines = ["| step | does |", "| --- | --- |"]
    lines += [f"| {spelling(name)} | {spec.doc} |" for name, spec in STEPS.items()]
    return "\n".join(lines) + "\n"
