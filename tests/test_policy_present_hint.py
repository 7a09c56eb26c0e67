"""security/policy-present[missing] names the way out for an organisation whose
`.github` repository publishes the policy, and the config's ignore the docs give works."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from test_discover_git import git_repo

README = "# Project\n\nA project.\n"


def _messages(root: Path) -> dict[str, str]:
    ran = run_cli("check", "--format", "json", cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    assert ran.code in (0, 1), ran.err
    return {f["rule"]: f["message"] for f in ran.json()["findings"]}


def test_missing_policy_mentions_the_organisation_wide_one(tmp_path: Path) -> None:
    found = _messages(git_repo(tmp_path / "repo", {"README.md": README}))
    message = found["security/policy-present[missing]"]
    assert "'locations' option" in message
    assert "organisation's .github repository" in message


def test_the_documented_ignore_silences_it(tmp_path: Path) -> None:
    config = "ignore:\n  - security/policy-present  # from our organisation's .github\n"
    files = {"README.md": README, ".aixcl-lint.yaml": config}
    found = _messages(git_repo(tmp_path / "repo", files))
    assert not [rule for rule in found if rule.startswith("security/policy-present")]
