"""The files compose projects read besides their own: those they extend or include.

A run checks them (their findings are reported, fixable, and the config's include /
exclude apply to them whatever their names), so ``--show-files`` lists them and the
summary counts them, with findings or without. A run counts them from what its steps
parsed (``Scans.composed``) and what kept results recorded (their entries hold the
files they read: ``run.cache``), building nothing again; ``--show-files`` builds here
the projects whose files mention ``extends`` or ``include`` (the rest read nothing
else).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from aixcl_lint import fsio
from aixcl_lint.config import Settings
from aixcl_lint.discover import Files
from aixcl_lint.kinds.base import Unit
from aixcl_lint.run.load import Loader

_MARKERS = (b"extends", b"include")


def _mentions(loader: Loader, path: str) -> bool:
    """Whether a file's bytes mention ``extends`` or ``include`` (read once, raw)."""
    stdin = loader.settings.stdin
    if stdin is not None and stdin[0] == path:
        data = stdin[1]
    else:
        try:
            data = fsio.read_regular(
                os.path.join(loader.settings.root, path),
                loader.settings.max_file_bytes,
                confined=loader.confined,
            )
        except fsio.Refused:
            return False
    return any(marker in data for marker in _MARKERS)


def read_by_projects(
    settings: Settings,
    units: Iterable[Unit],
    files: Files | None,
    keeps: Callable[[str], bool],
) -> set[str]:
    """The files the compose units read that are none of the units' own, as the
    config's include / exclude (``keeps``) leave them."""
    from aixcl_lint.kinds import compose as compose_kind

    loader = Loader(settings, files)
    own: set[str] = set()
    found: set[str] = set()
    for unit in units:
        if unit.kind != compose_kind.NAME:
            continue
        own.update(unit.paths)
        if not any(_mentions(loader, p) for p in unit.paths):
            continue
        compose_kind.build(loader, unit.paths)
        found.update(loader.yaml)
    return {path for path in found - own if keeps(path)}
