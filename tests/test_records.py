"""``records.record`` makes the classes ``@dataclass`` makes, method by method.

Each record below has a twin written with ``@dataclass`` and the same options; both are
driven the same way and must answer the same (repr, equality, hash, order, frozenness,
pickling, ``replace``)."""

from __future__ import annotations

import dataclasses
import pickle
import re
from dataclasses import FrozenInstanceError, dataclass, field
from typing import Any

import pytest

from aixcl_lint.core import Finding, Position, Severity, Span
from aixcl_lint.records import record, replace


@record
class Plain:
    name: str
    count: int = 0
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = field(default_factory=dict, compare=False)
    hidden: str = field(default="h", repr=False)


@dataclass(frozen=True)
class PlainTwin:
    name: str
    count: int = 0
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = field(default_factory=dict, compare=False)
    hidden: str = field(default="h", repr=False)


@record(order=True, slots=True)
class Point:
    line: int
    column: int

    def __post_init__(self) -> None:
        if self.line < 1:
            raise ValueError("1-based")


@dataclass(frozen=True, order=True, slots=True)
class PointTwin:
    line: int
    column: int

    def __post_init__(self) -> None:
        if self.line < 1:
            raise ValueError("1-based")


@record(frozen=False)
class Mutable:
    items: list[int] = field(default_factory=list)
    seen: int = 0


@dataclass
class MutableTwin:
    items: list[int] = field(default_factory=list)
    seen: int = 0


@record
class One:
    value: int


@dataclass(frozen=True)
class OneTwin:
    value: int


ARGS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("a",), {}),
    (("a", 2), {}),
    (("a",), {"tags": ("x", "y"), "hidden": "no"}),
    ((), {"name": "b", "count": 3, "extra": {"k": 1}}),
]


def _unqualified(text: str) -> str:
    return text.replace("Twin", "")


@pytest.mark.parametrize(("args", "kwargs"), ARGS)
def test_a_record_answers_as_its_dataclass_twin(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    mine, twin = Plain(*args, **kwargs), PlainTwin(*args, **kwargs)
    assert repr(mine) == _unqualified(repr(twin))
    assert hash(mine) == hash(twin)
    for other_args, other_kwargs in ARGS:
        other, other_twin = (
            Plain(*other_args, **other_kwargs),
            PlainTwin(*other_args, **other_kwargs),
        )
        assert (mine == other) is (twin == other_twin)
    assert mine.__match_args__ == twin.__match_args__  # type: ignore[attr-defined]


def test_fields_not_compared_are_left_out_of_equality_and_hash() -> None:
    assert Plain("a", extra={"x": 1}) == Plain("a", extra={"y": 2})
    assert hash(Plain("a", extra={"x": 1})) == hash(Plain("a"))
    assert Plain("a") != Plain("a", 1)
    assert Plain("a") != PlainTwin("a")  # another class is never equal
    assert One(1) != (1,)
    assert hash(One(5)) == hash(OneTwin(5))


def test_a_default_factory_makes_a_fresh_value_per_record() -> None:
    first, second = Plain("a"), Plain("b")
    assert first.extra == {}
    assert first.extra is not second.extra
    assert Mutable().items is not Mutable().items


def test_a_record_is_frozen_and_a_mutable_one_is_not() -> None:
    point = Point(1, 2)
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'line'"):
        point.line = 3  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'line'"):
        del point.line  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        Plain("a").name = "b"  # type: ignore[misc]
    changing = Mutable()
    changing.seen = 4
    assert changing == Mutable([], 4)
    with pytest.raises(TypeError):
        hash(changing)
    with pytest.raises(TypeError):
        hash(MutableTwin())


def test_an_ordered_record_sorts_as_its_twin() -> None:
    pairs = [(3, 1), (1, 2), (1, 1), (2, 9), (1, 2)]
    mine = sorted(Point(*p) for p in pairs)
    twins = sorted(PointTwin(*p) for p in pairs)
    assert [(p.line, p.column) for p in mine] == [(p.line, p.column) for p in twins]
    assert Point(1, 2) <= Point(1, 2) < Point(2, 1)
    assert Point(2, 1) >= Point(1, 9) > Point(1, 8)
    with pytest.raises(TypeError):
        _ = Point(1, 1) < (1, 1)  # type: ignore[operator]


def test_slots_post_init_and_pickling() -> None:
    point = Point(4, 5)
    assert not hasattr(point, "__dict__")
    assert Point.__slots__ == PointTwin.__slots__ == ("line", "column")
    with pytest.raises(ValueError, match="1-based"):
        Point(0, 1)
    assert pickle.loads(pickle.dumps(point)) == point
    assert pickle.loads(pickle.dumps(Plain("a", 1, extra={"x": 1}))).extra == {"x": 1}
    finding = Finding("a.md", Span(Position(1, 2), Position(3, 4)), "r", Severity.ERROR, "m")
    assert pickle.loads(pickle.dumps(finding)) == finding


def test_an_init_asks_for_what_its_twin_asks_for() -> None:
    for made in (Plain, PlainTwin):
        with pytest.raises(TypeError):
            made()  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            made("a", nope=1)  # type: ignore[call-arg]
    assert Point(line=1, column=2) == Point(1, 2)


def test_replace_changes_the_fields_named_and_keeps_the_rest() -> None:
    base = Plain("a", 1, ("t",), {"k": 1}, "secret")
    changed = replace(base, count=2)
    assert (changed.name, changed.count, changed.tags, changed.hidden) == ("a", 2, ("t",), "secret")
    assert changed.extra is base.extra
    with pytest.raises(TypeError, match="no field 'nope'"):
        replace(base, nope=1)
    assert replace(PlainTwin("a"), count=5) == dataclasses.replace(PlainTwin("a"), count=5)
    assert replace(Point(1, 2), column=7) == Point(1, 7)


def test_visible_escapes_every_character_of_its_class_and_keeps_printable_text() -> None:
    from aixcl_lint import core

    every = "".join(map(chr, range(0x110000)))
    escaped = [match.group() for match in re.finditer(core._INVISIBLE, every)]
    assert len(escaped) > 2000  # the controls, bidirectional marks and surrogates
    for char in escaped:
        # the fast path (printable text is returned as it is) never skips one of them
        assert not char.isprintable(), hex(ord(char))
        assert core.visible(f"a{char}b") != f"a{char}b"
    assert core.visible("tab\tand § ü") == "tab\tand § ü"
    assert core.visible("x\x1b[2Jy\u202e\n") == "x\\x1b[2Jy\\u202e\\n"
    assert core.visible("plain text") == "plain text"
