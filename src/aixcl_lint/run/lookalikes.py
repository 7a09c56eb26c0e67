"""YAML files that look like Compose files but no project reads: a hint on standard
error, once a run, so that ``stack.yml`` or ``docker-compose.prod.yml`` alone are not
skipped without a word (as ruff says "No Python files found")."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from aixcl_lint import fsio

MAX_BYTES = 1024 * 1024
"""A file larger than this is not read for the hint."""
SHOWN = 3
"""How many of the files the hint names."""


def looks_like_compose(data: bytes) -> bool:
    """Whether YAML text is a mapping whose top-level ``services`` is a mapping."""
    if not (data.startswith(b"services:") or b"\nservices:" in data):
        return False  # (the cheap test first: most YAML files never say it)
    from aixcl_lint.yamllib import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        tree = yaml.load(data, Loader=loader)
    except (yaml.YAMLError, ValueError):
        return False
    return isinstance(tree, dict) and isinstance(tree.get("services"), dict)


def found(root: Path, paths: Iterable[str], read: Collection[str]) -> list[str]:
    """The ``.yml`` / ``.yaml`` files of ``paths`` (files no kind claimed) holding a
    top-level ``services:`` mapping, less those a compose project ``read``."""
    hits = []
    for rel in paths:
        if not rel.endswith((".yml", ".yaml")) or rel in read:
            continue
        try:
            data = fsio.read_regular(root / rel, MAX_BYTES, root)
        except (fsio.Refused, OSError):
            continue
        if looks_like_compose(data):
            hits.append(rel)
    return hits


def hint(paths: list[str]) -> tuple[str, ...]:
    """The one warning line about ``paths`` (none without any)."""
    if not paths:
        return ()
    named = ", ".join(paths[:SHOWN]) + (", ..." if len(paths) > SHOWN else "")
    if len(paths) == 1:
        what = f"1 YAML file ({named}) looks like a Compose file but is not"
    else:
        what = f"{len(paths)} YAML files ({named}) look like Compose files but are not"
    them = "it" if len(paths) == 1 else "them"
    return (
        f"{what} in any compose project; set `compose-files` (or `compose-projects`) in "
        f".aixcl-lint.yaml to lint {them}",
    )
