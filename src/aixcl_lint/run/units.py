"""The work of a run: the units of every kind some rule targets, as each kind plans
them from the run's files, less the files every rule of a kind excludes."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from aixcl_lint import fsio
from aixcl_lint.config import Settings
from aixcl_lint.core import Kind
from aixcl_lint.engine import FileFilters
from aixcl_lint.kinds import KINDS
from aixcl_lint.kinds.base import Planned, Unit
from aixcl_lint.policy.model import Pack, Rule
from aixcl_lint.run.plan import Plan


def _globs(rule: Rule, options: Mapping[str, Any]) -> tuple[str, ...]:
    """A rule's ``target.files``, read from its option if it names one."""
    if isinstance(rule.files, str):
        found = {**rule.options, **options}.get(rule.files) or []
        return tuple(
            "/" + str(p).lstrip("/") for p in (found if isinstance(found, list) else [found])
        )
    return rule.files


def env_reader(settings: Settings) -> Callable[[str], str | None]:
    """An env file's text as planning reads it (a ``.env`` naming ``COMPOSE_FILE``);
    None when there is none or it cannot be read (its project's build reports why)."""

    def read(rel: str) -> str | None:
        if not os.path.isfile(settings.root / rel):  # most folders have none: no resolving
            return None
        try:
            data = fsio.read_regular(settings.root / rel, settings.max_file_bytes, settings.root)
            return data.decode("utf-8-sig")
        except (fsio.Refused, OSError, UnicodeDecodeError):
            return None

    return read


def work(settings: Settings, planned: Plan, pack: Pack) -> list[Unit]:
    """The units of every kind a rule targets (and of kinds always loaded), as each kind
    plans them from the run's files."""
    targets: dict[str, Kind | None] = {f.path: f.kind for f in planned.files}
    targets.update(dict.fromkeys(planned.others))
    context: dict[str, Kind | None] = {f.path: f.kind for f in planned.context}
    units: list[Unit] = []
    for name, spec in KINDS.items():
        rules = [rule for rule in pack.rules if rule.kind == name]
        if not rules and not spec.always:
            continue
        globs = [_globs(rule, settings.rule_options.get(rule.id, {})) for rule in rules]
        facts = Planned(
            targets,
            context,
            globs=tuple(g for gs in globs for g in gs),
            everywhere=any(not gs for gs in globs),
            reads=tuple(zip(globs, (rule.reads for rule in rules), strict=True)),
            compose_projects=settings.compose_projects,
            root_files=lambda rel: (settings.root / rel).is_file(),
            env_text=env_reader(settings),
        )
        units += _read_by_some(spec.units(facts), rules, settings, spec.always)
    return units


def _read_by_some(
    units: list[Unit], rules: list[Rule], settings: Settings, always: bool
) -> list[Unit]:
    """The units some rule reads: a file every rule of its kind excludes
    (``target.exclude``) is not even parsed. (Units follow the union of the rules'
    globs, so only an exclude can leave one unread: one rule's glob may select a file
    it excludes while another rule's glob passes it by.)"""
    if always or not rules or not any(rule.exclude for rule in rules):
        return units
    filters = FileFilters()
    options = {r.id: {**r.options, **settings.rule_options.get(r.id, {})} for r in rules}
    return [
        unit
        for unit in units
        if not unit.paths or any(filters.admits(r, options[r.id], unit.paths) for r in rules)
    ]
