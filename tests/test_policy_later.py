"""A check of a policy file that compiled before compiles its conditions when first
asked for (``policy.rules.Later``); one new to the machine compiles them at load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aixcl_lint.policy import shipped
from aixcl_lint.policy.loader import builtin_files, load_file, load_pack
from aixcl_lint.policy.model import Check
from aixcl_lint.policy.rules import Later
from conftest import run_cli
from test_policy_loader import GOOD_RULE, Repo


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AIXCL_LINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _builtin() -> list[Check]:
    files = [(p, f"<builtin>/{p.name}") for p in builtin_files()]
    pack = load_pack(files, trusted=True, ship=shipped.entries())
    return [check for rule in pack.rules for check in rule.checks]


def test_the_shipped_pack_compiles_no_condition_at_load() -> None:
    checks = _builtin()
    assert checks
    assert all(isinstance(c, Later) for c in checks)
    assert not any("_made" in c.__dict__ for c in checks)
    first = checks[0]
    evaluate, unless, where = first.evaluate, first.unless, first.where
    assert callable(evaluate)
    assert "_made" in first.__dict__
    assert (first.evaluate, first.unless, first.where) == (evaluate, unless, where)  # once


def test_a_later_check_finds_what_an_eager_compile_finds(repo: Repo, cache: Path) -> None:
    policy = GOOD_RULE.replace("present: true", "matches: '^(always|on-failure)$'")
    services = "".join(f"  {n}:\n    image: x:1\n    restart: {n}\n" for n in ("always", "no"))
    root = repo({"compose.yaml": f"services:\n{services}", "p.yaml": policy})
    (eager,) = load_file(root / "p.yaml", "p.yaml")[0].checks  # new: compiled now
    (later,) = load_file(root / "p.yaml", "p.yaml")[0].checks  # its parse kept: when asked
    assert type(eager) is Check
    assert isinstance(later, Later)
    facts = ("message", "selector", "sub_id", "severity", "fix")
    assert [getattr(later, f) for f in facts] == [getattr(eager, f) for f in facts]
    shutil.rmtree(cache / "policies")
    argv = ("check", "--no-cache", "--no-builtin", "--policy", "p.yaml", "--format", "json")
    first = run_cli(*argv, cwd=root)  # compiled at load
    assert "_made" not in later.__dict__
    assert (cache / "policies").is_dir()  # kept again
    again = run_cli(*argv, cwd=root)  # compiled when the engine asks
    assert first.code == again.code == 0  # a warning
    assert first.findings() == again.findings()
    assert [f[0] for f in again.findings()] == ["team/restart"]


def test_a_later_check_re_graded_stays_deferred() -> None:
    """A pack's sub-id adjustment re-grades a check (``policy.adjust``): the copy is a
    Later still, with its conditions deferred, and the same check otherwise."""
    from aixcl_lint.core import Severity
    from aixcl_lint.policy.rules import replaced

    first = _builtin()[0]
    copy = replaced(first, severity=Severity.INFO)
    assert isinstance(copy, Later)
    assert "_made" not in copy.__dict__
    assert (copy.severity, copy.message, copy.sub_id) == (
        Severity.INFO,
        first.message,
        first.sub_id,
    )
    assert callable(copy.evaluate)
    assert first.severity is not Severity.INFO
