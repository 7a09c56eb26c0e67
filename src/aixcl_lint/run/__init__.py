"""One run, end to end: discover -> load documents -> evaluate -> select -> findings."""

from __future__ import annotations

import gc
import itertools
import os
from collections.abc import Iterable, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from aixcl_lint import discover, fsio
from aixcl_lint.config import ConfigError, Settings
from aixcl_lint.core import Finding, did_you_mean
from aixcl_lint.discover import SourceFile
from aixcl_lint.documents.problems import PROBLEMS
from aixcl_lint.kinds import KINDS
from aixcl_lint.kinds.base import Unit
from aixcl_lint.kinds.compose import NAME as COMPOSE
from aixcl_lint.kinds.tree import ROOT
from aixcl_lint.policy import profiles
from aixcl_lint.policy.model import Citation, Pack, PolicyError
from aixcl_lint.policy.packs import PackLoader
from aixcl_lint.records import record
from aixcl_lint.run import byfile, cache, governance, lookalikes
from aixcl_lint.run.found import ordered
from aixcl_lint.run.load import Loader
from aixcl_lint.run.own import missing_projects, not_own_ids, own_input, stray_policies
from aixcl_lint.run.parallel import available_cpus, lint_units
from aixcl_lint.run.plan import Plan, UsageError, configured, kinds, plan
from aixcl_lint.run.projectreads import read_by_projects
from aixcl_lint.run.roles import CLAIMED, LISTED, READ, roles_of
from aixcl_lint.run.suppressing import suppressed
from aixcl_lint.run.units import work
from aixcl_lint.suppress import SUPPRESS_PROBLEMS
from aixcl_lint.suppress.selection import Selection, unknown

__all__ = ["Result", "UsageError", "lint", "load_policies", "selection", "work"]

_READ_BY_PROJECTS = (None, "compose")
"""The kinds of a file a compose project extends or includes: none (``sub/common.yaml``)
or compose (``sub/compose.inc.yaml``); the two are reported alike."""


@record
class Result:
    """What a run found, and how many files it checked."""

    findings: tuple[Finding, ...]
    files_checked: int
    """Targets, and files read for context that have findings (waivers, extended files)."""
    fingerprints: Mapping[Finding, str]
    warnings: tuple[str, ...] = ()
    """Named paths not checked, one line each (why)."""
    citations: Mapping[str, Citation] = field(default_factory=dict)
    """The governance clause each governed rule enforces, where it was found."""
    lines: Mapping[tuple[str, int], str] = field(default_factory=dict)
    """The text of each line a finding starts on, by path and line, for code frames."""


def load_policies(settings: Settings, *, every_profile: bool = False) -> Pack:
    """The built-in pack (unless disabled) as the settings' profile has it, the
    repository's policy folder and the policy files and pack folders the settings name,
    each pack after those it extends; with ``every_profile`` all built-in rules."""
    packs = PackLoader(
        lambda path: discover.relative(settings.root, path) or str(path), settings.root
    )
    if settings.builtin:
        packs.builtin()
    own = settings.root / settings.policy_folder
    if own.is_dir() and not fsio.inside(settings.root, own):
        shown, line = settings.where("policy-folder")
        raise ConfigError(
            shown, line, f"policy-folder {settings.policy_folder!r}: outside the repository"
        )
    if os.path.lexists(own) and not own.is_dir():  # never silently without its policies
        shown, line = settings.where("policy-folder")
        if line == 0:  # the default folder: blame what stands there
            shown = settings.policy_folder
        raise ConfigError(shown, line, f"the policy folder is {fsio.what_stands(own)}")
    for path in ((own,) if own.is_dir() else ()) + tuple(settings.policy_paths):
        if path.is_dir():
            packs.folder(path)
        elif os.path.lexists(path):  # a FIFO or a device too: the reader refuses it by name
            packs.files([path])
        else:
            raise PolicyError(str(path), 0, "policy file or folder does not exist")
    if settings.profile not in profiles.PROFILES:
        shown, line = settings.where("profile")
        hint = did_you_mean(settings.profile, profiles.PROFILES) or (
            f" (profiles: {', '.join(profiles.PROFILES)})"
        )
        raise ConfigError(shown, line, f"profile: unknown profile {settings.profile!r}{hint}")
    pack = governance.configured(settings, packs.pack())
    not_own_ids(pack)
    if every_profile:
        return pack
    return profiles.restrict(pack, settings.profile, named=settings.select)


def known_ids(pack: Pack) -> list[str]:
    """Every id a finding of this pack may carry: rules, sub-ids, file problems."""
    ids = [*PROBLEMS, *SUPPRESS_PROBLEMS]
    for rule in pack.rules:
        ids.append(rule.id)
        ids.extend(rule.full_id(check) for check in rule.checks)
        if rule.governed_by is not None:
            ids.append(f"{rule.id}[{governance.SUB_ID}]")
    return ids


def _same_type(default: Any, value: Any) -> bool:
    """Whether a configured option value has the type of the option's default."""
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


def selection(settings: Settings, pack: Pack) -> Selection:
    """The settings' select / ignore / severity / options, checked against the pack."""
    ids = known_ids(pack)
    for key, entries in (
        ("select", settings.select),
        ("ignore", settings.ignore),
        ("severity", tuple(settings.severity)),
        ("options", tuple(settings.rule_options)),
    ):
        for entry in unknown(entries, ids):
            if key != "select" and profiles.elsewhere(entry, settings.profile):
                continue  # ignoring or adjusting a rule the profile leaves out is fine
            every = [*ids, *(i for p in profiles.PROFILES.values() for i in p.ids)]
            path, line = settings.where(f"{key}.{entry}")
            raise ConfigError(
                path, line, f"{key}: unknown rule id {entry!r}{did_you_mean(entry, every)}"
            )
    rules = pack.by_id()
    for rule_id, options in settings.rule_options.items():
        rule = rules.get(rule_id)
        for name, value in options.items():
            if (
                rule is not None
                and name in rule.options
                and not _same_type(rule.options[name], value)
            ):
                path, line = settings.where(f"options.{rule_id}")
                wanted = type(rule.options[name]).__name__
                raise ConfigError(
                    path,
                    line,
                    f"options: {rule_id} option {name!r} must be a {wanted}, "
                    f"like its default {rule.options[name]!r}",
                )
            if rule is None or name not in rule.options:
                path, line = settings.where(f"options.{rule_id}")
                known = ", ".join(sorted(rule.options)) if rule else "none"
                hint = did_you_mean(name, rule.options if rule else ()) or f" (options: {known})"
                raise ConfigError(path, line, f"options: {rule_id} has no option {name!r}{hint}")
    per_file = None
    if settings.per_file_ignores:  # its module only for a config that has them
        from aixcl_lint.suppress import perfile

        per_file = perfile.compiled(settings, ids)
    return Selection(settings.select, settings.ignore, settings.severity, per_file)


def lint(settings: Settings, paths: Iterable[Path], pack: Pack) -> Result:
    """Lint ``paths`` (or the whole repository) with ``pack``."""
    # A run allocates many small objects and makes no cycles worth collecting: the
    # cyclic collector's passes over the growing heap cost a fifth of a large run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _lint(settings, paths, pack)
    finally:
        if collecting:
            gc.enable()


def checked_files(settings: Settings, paths: Iterable[Path], pack: Pack) -> list[str]:
    """The files a run of ``pack`` on ``paths`` checks (its "N files checked"), sorted:
    those named or listed that a kind claims, those its rules' globs read, and those its
    compose projects extend or include."""
    _, planned, units, _, roles = _planned(settings, paths, pack)
    read = (p for p, role in roles.items() if role & READ and role & LISTED)
    projects = _read_by_projects(settings, planned, units)
    return sorted({*(f.path for f in planned.files), *read, *projects})


def _read_by_projects(settings: Settings, planned: Plan, units: list[Unit]) -> set[str]:
    """The files the run's compose projects extend or include, none of its targets or a
    named file's context, that the config's include / exclude keep (``--show-files``:
    the projects built for it)."""
    found = read_by_projects(settings, units, planned.listing, configured(settings))
    return found - {f.path for f in planned.files} - {f.path for f in planned.context}


def _read_by_steps(
    settings: Settings, planned: Plan, composed: list[Unit], found: set[str]
) -> set[str]:
    """``_read_by_projects`` from what the steps parsed and kept results recorded
    (``found``): the YAML files the compose units (``composed``) read besides their
    own. Building the projects again for it read every compose file once more (0.026 s
    CPU on medium), in the serial part of a run in one process and beside the workers
    of a parallel one."""
    if not found:
        return found
    own = {path for unit in composed for path in unit.paths if path in found}
    keeps = configured(settings)
    read = {path for path in found - own if keeps(path)}
    return read - {f.path for f in planned.files} - {f.path for f in planned.context}


def _planned(
    settings: Settings, paths: Iterable[Path], pack: Pack
) -> tuple[Selection, Plan, list[Unit], Pack, dict[str, int]]:
    """What a run reports (its selection), its files and units, its rules, and what
    each file is to it."""
    chosen = selection(settings, pack)
    pack = Pack(tuple(r for r in pack.rules if not chosen.excludes_rule(r.id)))
    if not pack.rules:  # files are parsed only for the kinds some rule targets
        raise UsageError(_no_rules(settings))
    planned = plan(settings, paths)
    units = work(settings, planned, pack)
    roles = roles_of(planned, units)
    if settings.stdin is not None and not roles.get(settings.stdin[0], 0) & (CLAIMED | READ):
        name = settings.stdin[0]
        raise UsageError(f"--stdin-filename {name}: no kind or rule of this run reads such a file")
    return chosen, planned, units, pack, roles


def _lint(settings: Settings, paths: Iterable[Path], pack: Pack) -> Result:
    rules = pack  # a directive naming a rule --ignore leaves out names a known rule
    chosen, planned, units, pack, roles = _planned(settings, paths, pack)
    loader = Loader(settings, planned.listing)
    wide = any(KINDS[u.kind].repository_wide for u in units)
    with cache.opened(settings, pack) as store:
        # Kept results of unchanged units, raw: the suppressions below apply every run.
        kept, todo = store.lookup(units, loader) if store else ([], units)
        composed = [u for u in units if u.kind == COMPOSE]
        del units  # the units are not needed past this point: memory for what follows
        jobs = settings.jobs or available_cpus()
        linted, scans = lint_units(settings, pack, todo, jobs, planned.listing)
        known = scans.composed.union(store.reads) if store else scans.composed
        projects = _read_by_steps(settings, planned, composed, known)
        del composed
        if store:  # what the look-up read (or knows) of kept units' files
            scans.note(store.marked)
        # The same finding twice (a base file's value in two projects) is reported once.
        # (Findings held packed are made again here, once the units' loader is gone.)
        found = ordered(itertools.chain(kept, linted.drain()), unique=True)
        del linted, todo, kept
    read = sorted(p for p, role in roles.items() if role & READ and role & LISTED)
    targets = [*planned.files, *(SourceFile(p, "") for p in read)]
    warnings = (
        planned.warnings
        + tuple(
            f"{shown}: no kind of file aixcl-lint reads; not checked"
            for rel, shown in planned.named_others
            if not roles.get(rel, 0) & READ and not own_input(settings, rel)
        )
        + stray_policies(settings)
        + missing_projects(settings)
        + lookalikes.hint(lookalikes.found(settings.root, planned.others, known))
    )
    checked, about = len(targets), set()
    if wide:
        # A tree rule's findings about any file count (files read only as context aside);
        # other rules' findings still only in the files the run lints.
        tree = {r.id for r in pack.rules if KINDS[r.kind].repository_wide}
        about = {f.path for f in found if f.rule.split("[", 1)[0] in tree}
        about -= {f.path for f in planned.context}
        if not planned.complete:  # named files: a tree rule's findings about them only
            about = {p for p in about if roles.get(p, 0) & LISTED}
        checked = sum(1 for role in roles.values() if role & LISTED)
    # Findings about the repository as a whole (a required file missing) come with a
    # whole-repository run, never with named files (pre-commit's), as governance's do.
    whole = planned.complete

    def wanted(path: str) -> bool:
        return bool(roles.get(path, 0) & (CLAIMED | READ)) or path in about

    # Findings in files only a compose project reads (a file it extends or includes, no
    # target of its own, whatever its name) are reported where the value was written,
    # fixable, unless the config's include / exclude leave the file out; a named file's
    # siblings, read as its project's context, are not reported on.
    kind_of, keeps = kinds(settings), configured(settings)
    context = {f.path for f in planned.context}
    reported = [
        f
        for f in found
        if (
            wanted(f.path)
            or (kind_of(f.path) in _READ_BY_PROJECTS and f.path not in context and keeps(f.path))
        )
        and (whole or f.path != ROOT)
    ]
    del found
    citations, gone = governance.resolve(loader, pack)
    for rule_findings in gone.values():
        # A whole-repository run reports a clause that is gone; a run on named files,
        # when it names the document or the file declaring the clause.
        if planned.complete or any(wanted(f.path) for f in rule_findings):
            reported.extend(rule_findings)
    rule_ids = known_ids(rules)
    kept = ordered(
        suppressed(settings, rule_ids, chosen, loader, planned, targets, reported, scans)
    )
    # Lines and fingerprints are worked out file by file when a reporter asks for them.
    prints = byfile.prints(loader, kept)
    if settings.baseline is not None:
        from aixcl_lint.suppress import baseline

        kept = baseline.new_findings(kept, prints, baseline.load(settings.baseline))

    # Files with findings count as checked too (waivers, files a project extends).
    def counted(path: str) -> bool:
        role = roles.get(path, 0)
        if wide or not role & CLAIMED:
            return bool(role & LISTED) and (wide or bool(role & READ))
        return True

    checked += len((projects - set(read)) | {f.path for f in kept if not counted(f.path)})
    shown = tuple(kept)
    return Result(shown, checked, prints, warnings, citations, byfile.lines(loader, shown))


def _no_rules(settings: Settings) -> str:
    if not settings.builtin and not settings.policy_paths:
        return "no rules to run: the built-in pack is off and no other policy is named (--policy)"
    tool = [*PROBLEMS, *SUPPRESS_PROBLEMS]
    named = [
        entry
        for entry in settings.select
        if any(i == entry or i.startswith((entry.rstrip("/") + "/", entry + "[")) for i in tool)
    ]
    if named and len(named) == len(settings.select):
        # yaml/duplicate-key and the like are found while a rule reads the file.
        return (
            f"no rules to run: select names only what aixcl-lint reports while rules read "
            f"files ({', '.join(named)}); select rules too (--select compose,{named[0]})"
        )
    return "no rules to run: select / ignore leave none (aixcl-lint rules lists them)"
