"""Fixing compose projects: passes of evaluate, plan edits, apply them, until stable.

Only violations whose findings the run reported are fixed (so suppressions, waivers,
baselines and ``--select`` hold), identified across passes by rule, check, project and
subject, not by position. Every pass works on the texts in memory; nothing is written
here. Each pass re-parses and re-checks the edited files, so a fix that needs another
first (a top-level ``networks:`` that services still use) happens on a later pass.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from aixcl_lint.core import Finding, Pointer
from aixcl_lint.documents import source, yamltree
from aixcl_lint.documents.compose import ComposeProject
from aixcl_lint.engine import Violation, violations
from aixcl_lint.fix import files, text
from aixcl_lint.fix.fixers import FIXERS, FixContext
from aixcl_lint.fix.nodes import FileNodes
from aixcl_lint.fix.reader import TextReader
from aixcl_lint.kinds import KINDS
from aixcl_lint.kinds.base import Unit
from aixcl_lint.policy.model import Pack
from aixcl_lint.records import record, replace

FIXABLE = [name for name, spec in KINDS.items() if spec.fixable]
"""The kinds whose checks ``--fix`` repairs (the fixers edit YAML nodes)."""

MAX_PASSES = 10
"""Passes after which a run that still changes something stops (and says so)."""

Key = tuple[str, int, str, Pointer]
"""A violation across passes: rule id, check index, project base file, subject pointer."""


@record
class FixRequest:
    """What to fix: compose projects, the reported fixable findings, the editable files."""

    root: Path
    pack: Pack
    groups: Sequence[tuple[str, ...]]
    reported: Collection[Finding]
    editable: Collection[str]
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    today: datetime.date | None = None
    max_bytes: int = source.DEFAULT_MAX_BYTES
    kind: str = FIXABLE[0]
    """The kind of the units ``groups`` names (its loader builds them, as ``check`` does)."""


@record
class Change:
    """A file's new text, and the file as it was read."""

    original: files.Original
    text: str


@record(frozen=False)
class FixResult:
    """The changed files, the reported findings fixed, those not fixed and why."""

    changes: dict[str, Change]
    fixed: list[Finding]
    unfixed: list[tuple[Finding, str]]
    """Where each finding not fixed is in the fixed text, and why it was not fixed."""
    passes: int
    before: dict[Finding, Finding] = field(default_factory=dict)
    """Each finding not fixed as it was reported before fixing."""

    def remaining(self, findings: Iterable[Finding]) -> list[Finding]:
        """``findings`` less those this result fixed."""
        fixed = set(self.fixed)
        return [f for f in findings if f not in fixed]

    def not_written(self, path: str, reason: str) -> None:
        """``path`` could not be written: its findings are not fixed after all (and the
        findings not fixed in it are where they were)."""
        self.changes.pop(path, None)
        self.unfixed = [
            (self.before.get(f, f), why) if f.path == path else (f, why) for f, why in self.unfixed
        ]
        self.unfixed += [(f, reason) for f in self.fixed if f.path == path]
        self.unfixed.sort()
        self.fixed = [f for f in self.fixed if f.path != path]


def fix(request: FixRequest) -> FixResult:
    """Plan and apply, in memory, every fix the reported findings allow."""
    return _Session(request).run()


class _Session:
    def __init__(self, request: FixRequest) -> None:
        fixable = (rule for rule in request.pack.rules if any(c.fix for c in rule.checks))
        self.request = replace(request, pack=Pack(tuple(fixable)))
        self.originals: dict[str, files.Original] = {}
        self.texts: dict[str, str] = {}
        self.why_not: dict[str, str] = {}
        """Files never edited, and why (unreadable, YAML problems, not a target)."""
        self.documents: dict[str, int] = {}
        self.reader = TextReader(request.root, self.texts, request.max_bytes)
        self.allowed: dict[Key, list[Finding]] = {}
        self.reasons: dict[Key, str] = {}

    def run(self) -> FixResult:
        self.load()
        live = self.evaluate()
        reported = set(self.request.reported)
        for key, found in live.items():
            hits = {f for v in found for f in v.findings if f in reported}
            if hits:
                self.allowed[key] = sorted(hits)
        passes = 0
        while True:
            live = {key: found for key, found in live.items() if key in self.allowed}
            if not live:
                break
            if passes == MAX_PASSES:
                self.reasons = dict.fromkeys(live, f"still changing after {MAX_PASSES} passes")
                break
            passes += 1
            if not self.fix_pass(live):
                break
            live = self.evaluate()
        return self.result(live, passes)

    def load(self) -> None:
        root, editable = self.request.root, set(self.request.editable)
        # Files a project only reads (extends, includes) are edited where a reported
        # finding is in them.
        read_only = {f.path for f in self.request.reported} & editable
        for path in dict.fromkeys([*(p for g in self.request.groups for p in g), *read_only]):
            read = files.read(root, path, self.request.max_bytes)
            if isinstance(read, str):
                self.why_not[path] = f"{path} {read}"
                # A symlink is still evaluated (as a run reads it), so that its findings
                # say why they are not fixed; it is never written.
                seen = source.read(root / path, path, self.request.max_bytes, root=root)
                if not isinstance(seen, source.Source):
                    continue
                self.originals[path], self.texts[path] = (
                    files.Original(path, b"", seen.text),
                    seen.text,
                )
                self.documents[path] = len(yamltree.parse(path, seen.text).documents)
                continue
            self.originals[path], self.texts[path] = read, read.text
            parsed = yamltree.parse(path, read.text)
            self.documents[path] = len(parsed.documents)
            if parsed.problems:
                problem = parsed.problems[0].rule
                self.why_not[path] = f"{path} has YAML problems ({problem}); it is not touched"
            elif path not in editable:
                self.why_not[path] = f"{path} is not being checked in this run"

    def evaluate(self) -> dict[Key, list[Violation]]:
        """The violations of fixable checks in every project, by key."""
        live: dict[Key, list[Violation]] = {}
        spec = KINDS[self.request.kind]
        for group in self.request.groups:
            if any(path not in self.texts for path in group):
                continue
            self.reader.fresh()
            documents = spec.load(self.reader, [Unit(spec.name, tuple(group))])
            request = self.request
            for found in violations(request.pack, documents, request.options, request.today):
                if found.check.fix is not None:
                    key = (found.rule.id, found.check_index, group[0], found.subject.pointer)
                    live.setdefault(key, []).append(found)
        return live

    def fix_pass(self, live: dict[Key, list[Violation]]) -> bool:
        """Plan every live violation's fix and apply what fits; whether anything changed."""
        self.reasons = {}
        cache: dict[str, FileNodes] = {}

        def nodes(path: str) -> FileNodes | None:
            if path in self.why_not or path not in self.texts:
                return None
            if path not in cache:
                cache[path] = FileNodes(self.texts[path])
            return cache[path]

        proposals: dict[str, dict[text.Edit, list[Key]]] = {}
        for key, found in live.items():
            rule_id, index, base, _ = key

            def wanted(name: str, r: str = rule_id, i: int = index, b: str = base) -> bool:
                return (r, i, b, ("services", name)) in live

            for violation in found:
                assert violation.check.fix is not None
                assert isinstance(violation.document.tree, ComposeProject)
                context = FixContext(
                    violation, violation.check.fix, violation.document.tree, nodes, wanted
                )
                planned = FIXERS[violation.check.fix.fixer](context)
                if isinstance(planned, str):
                    self.reasons[key] = planned
                    continue
                for path, edit in planned:
                    proposals.setdefault(path, {}).setdefault(edit, []).append(key)
        changed = False
        for path, edits in proposals.items():
            new = self.apply(path, edits)
            if new != self.texts[path]:
                self.texts[path] = new
                changed = True
        return changed

    def apply(self, path: str, edits: dict[text.Edit, list[Key]]) -> str:
        """The file with every edit that conflicts with none before it and keeps it valid."""
        after, rejected = text.apply_checked(
            self.texts[path], edits, lambda content: self.valid(path, content)
        )
        self.reasons.update(rejected)
        return after

    def valid(self, path: str, content: str) -> bool:
        parsed = yamltree.parse(path, content)
        return not parsed.problems and len(parsed.documents) == self.documents[path]

    def result(self, live: dict[Key, list[Violation]], passes: int) -> FixResult:
        fixed: list[Finding] = []
        unfixed: list[tuple[Finding, str]] = []
        before: dict[Finding, Finding] = {}
        for key, findings in self.allowed.items():
            now = [f for v in live.get(key, []) for f in v.findings]
            for finding in findings:
                same_file = [f for f in now if f.path == finding.path]
                if not same_file:
                    fixed.append(finding)
                    continue
                moved = next((f for f in same_file if f.message == finding.message), same_file[0])
                reason = self.why_not.get(finding.path) or self.reasons.get(key)
                unfixed.append((moved, reason or "the fix did not resolve it"))
                before[moved] = finding
        changes = {
            path: Change(self.originals[path], content)
            for path, content in self.texts.items()
            if content != self.originals[path].text
        }
        # A file in two projects (a compose file that another includes) gives the same
        # finding under each project's key: it is one problem, fixed or not, once.
        fixed_once = sorted(set(fixed))
        unfixed_once = sorted(dict(unfixed).items())
        return FixResult(changes, fixed_once, unfixed_once, passes, before)
