"""Every built-in rule's case file, run as one generated test per case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from aixcl_lint.config import Settings
from aixcl_lint.run import lint, load_policies
from conftest import REPO, write_tree

POLICIES = REPO / "policies"


def _cases() -> list[Any]:
    params = []
    for case_file in sorted(POLICIES.glob("*.cases.yaml")):
        spec = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        policy = case_file.with_name(case_file.name.replace(".cases.yaml", ".yaml"))
        for case in spec["cases"]:
            params.append(
                pytest.param(policy, spec["rule"], case, id=f"{spec['rule']}: {case['name']}")
            )
    return params


@pytest.mark.parametrize(("policy", "rule", "case"), _cases())
def test_case(tmp_path: Path, policy: Path, rule: str, case: dict[str, Any]) -> None:
    root = write_tree(tmp_path, case["files"])
    settings = Settings(root=root, policy_paths=(policy,), builtin=False)
    result = lint(settings, [], load_policies(settings))
    actual = sorted((f.rule, f.path, f.line, f.column) for f in result.findings)
    expected = sorted((e["rule"], e["path"], e["line"], e["column"]) for e in case["expect"])
    assert actual == expected
    assert all(f.rule.split("[")[0] == rule for f in result.findings)


def test_every_rule_has_cases_with_a_pass_and_a_fail() -> None:
    settings = Settings(root=REPO)
    rule_ids = {rule.id for rule in load_policies(settings).rules}
    covered: dict[str, list[dict[str, Any]]] = {}
    for case_file in POLICIES.glob("*.cases.yaml"):
        spec = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        covered[spec["rule"]] = spec["cases"]
    assert set(covered) == rule_ids
    for rule_id, cases in covered.items():
        assert any(not c["expect"] for c in cases), f"{rule_id} has no passing case"
        assert any(c["expect"] for c in cases), f"{rule_id} has no failing case"


def test_every_rule_has_a_docs_page_listed_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    index = (REPO / "docs" / "rules" / "README.md").read_text(encoding="utf-8")
    for rule in load_policies(Settings(root=REPO)).rules:
        page = REPO / "docs" / "rules" / f"{rule.id}.md"
        assert page.is_file(), f"{rule.id} has no docs page {page}"
        assert f"`{rule.id}`" in readme
        assert f"`{rule.id}`" in index
        assert page.read_text(encoding="utf-8").startswith(f"# `{rule.id}`")
