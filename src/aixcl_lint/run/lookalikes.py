"""YAML files that look like Compose files but no project reads: a hint on standard
error, once a run, so that ``stack.yml`` or ``docker-compose.prod.yml`` alone are not
skipped without a word (as ruff says "No Python files found")."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from aixcl_lint import fsio
from aixcl_lint.documents import schema_keys

HEAD_BYTES = 64 * 1024
"""How much of a file is read for the hint: Compose files say ``services:`` early, and
a run (a warm one too, whose cache knows nothing of these files) reads no more of each."""
SHOWN = 3
"""How many of the files the hint names."""
_EVIDENCE = frozenset({"image", "build", "extends"})
"""Keys of which some service must have one: what Compose needs to run it."""


def _judged(data: bytes, *, whole: bool) -> Any:
    """The YAML node tree of ``data``, cut (unless ``whole``) after its last full line
    (the read may have cut one: a block mapping cut between lines still parses); None
    when it does not parse. Composed, not constructed: an alias is never expanded."""
    if not whole:
        data = data[: data.rfind(b"\n") + 1]
    from aixcl_lint.yamllib import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.compose(data, Loader=loader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return None


def _keys(node: Any, *, merged: bool = False) -> list[Any] | None:
    """A mapping node's keys (a key that is no text as None; ``merged``: with those of
    the mappings its ``<<`` merges), None for another node."""
    if node is None or node.id != "mapping":
        return None
    keys = [k.value if k.id == "scalar" else None for k, _ in node.value]
    for key, value in node.value if merged and "<<" in keys else ():
        if key.value == "<<":
            for mapping in value.value if value.id == "sequence" else [value]:
                keys += _keys(mapping) or ()
    return keys


def _allowed(keys: list[Any], allowed: frozenset[str]) -> bool:
    return all(
        isinstance(k, str) and (k in allowed or k.startswith("x-") or k == "<<") for k in keys
    )


def looks_like_compose(data: bytes, *, whole: bool = True) -> bool:
    """Whether YAML text reads as a Compose file: only keys Compose's schema allows at
    the top level, a ``services`` mapping of mappings with only service keys, and one
    service at least with an ``image``, a ``build`` or an ``extends`` (``whole``: False
    when ``data`` is a file's first bytes only)."""
    if not (data.startswith(b"services:") or b"\nservices:" in data):
        return False  # (the cheap test first: most YAML files never say it)
    tree = _judged(data, whole=whole)
    top = _keys(tree)
    if top is None or not _allowed(top, schema_keys.keys()):
        return False  # a Helm chart's values, an Ansible vars file, a manifest
    services = next((v for k, v in reversed(tree.value) if k.value == "services"), None)
    if services is None or _keys(services) is None:
        return False
    found = [_keys(service, merged=True) for _, service in services.value]
    allowed = schema_keys.keys("service")
    return (
        any(found)
        and all(keys is not None and _allowed(keys, allowed) for keys in found)
        and any(not _EVIDENCE.isdisjoint(keys or ()) for keys in found)
    )


def _in_chart(root: Path, rel: str) -> bool:
    """Whether a folder from the file's up to the root holds a Helm chart's Chart.yaml."""
    folder = rel.rpartition("/")[0]
    while True:
        if (root / folder / "Chart.yaml").is_file():
            return True
        if not folder:
            return False
        folder = folder.rpartition("/")[0]


def found(root: Path, paths: Iterable[str], read: Collection[str]) -> list[str]:
    """The ``.yml`` / ``.yaml`` files of ``paths`` (files no kind claimed) that read as
    Compose files (``looks_like_compose``), less those a compose project ``read`` and
    those of a Helm chart."""
    hits = []
    for rel in paths:
        if not rel.endswith((".yml", ".yaml")) or rel in read:
            continue
        try:
            data = fsio.read_head(root / rel, HEAD_BYTES + 1, root)
        except (fsio.Refused, OSError):
            continue
        whole = len(data) <= HEAD_BYTES
        if looks_like_compose(data if whole else data[:HEAD_BYTES], whole=whole) and not _in_chart(
            root, rel
        ):
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
