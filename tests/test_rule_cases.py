"""Every built-in rule's case file, run as one generated test per case, through the same
runner `aixcl-lint test` uses."""

from __future__ import annotations

import functools

import pytest

from aixcl_lint.config import Settings
from aixcl_lint.run import load_policies
from aixcl_lint.run.cases import Case, Outcome, load_cases, run_case, uncovered
from conftest import REPO

POLICIES = REPO / "policies"
CASE_FILES = sorted(POLICIES.glob("*.cases.yaml"))


CASES = [case for case_file in CASE_FILES for case in load_cases(case_file)]


@functools.cache
def _outcome(index: int) -> Outcome:
    """A case's outcome, run once a session: each case's test and the coverage test
    below read the same outcomes (running the pack's cases twice proved nothing more)."""
    return run_case(CASES[index])


@pytest.mark.parametrize(
    "index", [pytest.param(i, id=f"{case.rule}: {case.name}") for i, case in enumerate(CASES)]
)
def test_case(index: int) -> None:
    outcome = _outcome(index)
    assert (outcome.missing, outcome.unexpected) == ([], [])
    rule = CASES[index].rule
    assert all(want[0].split("[")[0] == rule for want in CASES[index].expect)


def test_every_rule_has_cases_with_a_pass_and_a_fail() -> None:
    rule_ids = {rule.id for rule in load_policies(Settings(root=REPO), every_profile=True).rules}
    covered: dict[str, list[Case]] = {}
    for case_file in CASE_FILES:
        for case in load_cases(case_file):
            covered.setdefault(case.rule, []).append(case)
    assert set(covered) == rule_ids
    for rule_id, cases in covered.items():
        assert any(not c.expect for c in cases), f"{rule_id} has no passing case"
        assert any(c.expect for c in cases), f"{rule_id} has no failing case"


def test_the_built_in_pack_is_fully_covered() -> None:
    outcomes = [_outcome(index) for index in range(len(CASES))]
    assert all(o.passed for o in outcomes)
    assert uncovered(outcomes) == []


def test_every_rule_has_a_docs_page_listed_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    index = (REPO / "docs" / "rules" / "README.md").read_text(encoding="utf-8")
    for rule in load_policies(Settings(root=REPO), every_profile=True).rules:
        page = REPO / "docs" / "rules" / f"{rule.id}.md"
        assert page.is_file(), f"{rule.id} has no docs page {page}"
        assert f"`{rule.id}`" in readme
        assert f"`{rule.id}`" in index
        assert page.read_text(encoding="utf-8").startswith(f"# `{rule.id}`")
