"""``check --fix`` and ``--diff`` as people use them, through the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import REPO, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]
GIT = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


@pytest.fixture
def repo(aixcl_repo: Repo) -> Repo:
    """These tests use AIXCL's invariants: the aixcl profile is on (test_profiles.py
    covers the default profile)."""
    return aixcl_repo


def _git(root: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=root, env=GIT, capture_output=True, text=True, check=True
    )
    return proc.stdout


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """examples/aixcl as a git repository of its own."""
    root = tmp_path / "aixcl"
    shutil.copytree(REPO / "examples" / "aixcl", root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "example")
    return root


EXAMPLE_DIFF = (REPO / "tests" / "fixtures" / "example-fix.diff").read_text(encoding="utf-8")


def test_diff_prints_the_fixes_and_writes_nothing(example: Path) -> None:
    ran = run_cli("check", "--diff", cwd=example)
    assert ran.code == 0  # so that `check --diff > fix.patch && git apply fix.patch` applies
    assert ran.out == EXAMPLE_DIFF
    assert ran.err.splitlines() == [
        "Would fix 5 problems in 2 files.",
        "4 other problem(s) no fix covers: `aixcl-lint check` reports them.",
    ]
    assert _git(example, "status", "--porcelain") == ""
    # git reads the diff as a patch; applied, it leaves only what cannot be fixed.
    (example.parent / "fix.diff").write_text(ran.out)
    _git(example, "apply", str(example.parent / "fix.diff"))
    rules = {f[0] for f in run_cli("check", "--format", "json", cwd=example).findings()}
    assert rules == {
        "compose/image-pinned[latest]",
        "compose/image-pinned[untagged]",
        "docs/section-references[section]",
        "security/policy-present[location]",  # a root of its own: GitHub shows no policy
    }


def test_fix_repairs_the_example_with_a_minimal_diff(example: Path) -> None:
    ran = run_cli("check", "--fix", cwd=example)
    assert ran.code == 1  # image pinning, the docs finding and a warning remain
    assert ran.out.startswith(
        "compose.override.yaml:16:19: fixed compose/network-mode-host service 'grafana' uses"
    )
    assert "Fixed 5 problems in 2 files.\n\n" in ran.out
    assert ran.out.endswith("Found 4 problems (3 errors, 1 warning) in 4 files; 7 files checked.\n")
    assert _git(example, "diff", "--stat").splitlines()[-1] == (
        " 2 files changed, 2 insertions(+), 8 deletions(-)"
    )
    # The same patch --diff showed, and a second run has nothing to do.
    assert "\n".join(
        line for line in _git(example, "diff").splitlines() if line[:1] in "+- "
    ) == "\n".join(line for line in EXAMPLE_DIFF.splitlines() if line[:1] in "+- ")
    again = run_cli("check", "--fix", cwd=example)
    assert again.out.startswith("Nothing to fix.\n")
    assert _git(example, "status", "--porcelain").count("\n") == 2


def test_fix_exits_0_when_nothing_remains(repo: Repo) -> None:
    root = repo(
        {"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    ports: ['80:80']\n"}
    )
    ran = run_cli("check", "--fix", "--format", "json", cwd=root)
    assert ran.code == 0, ran.err
    assert ran.json()["findings"] == []
    assert "Fixed 2 problems in 1 file." in ran.err  # JSON keeps standard output to itself
    assert (root / "compose.yaml").read_text() == (
        "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
    )


def test_diff_exits_0_when_there_is_nothing_to_do(repo: Repo) -> None:
    root = repo(
        {"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"}
    )
    ran = run_cli("check", "--diff", cwd=root)
    assert (ran.code, ran.out, ran.err) == (0, "", "Nothing to fix.\n")


def test_a_read_only_file_is_reported_and_the_run_goes_on(repo: Repo) -> None:
    bad = "services:\n  web:\n    image: nginx:1.27\n    ports: ['80:80']\n    network_mode: host\n"
    root = repo({"a/compose.yaml": bad, "b/compose.yaml": bad})
    (root / "a" / "compose.yaml").chmod(0o444)
    ran = run_cli("check", "--fix", cwd=root)
    assert ran.code == 1
    assert "Traceback" not in ran.err
    assert (
        "a/compose.yaml:4:5: not fixed compose/no-port-mappings: a/compose.yaml is read-only; "
        "not written" in ran.out
    )
    assert "b/compose.yaml:4:5: fixed compose/no-port-mappings" in ran.out
    assert (root / "a" / "compose.yaml").read_text() == bad
    assert "ports" not in (root / "b" / "compose.yaml").read_text()


def test_fix_honours_select_and_inline_suppressions(repo: Repo) -> None:
    compose = textwrap.dedent(
        """\
        services:
          web:
            image: nginx:1.27
            # aixcl-lint: ignore[compose/no-port-mappings] the edge proxy keeps its port
            ports: ['443:443']
          api:
            image: api:1
            ports: ['80:80']
        """
    )
    root = repo({"compose.yaml": compose})
    ran = run_cli("check", "--fix", "--select", "compose/no-port-mappings", cwd=root)
    assert ran.code == 0, ran.out
    assert (root / "compose.yaml").read_text() == compose.replace("    ports: ['80:80']\n", "")


def test_fix_on_a_named_file_edits_only_that_file(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    ports: ['80:80']\n",
            "compose.override.yaml": "services:\n  web:\n    network_mode: bridge\n",
        }
    )
    ran = run_cli("check", "--fix", "compose.override.yaml", cwd=root)
    assert ran.code == 0, ran.out
    assert (root / "compose.override.yaml").read_text() == (
        "services:\n  web:\n    network_mode: host\n"
    )
    assert "ports" in (root / "compose.yaml").read_text()


def test_fix_cannot_write_a_baseline(repo: Repo) -> None:
    root = repo({"compose.yaml": "services: {}\n"})
    ran = run_cli("check", "--fix", "--write-baseline", "b.json", cwd=root)
    assert ran.code == 2
    assert "cannot be combined with --write-baseline" in ran.err


def test_findings_say_whether_they_are_fixable(example: Path) -> None:
    findings = run_cli("check", "--format", "json", cwd=example).json()["findings"]
    fixable = {f["rule"]: f["fixable"] for f in findings}
    assert fixable == {
        "compose/image-pinned[untagged]": False,
        "compose/image-pinned[latest]": False,
        "compose/network-mode-host": True,
        "compose/no-port-mappings": True,
        "compose/no-custom-networks[service]": True,
        "compose/no-custom-networks[top-level]": True,
        "docs/section-references[section]": False,
        "security/policy-present[location]": False,
    }


def test_rules_and_explain_say_what_is_fixable(repo: Repo) -> None:
    root = repo({"compose.yaml": "services: {}\n"})
    rules = run_cli("rules", "--format", "json", cwd=root).json()["rules"]
    fixable = {r["id"] for r in rules if r["fixable"]}
    assert {"compose/network-mode-host", "compose/no-port-mappings"} <= fixable
    assert not {r["id"] for r in rules if r["id"].startswith("compose/image-pinned")} & fixable
    assert "Not auto-fixable" in run_cli("explain", "compose/image-pinned", cwd=root).out
    assert "Auto-fixable" in run_cli("explain", "compose/no-port-mappings", cwd=root).out


def _policy_error(repo: Repo, fix: str, *, select: str = "services") -> str:
    policy = textwrap.dedent(
        f"""\
        version: 1
        rules:
          - id: team/restart
            title: Restart policy
            severity: warning
            target: {{kind: compose}}
            select: {select}
            checks:
              - field: restart
                present: true
                message: "no restart policy"
                fix: {fix}
        """
    )
    root = repo({"compose.yaml": "services: {}\n", "p.yaml": policy})
    ran = run_cli("check", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2, ran.out
    assert len(ran.err.strip().splitlines()) == 1
    return ran.err.strip()


@pytest.mark.parametrize(
    ("fix", "select", "expected"),
    [
        (
            "{fixer: rewrite}",
            "services",
            "p.yaml:12: rules[0].checks[0].fix.fixer: 'rewrite' is not",
        ),
        (
            "{fixer: set-value}",
            "services",
            "p.yaml:12: rules[0].checks[0].fix.fixer: fixer 'set-value' needs the option 'value'",
        ),
        (
            "{fixer: remove-key, with: {value: 1}}",
            "services",
            "rules[0].checks[0].fix.with.value: fixer 'remove-key' has no option 'value'",
        ),
        (
            "{fixer: set-value, with: {value: [a]}}",
            "services",
            "p.yaml:12: rules[0].checks[0].fix.with.value: option 'value' of 'set-value' must be",
        ),
        (
            "{fixer: remove-unused-top-level}",
            "services",
            "fixer 'remove-unused-top-level' does not apply to 'services' checks",
        ),
    ],
)
def test_a_bad_fix_is_a_policy_error(repo: Repo, fix: str, select: str, expected: str) -> None:
    assert expected in _policy_error(repo, fix, select=select)


def test_a_fix_needs_a_compose_check_with_a_field(repo: Repo) -> None:
    markdown = textwrap.dedent(
        """\
        version: 1
        rules:
          - id: team/title
            title: Title
            severity: warning
            target: {kind: markdown}
            select: document
            fix: {fixer: remove-key}
            checks:
              - field: headings
                present: true
                message: "no headings"
        """
    )
    root = repo({"README.md": "# x\n", "p.yaml": markdown})
    ran = run_cli("check", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2
    assert ran.err.strip().endswith(
        "p.yaml:8: rules[0].fix.fixer: fixer 'remove-key' applies to compose rules only"
    )
    no_field = markdown.replace("markdown", "compose").replace("document", "services")
    no_field = no_field.replace("field: headings\n        present: true", "option: strict")
    no_field = no_field.replace("    checks:", "    options: {strict: true}\n    checks:")
    (root / "p.yaml").write_text(no_field)
    ran = run_cli("check", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2
    assert "fixer 'remove-key' needs a check with a 'field'" in ran.err


def test_a_file_with_yaml_problems_is_never_touched(repo: Repo) -> None:
    text = "services:\n  web:\n    image: nginx:1.27\n    image: nginx:1.28\n    ports: ['80:80']\n"
    root = repo({"compose.yaml": text})
    ran = run_cli("check", "--fix", cwd=root)
    assert ran.code == 1
    assert (root / "compose.yaml").read_text() == text
    assert (
        "compose.yaml:5:5: not fixed compose/no-port-mappings: compose.yaml has YAML problems "
        "(yaml/duplicate-key); it is not touched" in ran.out
    )


def test_explain_says_how_a_user_rule_is_fixed(repo: Repo) -> None:
    policy = (REPO / "tests" / "fixtures" / "fix" / "user-policy" / "before" / "policies").joinpath(
        "team.yaml"
    )
    root = repo({"compose.yaml": "services: {}\n", "team.yaml": policy.read_text()})
    fixed = run_cli("explain", "team/restart", "--policy", "team.yaml", cwd=root).out
    assert "## Fix\n\n- `team/restart`: `aixcl-lint check --fix` applies `set-value`" in fixed
    volumes = run_cli("explain", "team/no-named-volumes", "--policy", "team.yaml", cwd=root).out
    assert "`aixcl-lint check --fix` applies `remove-unused-top-level`" in volumes


@pytest.mark.slow
def test_the_documented_diff_recipe_applies_its_patch(example: Path) -> None:
    recipe = "aixcl-lint check --diff > fix.patch && git apply fix.patch"
    docs = (REPO / "docs" / "fixing.md").read_text(encoding="utf-8")
    assert recipe in docs
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    ran = subprocess.run(
        recipe, shell=True, cwd=example, env={**os.environ, **GIT, "PATH": path}, check=False
    )
    assert ran.returncode == 0
    assert "network_mode: host" in (example / "compose.override.yaml").read_text()
    assert run_cli("check", "--diff", cwd=example).out == ""


def test_a_file_in_two_projects_counts_each_fix_once(repo: Repo) -> None:
    """An included file named like a compose file is a project of its own too: its
    findings come from both projects (each with a fix of its own to make, so both are
    fixed), and are one problem each, fixed once."""
    root = repo(
        {
            "compose.yaml": "include:\n  - sub/compose.inc.yaml\nservices:\n"
            "  web:\n    image: nginx:1.27\n    network_mode: bridge\n",
            "sub/compose.inc.yaml": "services:\n  db:\n    image: mysql:8\n"
            "    network_mode: host\n    ports: ['3306:3306']\n",
        }
    )
    checked = run_cli("check", "--concise", cwd=root)
    assert checked.out.count("sub/compose.inc.yaml:5:5:") == 1, checked.out
    diff = run_cli("check", "--diff", cwd=root)
    assert "Would fix 2 problems in 2 files." in diff.err, diff.err
    fixed = run_cli("check", "--fix", "--concise", cwd=root)
    assert fixed.code == 0, fixed.out + fixed.err
    assert fixed.out.count("sub/compose.inc.yaml:5:5: fixed") == 1, fixed.out
    assert "Fixed 2 problems in 2 files." in fixed.out, fixed.out
