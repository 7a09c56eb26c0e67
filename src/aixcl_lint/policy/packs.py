"""Policy packs: a folder of policy files that may build on other packs.

A folder's ``pack.yaml`` names the packs it extends (``builtin`` or other folders,
relative to it) and adjusts their rules by id (``policy.adjust``: a rule, a sub-id or
a prefix): severity, options, or ``enabled: false``. Extended packs load first; a
pack is loaded once however often it is named; a cycle of ``extends`` is an error
naming the folders in it.

    pack: 1
    extends: [builtin, ../shared/platform-pack]
    rules:
      compose/image-pinned:
        severity: warning
        options: {exempt-local-builds: false}
      docs/heading-structure: {enabled: false}
      compose/network-mode-host:
        governed-by: {path: docs/governance.md, section: "3"}
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from aixcl_lint import fsio
from aixcl_lint.config import ConfigError, read_yaml
from aixcl_lint.core import did_you_mean
from aixcl_lint.policy import adjust, shipped
from aixcl_lint.policy.loader import builtin_files, load_pack, policy_files
from aixcl_lint.policy.model import Pack, PolicyError, Rule

PACK_FILE = "pack.yaml"
BUILTIN = "builtin"
_PACK_KEYS = ("pack", "extends", "rules")


class _Manifest(NamedTuple):
    extends: tuple[str, ...]
    rules: dict[str, dict[str, Any]]
    lines: dict[str, int]
    extends_line: int = 1


def _read_manifest(path: Path, shown: str) -> _Manifest:
    try:
        data, node = read_yaml(path, shown, "pack")
    except ConfigError as exc:
        raise PolicyError(exc.path, exc.line, exc.message) from None
    if not isinstance(data, dict) or data.get("pack") != 1:
        raise PolicyError(shown, 1, "a pack file starts with `pack: 1`")
    unknown = sorted(str(k) for k in set(data) - set(_PACK_KEYS))
    if unknown:
        hint = did_you_mean(unknown[0], _PACK_KEYS) or f" (keys: {', '.join(_PACK_KEYS)})"
        raise PolicyError(shown, 1, f"unknown pack key {unknown[0]!r}{hint}")
    extends, rules = data.get("extends") or [], data.get("rules") or {}
    if not isinstance(extends, list) or not all(isinstance(e, str) for e in extends):
        raise PolicyError(shown, 1, "`extends` is a list of pack folders or `builtin`")
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise PolicyError(
            shown, 1, "`rules` maps rule ids to severity / options / enabled / governed-by"
        )
    from aixcl_lint.yamllib import yaml  # read_yaml imported it

    lines: dict[str, int] = {}
    extends_line = 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "rules" and isinstance(value, yaml.MappingNode):
                lines = {k.value: k.start_mark.line + 1 for k, _ in value.value}
            elif key.value == "extends":
                extends_line = key.start_mark.line + 1
    rules = {str(k): v for k, v in rules.items()}
    return _Manifest(tuple(extends), rules, lines, extends_line)


def _resolves(path: Path) -> bool:
    try:
        os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):
        return False
    return True


class PackLoader:
    """Collects the rules of packs and the packs they extend, each once."""

    def __init__(self, show: Any, root: Path | None = None) -> None:
        self.show = show
        """Turns a path into the name errors and findings show."""
        self.root = root
        """A pack inside this folder (the repository) may extend only packs inside it."""
        self.loaded: set[str] = set()
        self.rules: list[Rule] = []

    def _escapes(self, folder: Path, parent: Path) -> bool:
        """Whether a pack in the repository extends a folder outside it."""
        return (
            self.root is not None
            and fsio.inside(self.root, folder)
            and os.path.lexists(parent)  # a missing one is "no such pack folder"
            and not fsio.inside(self.root, parent)
        )

    def builtin(self) -> None:
        """Add the built-in pack (once)."""
        if BUILTIN not in self.loaded:
            self.loaded.add(BUILTIN)
            files = [(p, f"<builtin>/{p.name}") for p in builtin_files()]
            # The test suite validates it, and ships its parse (``policy.shipped``).
            self._add(load_pack(files, trusted=True, ship=shipped.entries()))

    def folder(self, folder: Path, chain: tuple[str, ...] = ()) -> None:
        """Add a pack folder, after the packs its ``pack.yaml`` extends."""
        key = os.path.realpath(folder)
        shown = self.show(folder)
        if key in chain:
            cycle = " -> ".join(self.show(Path(p)) for p in (*chain, key))
            raise PolicyError(f"{shown}/{PACK_FILE}", 1, f"packs extend each other: {cycle}")
        if key in self.loaded:
            return
        manifest_path = folder / PACK_FILE
        manifest = (
            _read_manifest(manifest_path, self.show(manifest_path))
            if os.path.lexists(manifest_path)  # a FIFO too: the reader refuses it by name
            else _Manifest((), {}, {})
        )
        for parent in manifest.extends:
            if parent == BUILTIN:
                self.builtin()
            elif self._escapes(folder, folder / parent):
                raise PolicyError(
                    self.show(manifest_path),
                    manifest.extends_line,
                    f"extends {parent!r}: outside the repository (name it with --policy)",
                )
            elif not (folder / parent).is_dir():
                there = folder / parent
                why = fsio.what_stands(there) if os.path.lexists(there) else "no such pack folder"
                raise PolicyError(self.show(manifest_path), 1, f"extends {parent!r}: {why}")
            else:
                self.folder(folder / parent, (*chain, key))
        self.loaded.add(key)
        fresh = [
            p
            for p in policy_files([folder])
            if p.name != PACK_FILE and os.path.realpath(p) not in self.loaded
        ]
        for p in fresh:  # one that does not resolve (a loop) is load_file's to report
            if _resolves(p) and self._escapes(folder, p):
                raise PolicyError(self.show(p), 1, "leads outside the repository (a symlink)")
        self.loaded.update(os.path.realpath(p) for p in fresh)
        self._add(load_pack([(p, self.show(p)) for p in fresh]))
        self._override(manifest, self.show(manifest_path))

    def files(self, paths: list[Path]) -> None:
        """Add single policy files."""
        fresh = [p for p in paths if os.path.realpath(p) not in self.loaded]
        self.loaded.update(os.path.realpath(p) for p in fresh)
        self._add(load_pack([(p, self.show(p)) for p in fresh]))

    def _add(self, pack: Pack) -> None:
        known = {rule.id: rule for rule in self.rules}
        for rule in pack.rules:
            if rule.id in known:
                raise PolicyError(
                    rule.source,
                    rule.line,
                    f"rule {rule.id!r} is already defined in {known[rule.id].source}",
                )
            known[rule.id] = rule
            self.rules.append(rule)

    def _override(self, manifest: _Manifest, shown: str) -> None:
        for rule_id, change in manifest.rules.items():
            entry = adjust.Entry(rule_id, change, shown, manifest.lines.get(rule_id, 1))
            by_id = {rule.id: i for i, rule in enumerate(self.rules)}
            if rule_id in by_id:
                changed = {by_id[rule_id]: adjust.adjust(self.rules[by_id[rule_id]], entry)}
            else:
                found = adjust.covered(entry, self.rules)
                changed = {i: adjust.adjust_part(self.rules[i], entry) for i in found}
            kept = (changed.get(i, rule) for i, rule in enumerate(self.rules))
            self.rules = [rule for rule in kept if rule is not None]

    def pack(self) -> Pack:
        """Everything collected."""
        return Pack(tuple(self.rules))
