"""`aixcl-lint test`: a team tests its own policies like code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import REPO, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

POLICY = """\
version: 1
rules:
  - id: team/restart
    title: Services restart unless stopped
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - field: restart
        one-of: [unless-stopped, on-failure]
        message: "service '{service}' restarts '{value}'"
  - id: team/labels
    title: Services carry an owner label
    severity: warning
    target: {kind: compose}
    select: services
    checks:
      - field: labels.owner
        present: true
        message: "service '{service}' has no owner label"
"""
CASES = """\
rule: team/restart
cases:
  - name: unless-stopped passes
    files:
      compose.yaml: |
        services:
          web: {image: "nginx:1.27", restart: unless-stopped, labels: {owner: web}}
    expect: []
  - name: always fails
    files:
      compose.yaml: |
        services:
          web: {image: "nginx:1.27", restart: always, labels: {owner: web}}
    expect:
      - {rule: team/restart, path: compose.yaml, line: 2, column: 39}
"""


def test_passing_cases_and_coverage(repo: Repo) -> None:
    root = repo({"policies/team.yaml": POLICY, "policies/team.cases.yaml": CASES})
    ran = run_cli("test", "policies", cwd=root)
    assert ran.code == 0, ran.out + ran.err
    assert "PASS team/restart: always fails (team.yaml)" in ran.out
    assert "Rules with no failing case (untested): team/labels" in ran.out
    assert ran.out.rstrip().endswith("2 passed, 0 failed")


def test_a_failing_case_shows_the_difference_and_exits_1(repo: Repo) -> None:
    wrong = CASES.replace("line: 2, column: 39", "line: 3, column: 39")
    root = repo({"policies/team.yaml": POLICY, "policies/team.cases.yaml": wrong})
    ran = run_cli("test", "policies/team.yaml", cwd=root)
    assert ran.code == 1
    assert "FAIL team/restart: always fails (team.yaml)" in ran.out
    assert "    - expected compose.yaml:3:39: team/restart" in ran.out
    assert "    + found    compose.yaml:2:39: team/restart" in ran.out
    assert ran.out.rstrip().endswith("1 passed, 1 failed")


def test_fixtures_cannot_escape_their_repository(repo: Repo) -> None:
    escaping = CASES.replace(
        "      compose.yaml: |\n        services:\n          web: {image: "
        '"nginx:1.27", restart: unless',
        "      ../outside.yaml: |\n"
        '        services:\n          web: {image: "nginx:1.27", restart:'
        " unless",
        1,
    )
    assert escaping != CASES
    root = repo({"policies/team.yaml": POLICY, "policies/team.cases.yaml": escaping})
    ran = run_cli("test", "policies", cwd=root)
    assert ran.code == 2
    assert "fixture path '../outside.yaml' must stay inside" in ran.err
    assert not (root / "outside.yaml").exists()


def test_the_repository_policy_folder_is_tested_by_default(repo: Repo) -> None:
    root = repo(
        {".aixcl-lint/policies/team.yaml": POLICY, ".aixcl-lint/policies/team.cases.yaml": CASES}
    )
    ran = run_cli("test", cwd=root)
    assert ran.code == 0, ran.out[-2000:]
    assert "(team.yaml)" in ran.out
    assert "(compose-image-pinned.yaml)" in ran.out  # the built-in pack too
    # ... and the built-in pack passes its own cases, every rule shown failing (one run
    # of the pack's cases for both: they take seconds)
    assert "FAIL" not in ran.out
    assert "Rules with no failing case (untested): team/labels\n" in ran.out  # only the team's


def test_by_default_the_policies_the_config_names_are_tested(repo: Repo) -> None:
    other = POLICY.replace("team/", "ops/")
    root = repo(
        {
            ".aixcl-lint.yaml": "policy-folder: governance/policies\npolicies: [ops]\n"
            "builtin: false\n",
            "governance/policies/team.yaml": POLICY,
            "governance/policies/team.cases.yaml": CASES,
            "ops/ops.yaml": other,
            "ops/ops.cases.yaml": CASES.replace("team/", "ops/"),
        }
    )
    ran = run_cli("test", cwd=root)
    assert ran.code == 0, ran.out + ran.err
    assert "PASS team/restart: always fails (team.yaml)" in ran.out
    assert "PASS ops/restart: always fails (ops.yaml)" in ran.out
    assert "(compose-image-pinned.yaml)" not in ran.out  # builtin: false
    assert ran.out.rstrip().endswith("4 passed, 0 failed")


def test_the_example_policies_pass_their_cases() -> None:
    ran = run_cli("test", "docs/examples", cwd=REPO)
    assert ran.code == 0, ran.out
    assert ran.out.rstrip().endswith("47 passed, 0 failed")
    assert "untested" not in ran.out


INLINE = """\
version: 1
rules:
  - id: team/restart
    title: Services restart unless stopped
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - field: restart
        present: true
        message: "service '{service}' has no restart policy"
    cases:
      - name: no restart policy
        files:
          compose.yaml: |
            services:
              web: {image: "nginx:1.27"}
        expect:
          - {rule: team/restart, path: compose.yaml, line: 2, column: 3}
      - name: a restart policy
        files:
          compose.yaml: |
            services:
              web: {image: "nginx:1.27", restart: always}
        expect: []
"""


def test_cases_kept_inline_in_the_policy_file(repo: Repo) -> None:
    root = repo({"team.yaml": INLINE, "compose.yaml": "services: {}\n"})
    ran = run_cli("test", "team.yaml", cwd=root)
    assert ran.code == 0, ran.out
    assert "PASS team/restart: no restart policy (team.yaml)" in ran.out
    assert ran.out.rstrip().endswith("2 passed, 0 failed")
    # The policy still loads for linting: `cases` is part of the policy language.
    assert run_cli("check", "--no-builtin", "--policy", "team.yaml", cwd=root).code == 0


def test_a_case_sees_its_own_rule_not_the_file_s_other_rules(repo: Repo) -> None:
    # No owner label: team/labels would report it, but these are team/restart's cases.
    unlabelled = CASES.replace(", labels: {owner: web}", "")
    duplicate = (
        "  - name: a file problem still counts\n"
        "    files:\n"
        "      compose.yaml: |\n"
        "        services:\n"
        '          web: {image: "nginx:1.27", restart: always, restart: always}\n'
        "    expect:\n"
        "      - {rule: team/restart, path: compose.yaml, line: 2, column: 56}\n"
    )
    root = repo({"policies/team.yaml": POLICY, "policies/team.cases.yaml": unlabelled + duplicate})
    ran = run_cli("test", "policies", cwd=root)
    assert ran.code == 1, ran.out + ran.err
    assert "PASS team/restart: always fails (team.yaml)" in ran.out
    assert "team/labels" not in ran.out.split("Rules with no failing case")[0]
    assert "FAIL team/restart: a file problem still counts (team.yaml)" in ran.out
    assert "    + found    compose.yaml:2:47: yaml/duplicate-key" in ran.out
    assert ran.out.rstrip().endswith("2 passed, 1 failed")


def test_cases_for_a_rule_the_policy_does_not_define_are_an_error(repo: Repo) -> None:
    typo = CASES.replace("rule: team/restart\n", "rule: team/restrat\n", 1)
    root = repo({"policies/team.yaml": POLICY, "policies/team.cases.yaml": typo})
    ran = run_cli("test", "policies", cwd=root)
    assert ran.code == 2
    assert ran.err.strip() == (
        "aixcl-lint: error: invalid policy or cases: policies/team.cases.yaml:1: the cases are "
        "for rule 'team/restrat', which team.yaml does not define "
        "(did you mean 'team/restart'?)"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # A misspelt `expect:` would leave the case expecting nothing, and pass.
        ("    expect: []\n", "    expected: []\n", "8: unknown case key 'expected' (did you mean "),
        ("line: 2, column: 39}", "line: 2, colum: 39}", "15: unknown expected finding key 'colum'"),
        (
            "  - name: always fails\n    files:",
            "  - name: always fails\n    file:",
            "10: unknown case",
        ),
        ("rule: team/restart\n", "rules: team/restart\n", "1: unknown cases file key 'rules'"),
        ("    expect: []\n", "    expect: none\n", "8: case 1: `expect:` is a list of findings"),
    ],
)
def test_a_misspelt_key_in_a_cases_file_is_an_error_at_its_line(
    repo: Repo, old: str, new: str, expected: str
) -> None:
    assert old in CASES
    cases = CASES.replace(old, new, 1)
    root = repo({"policies/team.yaml": POLICY, "policies/team.cases.yaml": cases})
    ran = run_cli("test", "policies", cwd=root)
    assert ran.code == 2, ran.out
    prefix = "aixcl-lint: error: invalid policy or cases: policies/team.cases.yaml:"
    assert ran.err.startswith(prefix + expected), ran.err
    assert len(ran.err.splitlines()) == 1


def test_a_misspelt_key_in_a_rules_own_cases_is_an_error_at_its_line(repo: Repo) -> None:
    inline = POLICY.replace(
        "        message: \"service '{service}' has no owner label\"\n",
        "        message: \"service '{service}' has no owner label\"\n"
        "    cases:\n"
        "      - files: {compose.yaml: 'services: {}'}\n"
        "        expectt: []\n",
    )
    root = repo({"policies/team.yaml": inline})
    ran = run_cli("test", "policies", cwd=root)
    assert ran.code == 2, ran.out
    assert ran.err.startswith("aixcl-lint: error: invalid policy or cases: policies/team.yaml:"), (
        ran.err
    )
    assert "expectt" in ran.err


def test_policy_files_without_cases_and_failing_cases_leave_rules_untested(repo: Repo) -> None:
    other = POLICY.replace("team/restart", "team/other-restart").replace(
        "team/labels", "team/other-labels"
    )
    # This case expects team/labels' finding: not compared in team/restart's cases.
    wrong = CASES.replace(
        "{rule: team/restart, path: compose.yaml, line: 2, column: 39}",
        "{rule: team/labels, path: compose.yaml, line: 2, column: 5}",
    )
    root = repo(
        {
            "policies/team.yaml": POLICY,
            "policies/team.cases.yaml": wrong,
            "policies/nocases.yaml": other,
        }
    )
    ran = run_cli("test", "policies", cwd=root)
    assert ran.code == 1, ran.out + ran.err
    assert (
        "    - expected compose.yaml:2:5: team/labels (team/labels is another rule: a case "
        "for team/restart compares only its findings)"
    ) in ran.out
    assert (
        "Rules with no failing case (untested): team/labels, team/other-labels, "
        "team/other-restart, team/restart"
    ) in ran.out


def test_cases_files_may_end_in_yml_beside_a_yml_policy(repo: Repo) -> None:
    root = repo({"policies/team.yml": POLICY, "policies/team.cases.yml": CASES})
    ran = run_cli("test", "policies", cwd=root)
    assert ran.code == 0, ran.out + ran.err
    assert "PASS team/restart: always fails (team.yml)" in ran.out
    ran = run_cli("test", "policies/team.yml", cwd=root)
    assert ran.out.rstrip().endswith("2 passed, 0 failed"), ran.out + ran.err


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "rule: team/restart\n",
            "",
            "1: a cases file names the rule its cases test (`rule: team/rule-id`)",
        ),
        (
            '      compose.yaml: |\n        services:\n          web: {image: "nginx:1.27", '
            "restart: always",
            '      compose.yaml:\n        services:\n          web: {image: "nginx:1.27", '
            "restart: always",
            "11: case 2: the content of compose.yaml is a dict; write a file's text as a block "
            "string (`|`)",
        ),
    ],
)
def test_a_cases_file_without_its_rule_or_with_a_mapping_for_a_file_is_an_error(
    repo: Repo, old: str, new: str, expected: str
) -> None:
    assert old in CASES
    root = repo({"policies/team.yaml": POLICY, "policies/team.cases.yaml": CASES.replace(old, new)})
    ran = run_cli("test", "policies", cwd=root)
    assert ran.code == 2, ran.out
    prefix = "aixcl-lint: error: invalid policy or cases: policies/team.cases.yaml:"
    assert ran.err.strip() == prefix + expected


def test_an_empty_fixture_is_an_empty_file(repo: Repo) -> None:
    cases = CASES + (
        "  - name: an empty override file\n"
        "    files:\n"
        "      compose.yaml: |\n"
        "        services:\n"
        '          web: {image: "nginx:1.27", restart: always, labels: {owner: web}}\n'
        "      notes.txt:\n"
        "    expect:\n"
        "      - {rule: team/restart, path: compose.yaml, line: 2, column: 39}\n"
    )
    root = repo({"policies/team.yaml": POLICY, "policies/team.cases.yaml": cases})
    ran = run_cli("test", "policies", cwd=root)
    assert ran.code == 0, ran.out + ran.err
    assert ran.out.rstrip().endswith("3 passed, 0 failed")
