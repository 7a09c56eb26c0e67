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
import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from aixcl_lint import inputs
from aixcl_lint.config import Settings
from aixcl_lint.configkeys import CacheSettings
from aixcl_lint.core import did_you_mean
from aixcl_lint.kinds import KINDS
from aixcl_lint.policy.model import PolicyError, Rule
from aixcl_lint.run import lint, load_policies

CASES_SUFFIX = ".cases.yaml"
Expected = tuple[str, str, int, int | None]


@dataclass(frozen=True)
class Case:
    """One case of one policy file."""

    policy: Path
    rule: str
    name: str
    files: dict[str, str]
    expect: tuple[Expected, ...]
    today: datetime.date | None = None
    untracked: tuple[str, ...] = ()
    """Fixture files git does not track (where the case runs in a git repository)."""
    source: Path | None = None
    """The file the case is written in (a cases file, or the policy file itself)."""


@dataclass
class Outcome:
    """A case's result: the findings expected and found, as (rule, path, line, column)."""

    case: Case
    missing: list[Expected] = field(default_factory=list)
    unexpected: list[Expected] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether the findings were exactly those expected."""
        return not self.missing and not self.unexpected


def _fail(path: Path, message: str, line: int = 1) -> PolicyError:
    return PolicyError(str(path), line, message)


def _safe(case_file: Path, rel: str) -> str:
    """A fixture path, refused if it would leave the case's repository."""
    parts = PurePosixPath(rel).parts
    if not rel or rel.startswith(("/", "\\")) or ".." in parts or ":" in rel or "\\" in rel:
        raise _fail(case_file, f"fixture path {rel!r} must stay inside the case's repository")
    if not parts or "\0" in rel or parts[0] == ".git":
        raise _fail(case_file, f"fixture path {rel!r} does not name a file of the repository")
    return "/".join(parts)


def _no_conflicts(case_file: Path, case: int, paths: list[str]) -> None:
    """Refuse a fixture file that another fixture needs as a folder."""
    folders = {"/".join(p.split("/")[:n]) for p in paths for n in range(1, p.count("/") + 1)}
    clash = sorted(folders.intersection(paths))
    if clash:
        raise _fail(case_file, f"case {case}: fixture {clash[0]!r} is both a file and a folder")
    if len(set(paths)) != len(paths):
        raise _fail(case_file, f"case {case}: two fixtures name the same file")


def _expected(case_file: Path, item: Any) -> Expected:
    if not isinstance(item, dict) or not {"rule", "path", "line"} <= set(item):
        raise _fail(case_file, "each expected finding names rule, path and line (and column)")
    line, column = item["line"], item.get("column")
    if not _number(line) or not (column is None or _number(column)):
        bad = line if not _number(line) else column
        raise _fail(case_file, f"expected line and column are positive numbers, not {bad!r}")
    return (str(item["rule"]), str(item["path"]), line, column)


def _number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _read(path: Path) -> Any:
    try:
        return inputs.load_yaml(path, str(path), "cases")[0]
    except inputs.InputError as exc:
        raise _fail(path, exc.message, exc.line) from None


def _cases(source: Path, policy: Path, rule: str, items: Any) -> list[Case]:
    """Cases from a list of case mappings (a cases file's, or a rule's own)."""
    if not isinstance(items, list):
        raise _fail(source, "`cases:` is a list of cases")
    cases = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("files"), dict):
            raise _fail(source, f"case {i + 1} needs `files:`, a mapping of path to text")
        names = [_safe(source, str(k)) for k in item["files"]]
        _no_conflicts(source, i + 1, names)
        files = dict(zip(names, (str(v) for v in item["files"].values()), strict=True))
        expect = tuple(_expected(source, e) for e in item.get("expect") or [])
        today = item.get("today")
        if today is not None and not isinstance(today, datetime.date):
            raise _fail(source, f"case {i + 1}: today {today!r} is not a date (YYYY-MM-DD)")
        untracked = item.get("untracked") or []
        if not isinstance(untracked, list) or not set(map(str, untracked)) <= set(files):
            raise _fail(source, f"case {i + 1}: `untracked:` lists paths of its `files:`")
        name = str(item.get("name", i + 1))
        kept = tuple(map(str, untracked))
        cases.append(Case(policy, rule, name, files, expect, today, kept, source))
    return cases


def load_cases(case_file: Path) -> list[Case]:
    """The cases of one ``*.cases.yaml`` file."""
    policy = case_file.with_name(case_file.name.removesuffix(CASES_SUFFIX) + ".yaml")
    spec = _read(case_file)
    if not isinstance(spec, dict) or not isinstance(spec.get("cases"), list):
        raise _fail(case_file, "a cases file holds `rule:` and `cases:`, a list of cases")
    if not os.path.lexists(policy):  # a FIFO there is the reader's to refuse by name
        raise _fail(case_file, f"no policy {policy.name} beside these cases")
    return _cases(case_file, policy, str(spec.get("rule", "")), spec["cases"])


def inline_cases(policy: Path) -> list[Case]:
    """Cases a policy file keeps in its rules (a rule's own ``cases:``)."""
    spec = _read(policy)
    rules = spec.get("rules") if isinstance(spec, dict) else None
    found: list[Case] = []
    for rule in rules if isinstance(rules, list) else []:
        if isinstance(rule, dict) and "cases" in rule:
            found += _cases(policy, policy, str(rule.get("id", "")), rule["cases"])
    return found


def _policies(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*.y*ml")
        if p.suffix in (".yaml", ".yml")
        and not p.name.endswith(CASES_SUFFIX)
        and p.name != "pack.yaml"
    )


def collect(paths: list[Path]) -> list[Case]:
    """Every case for ``paths``: cases files, and the cases policy files keep inline."""
    found: list[Case] = []
    for path in paths:
        if path.is_dir():
            for case_file in sorted(path.rglob("*" + CASES_SUFFIX)):
                found += load_cases(case_file)
            for policy in _policies(path):
                found += inline_cases(policy)
        elif path.name.endswith(CASES_SUFFIX):
            found += load_cases(path)
        elif path.suffix in (".yaml", ".yml"):
            sibling = path.with_name(path.stem + CASES_SUFFIX)
            found += load_cases(sibling) if os.path.lexists(sibling) else []
            found += inline_cases(path)
        else:
            raise _fail(path, "not a policy file, a cases file or a folder")
    return found


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
        raise _fail(
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
    outcome = Outcome(case)
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


def uncovered(outcomes: list[Outcome]) -> list[str]:
    """Rules of the policies tested that no case shows failing."""
    policies = {o.case.policy for o in outcomes}
    rules = {
        r.id
        for p in policies
        for r in load_policies(Settings(root=p.parent, policy_paths=(p,), builtin=False)).rules
    }
    failing = {want[0].split("[", 1)[0] for o in outcomes for want in o.case.expect}
    return sorted(rules - failing)


def _shown(item: Expected) -> str:
    rule, path, line, column = item
    return f"{path}:{line}:{column if column is not None else '*'}: {rule}"


def render(outcomes: list[Outcome], missing_cases: list[str]) -> str:
    """A report of a test run: each case, what differed, coverage, and a closing count."""
    lines = []
    for o in outcomes:
        status = "PASS" if o.passed else "FAIL"
        lines.append(f"{status} {o.case.rule}: {o.case.name} ({o.case.policy.name})")
        lines.extend(f"    - expected {_shown(item)}" for item in o.missing)
        lines.extend(f"    + found    {_shown(item)}" for item in o.unexpected)
    if missing_cases:
        lines.append("")
        lines.append("Rules with no failing case (untested): " + ", ".join(missing_cases))
    passed = sum(o.passed for o in outcomes)
    lines.append("")
    lines.append(f"{passed} passed, {len(outcomes) - passed} failed")
    return "\n".join(lines) + "\n"
