"""Policy test cases: each case writes a small repository, lints it with one policy
file, and compares the findings with the ones it expects.

A policy file ``NAME.yaml`` keeps its cases beside it in ``NAME.cases.yaml``::

    rule: team/restart-policy
    cases:
      - name: a service without a restart policy
        files:
          compose.yaml: |
            services:
              web: {image: "nginx:1.27"}
        expect:
          - {rule: team/restart-policy, path: compose.yaml, line: 2, column: 3}

``column`` may be left out. A rule may also keep its cases in the policy file itself,
under its own ``cases:`` key. Fixture paths must stay inside the case's repository. A
case compares only its own rule's findings (and the tool's own) with what it expects.
"""

from __future__ import annotations

import datetime
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import field
from pathlib import Path

from aixcl_lint.config import Settings
from aixcl_lint.configkeys import CacheSettings
from aixcl_lint.core import did_you_mean
from aixcl_lint.kinds import KINDS
from aixcl_lint.policy.model import Rule
from aixcl_lint.records import record
from aixcl_lint.run import lint, load_policies
from aixcl_lint.run.casefile import (
    CASES_SUFFIX,
    Case,
    Expected,
    collect,
    invalid,
    load_cases,
    policy_files,
)

__all__ = [
    "CASES_SUFFIX",
    "Case",
    "Outcome",
    "collect",
    "load_cases",
    "render",
    "run_all",
    "run_case",
    "uncovered",
]


@record(frozen=False)
class Outcome:
    """A case's result: the findings expected and found, as (rule, path, line, column)."""

    case: Case
    missing: list[Expected] = field(default_factory=list)
    unexpected: list[Expected] = field(default_factory=list)
    others: frozenset[str] = frozenset()
    """The policy file's other rules, whose findings this case does not compare."""

    @property
    def passed(self) -> bool:
        """Whether the findings were exactly those expected."""
        return not self.missing and not self.unexpected


def _track(root: Path, paths: list[str]) -> None:
    """Make the case's folder a git repository tracking ``paths`` (ignored ones too)."""
    (root / ".git").rmdir()
    git = ["git", "-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True, capture_output=True)
    if paths:
        subprocess.run([*git, "add", "-f", "--", *paths], cwd=root, check=True, capture_output=True)


def _other_rules(case: Case, rules: Iterable[Rule]) -> set[str]:
    """The policy file's rules besides the case's own: a case tests its own rule, so
    their findings are not its business (those aixcl-lint itself reports are)."""
    ids = {rule.id for rule in rules}
    if not case.rule:
        return set()
    if case.rule not in ids:
        raise invalid(
            case.source or case.policy,
            f"the cases are for rule {case.rule!r}, which {case.policy.name} does not define"
            + did_you_mean(case.rule, ids),
        )
    return ids - {case.rule}


def run_case(case: Case, today: datetime.date | None = None) -> Outcome:
    """Write the case's files in a temporary repository and lint them with its policy."""
    with tempfile.TemporaryDirectory(prefix="aixcl-lint-case-") as tmp:
        root = Path(tmp).resolve()
        (root / ".git").mkdir()
        for rel, text in case.files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        settings = Settings(  # a temporary repository's results are never asked for again
            root=root,
            policy_paths=(case.policy,),
            builtin=False,
            jobs=1,
            today=case.today or today,
            cache=CacheSettings(enabled=False),
        )
        pack = load_policies(settings)
        others = _other_rules(case, pack.rules)
        if any("git" in KINDS[rule.kind].capabilities for rule in pack.rules):
            _track(root, [rel for rel in case.files if rel not in case.untracked])
        result = lint(settings, [], pack)
    found: list[Expected] = [
        (f.rule, f.path, f.line, f.column)
        for f in result.findings
        if f.rule.split("[", 1)[0] not in others
    ]
    outcome = Outcome(case, others=frozenset(others))
    unmatched = list(found)
    for want in case.expect:
        match = next(
            (f for f in unmatched if f[:3] == want[:3] and (want[3] is None or f[3] == want[3])),
            None,
        )
        if match is None:
            outcome.missing.append(want)
        else:
            unmatched.remove(match)
    outcome.unexpected = unmatched
    return outcome


def run_all(paths: list[Path], today: datetime.date | None = None) -> Iterator[Outcome]:
    """Every case found for ``paths``, run."""
    for case in collect(paths):
        yield run_case(case, today)


def uncovered(outcomes: list[Outcome], paths: Iterable[Path] = ()) -> list[str]:
    """Rules of the policies tested, and of the policy files ``paths`` hold, that no
    passing case shows failing."""
    policies = {o.case.policy for o in outcomes} | set(policy_files(list(paths)))
    rules = {
        r.id
        for p in sorted(policies)
        for r in load_policies(Settings(root=p.parent, policy_paths=(p,), builtin=False)).rules
    }
    failing = {w[0].split("[", 1)[0] for o in outcomes if o.passed for w in o.case.expect}
    return sorted(rules - failing)


def _shown(item: Expected) -> str:
    rule, path, line, column = item
    return f"{path}:{line}:{column if column is not None else '*'}: {rule}"


def _other(outcome: Outcome, item: Expected) -> str:
    rule = item[0].split("[", 1)[0]
    if rule not in outcome.others:
        return ""
    return f" ({rule} is another rule: a case for {outcome.case.rule} compares only its findings)"


def render(outcomes: list[Outcome], missing_cases: list[str]) -> str:
    """A report of a test run: each case, what differed, coverage, and a closing count."""
    lines = []
    for o in outcomes:
        status = "PASS" if o.passed else "FAIL"
        lines.append(f"{status} {o.case.rule}: {o.case.name} ({o.case.policy.name})")
        lines.extend(f"    - expected {_shown(item)}{_other(o, item)}" for item in o.missing)
        lines.extend(f"    + found    {_shown(item)}" for item in o.unexpected)
    if missing_cases:
        lines.append("")
        lines.append("Rules with no failing case (untested): " + ", ".join(missing_cases))
    passed = sum(o.passed for o in outcomes)
    lines.append("")
    lines.append(f"{passed} passed, {len(outcomes) - passed} failed")
    return "\n".join(lines) + "\n"
