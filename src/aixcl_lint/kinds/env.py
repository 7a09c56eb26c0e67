"""``env``: ``KEY=value`` files as Compose reads them. No rule targets them directly;
compose projects interpolate with them and relations read their variables, and their
lines are checked in every run."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from aixcl_lint.kinds.base import Document, KindSpec, Planned, Reader, Unit, single_units

NAME = "env"


def _units(planned: Planned) -> list[Unit]:
    return single_units(NAME, planned.of(NAME))


def _load(reader: Reader, units: Sequence[Unit]) -> Iterator[Document]:
    """No documents: reading the folder's ``.env`` reports its problems."""
    for unit in units:
        reader.env_for(unit.paths[0].rpartition("/")[0])
    yield from ()


SPEC = KindSpec(
    name=NAME,
    summary=(
        "`KEY=value` lines (`.env`, `*.env`), quotes, comments and expansion as Compose reads them."
    ),
    globs=(".env", "*.env"),
    selectors={},
    units=_units,
    load=_load,
    always=True,
    context=True,
)
