"""Records: frozen value classes as ``@dataclass`` makes them, for a fraction of the cost.

``@record`` takes a class written as for ``@dataclass(frozen=True)`` (annotated fields,
defaults, ``dataclasses.field(default=..., default_factory=..., compare=..., repr=...,
init=...)``, ``__post_init__``) and gives it the same ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ordering (``order=True``), ``__slots__`` (``slots=True``) and
frozen ``__setattr__`` / ``__delattr__`` (``FrozenInstanceError``). Only ``__init__`` is
generated code, written when the class's first record is made; the other methods are
shared functions reading a per-class key (``operator.attrgetter`` of the compared
fields). Python 3.11's ``@dataclass`` compiles each of up to ten methods with its own
``exec`` (about 2 ms a class), and a run imports 30 or more of them at every start
(issue 14, "Start-up"). mypy reads a record as a dataclass
(``typing.dataclass_transform``); ``replace`` stands for ``dataclasses.replace``.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar, dataclass_transform, overload

__all__ = ["record", "replace"]

T = TypeVar("T")


class _Field(NamedTuple):
    name: str
    default: Any
    factory: Any
    init: bool
    repr: bool
    compare: bool


def _fields(cls: type) -> list[_Field]:
    """The fields of ``cls`` in order, with what ``dataclasses.field`` said of each."""
    made = []
    for name, kind in inspect.get_annotations(cls).items():
        if str(kind).startswith(("ClassVar", "typing.ClassVar")):
            continue
        given = cls.__dict__.get(name, MISSING)
        if isinstance(given, dataclasses.Field):
            spec = given
            made.append(
                _Field(
                    name,
                    spec.default,
                    spec.default_factory,
                    spec.init,
                    spec.repr,
                    bool(spec.compare),
                )
            )
        else:
            made.append(_Field(name, given, MISSING, True, True, True))
    return made


def _init(cls: type, fields: list[_Field], frozen: bool) -> Callable[..., None]:
    """The class's ``__init__``, as ``dataclasses`` writes it (the one ``exec``)."""
    scope: dict[str, Any] = {"_set": object.__setattr__, "_MISSING": MISSING}
    params, body = ["self"], []
    for f in fields:
        value = f.name
        if f.factory is not MISSING:
            scope[f"_f_{f.name}"] = f.factory
            if f.init:
                params.append(f"{f.name}=_MISSING")
                value = f"_f_{f.name}() if {f.name} is _MISSING else {f.name}"
            else:
                value = f"_f_{f.name}()"
        elif f.default is not MISSING:
            scope[f"_d_{f.name}"] = f.default
            if f.init:
                params.append(f"{f.name}=_d_{f.name}")
            else:
                value = f"_d_{f.name}"
        elif f.init:
            params.append(f.name)
        else:
            continue
        body.append(f"_set(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
    if "__post_init__" in cls.__dict__:
        body.append("self.__post_init__()")
    source = f"def __init__({', '.join(params)}):\n " + "\n ".join(body or ["pass"])
    exec(source, scope)  # the text is made of the class's own field names
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _first_init(cls: type, fields: list[_Field], frozen: bool) -> Callable[..., None]:
    """An ``__init__`` that writes the real one when the first record is made: a run
    imports many classes it never instantiates (a warm run makes no ``Step``)."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        made = _init(cls, fields, frozen)
        type.__setattr__(cls, "__init__", made)
        made(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _key(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the values of ``names`` of a record, always as a tuple."""
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda value: (one(value),)
    if not names:
        return lambda value: ()
    return attrgetter(*names)


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return bool(key(self) == key(other))
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _ordering(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], Any]:
    def ordered(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            key = self.__record_key__
            return compare(key(self), key(other))
        return NotImplemented

    return ordered


_ORDER = {
    "__lt__": _ordering(lambda a, b: a < b),
    "__le__": _ordering(lambda a, b: a <= b),
    "__gt__": _ordering(lambda a, b: a > b),
    "__ge__": _ordering(lambda a, b: a >= b),
}


def _setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__slots__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__slots__, state, strict=True):
        object.__setattr__(self, name, value)


def _slotted(cls: type, names: list[str]) -> type:
    """``cls`` made again with ``__slots__`` for its fields (as ``dataclasses`` does)."""
    body = {k: v for k, v in cls.__dict__.items() if k not in names}
    body.pop("__dict__", None)
    body.pop("__weakref__", None)
    body["__slots__"] = tuple(names)
    made = type(cls)(cls.__name__, cls.__bases__, body)
    made.__qualname__ = cls.__qualname__
    return made


def _make(cls: type, frozen: bool, order: bool, eq: bool, init: bool, slots: bool) -> type:
    fields = _fields(cls)
    names = [f.name for f in fields]
    for f in fields:  # a default stays a class attribute, as with dataclasses
        if isinstance(cls.__dict__.get(f.name), dataclasses.Field):
            if f.default is MISSING:
                delattr(cls, f.name)
            else:
                setattr(cls, f.name, f.default)
    if slots:
        cls = _slotted(cls, names)
    shared: dict[str, Any] = {
        "__record_fields__": tuple(names),
        "__record_repr__": tuple(f.name for f in fields if f.repr),
        "__record_key__": staticmethod(_key([f.name for f in fields if f.compare])),
        "__match_args__": tuple(f.name for f in fields if f.init),
    }
    if init and "__init__" not in cls.__dict__:
        shared["__init__"] = _first_init(cls, fields, frozen)
    if "__repr__" not in cls.__dict__:
        shared["__repr__"] = _repr
    if eq:
        shared["__eq__"] = _eq
        shared["__hash__"] = _hash if frozen else None
    if order:
        shared.update(_ORDER)
    if frozen:
        shared["__setattr__"] = _setattr
        shared["__delattr__"] = _delattr
        if slots:
            shared["__getstate__"] = _getstate
            shared["__setstate__"] = _setstate
    for name, value in shared.items():
        setattr(cls, name, value)
    return cls


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(
    *,
    frozen: bool = True,
    order: bool = False,
    eq: bool = True,
    init: bool = True,
    slots: bool = False,
) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(
    cls: type[T] | None = None,
    /,
    *,
    frozen: bool = True,
    order: bool = False,
    eq: bool = True,
    init: bool = True,
    slots: bool = False,
) -> type[T] | Callable[[type[T]], type[T]]:
    """``@dataclass(frozen=True, ...)`` without its generated code's cost (see above)."""

    def make(c: type[T]) -> type[T]:
        return _make(c, frozen, order, eq, init, slots)

    return make if cls is None else make(cls)


def replace(value: T, /, **changes: Any) -> T:
    """A copy of the record (or dataclass) ``value`` with ``changes``, as
    ``dataclasses.replace`` makes it: every field ``__init__`` takes that is not changed
    is passed as it is."""
    fields = getattr(type(value), "__record_fields__", None)
    if fields is None:
        return dataclasses.replace(value, **changes)  # type: ignore[type-var]
    taken = type(value).__match_args__  # type: ignore[attr-defined]
    for name in changes:
        if name not in taken:
            raise TypeError(f"{type(value).__qualname__} has no field {name!r} to replace")
    return type(value)(**{name: changes.get(name, getattr(value, name)) for name in taken})
