"""The installed console script, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import REPO, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

EXAMPLE_FINDINGS = [
    ("compose/image-pinned[untagged]", "examples/aixcl/compose.override.yaml", 15, 12),
    ("compose/network-mode-host", "examples/aixcl/compose.override.yaml", 16, 19),
    ("compose/network-mode-host", "examples/aixcl/compose.yaml", 32, 3),
    ("compose/image-pinned[latest]", "examples/aixcl/compose.yaml", 33, 12),
    ("compose/no-port-mappings", "examples/aixcl/compose.yaml", 35, 5),
    ("compose/no-custom-networks[service]", "examples/aixcl/compose.yaml", 37, 5),
    ("compose/no-custom-networks[top-level]", "examples/aixcl/compose.yaml", 46, 1),
    ("docs/section-references[section]", "examples/aixcl/docs/reference/security.md", 37, 1),
]


@pytest.fixture
def repo(aixcl_repo: Repo) -> Repo:
    """These tests use AIXCL's invariants: the aixcl profile is on (test_profiles.py
    covers the default profile)."""
    return aixcl_repo


def test_readme_example_reports_exactly_the_deliberate_violations() -> None:
    ran = run_cli("check", "examples/aixcl", "--format", "json", cwd=REPO)
    assert ran.code == 1, ran.err
    assert ran.findings() == EXAMPLE_FINDINGS
    assert ran.json()["summary"] == {
        "files": 7,  # bootstrap/Dockerfile's comments are read for section references
        "findings": 8,
        "error": 8,
        "warning": 0,
        "info": 0,
        "fixable": 5,
    }


def test_readme_shows_the_text_the_example_prints() -> None:
    ran = run_cli("check", "examples/aixcl", cwd=REPO)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert ran.code == 1
    assert ran.out.strip() in readme


def test_json_contract() -> None:
    document = run_cli("check", "examples/aixcl", "--format", "json", cwd=REPO).json()
    assert document["version"] == 1
    for finding in document["findings"]:
        assert set(finding) == {
            "rule",
            "severity",
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "fixable",
        }
        assert finding["severity"] in ("error", "warning", "info")
        assert not finding["path"].startswith("/")
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"])


def test_text_output_groups_by_file_and_summarises(repo: Repo) -> None:
    root = repo(
        {
            "a/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n",
            "b/compose.yaml": "services:\n  web:\n    image: nginx\n    network_mode: host\n",
        }
    )
    ran = run_cli("check", cwd=root)
    assert ran.code == 1
    assert ran.out.splitlines() == [
        "a/compose.yaml:2:3: error compose/network-mode-host [*] service 'web' does not set "
        "network_mode; AIXCL services use network_mode: host",
        "   |",
        " 2 |   web:",
        "   |   ^^^",
        "   = docs: https://github.com/aixcl/aixcl-lint/blob/main/docs/rules/compose/network-mode-host.md",
        "",
        "b/compose.yaml:3:12: error compose/image-pinned[untagged] service 'web' uses image "
        "'nginx' without a tag; pin a version tag or a digest",
        "   |",
        " 3 |     image: nginx",
        "   |            ^^^^^",
        "   = docs: https://github.com/aixcl/aixcl-lint/blob/main/docs/rules/compose/image-pinned.md",
        "",
        "Found 2 problems (2 errors) in 2 files; 2 files checked.",
        "[*] 1 fixable with `aixcl-lint check --fix`.",
    ]
    concise = run_cli("check", "--concise", "-q", cwd=root).out.splitlines()
    # One line per finding, as grep, editors and ruff's --concise have it.
    assert concise == [ran.out.splitlines()[0], ran.out.splitlines()[6]]


def test_colour_only_when_asked_or_on_a_terminal(repo: Repo) -> None:
    root = repo({"compose.yaml": "services:\n  web: {image: 'nginx:1.27'}\n"})
    assert "\033[" not in run_cli("check", cwd=root).out
    assert "\033[31m" in run_cli("check", "--color", cwd=root).out


def test_clean_repository_exits_zero(repo: Repo) -> None:
    root = repo(
        {"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"}
    )
    ran = run_cli("check", cwd=root)
    assert (ran.code, ran.out) == (0, "All clear: no problems in 1 file checked.\n")


def test_warnings_fail_only_with_fail_on_warning(repo: Repo) -> None:
    root = repo(
        {"compose.yaml": "services:\n  web:\n    image: 'x/web:${TAG}'\n    network_mode: host\n"}
    )
    assert run_cli("check", cwd=root).code == 0
    ran = run_cli("check", "--fail-on", "warning", "--format", "json", cwd=root)
    assert ran.code == 1
    assert ran.findings() == [("compose/image-pinned[unset-variable]", "compose.yaml", 3, 12)]


def test_runs_from_a_subfolder_on_the_whole_repository(repo: Repo) -> None:
    root = repo(
        {"compose.yaml": "services:\n  web: {image: 'nginx:1.27'}\n", "docs/guide.md": "# Guide\n"}
    )
    ran = run_cli("check", "--format", "json", cwd=root / "docs")
    assert [f[1] for f in ran.findings()] == ["compose.yaml"]


def test_a_named_override_is_linted_with_its_base_file(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n",
            "compose.override.yaml": "services:\n  web:\n    deploy: {replicas: 2}\n"
            "  extra:\n    image: redis\n",
        }
    )
    ran = run_cli("check", "compose.override.yaml", "--format", "json", cwd=root)
    assert ran.findings() == [
        ("compose/network-mode-host", "compose.override.yaml", 4, 3),
        ("compose/image-pinned[untagged]", "compose.override.yaml", 5, 12),
    ]
    # The base file is context, not a target: nothing is reported in it.
    assert run_cli("check", "compose.yaml", cwd=root).code == 0


def test_a_named_env_file_checks_the_projects_it_interpolates(repo: Repo) -> None:
    """pre-commit passes only ``.env`` when a commit changes only it: the tag it sets is
    the compose file's, so that project is checked and its findings are reported (a
    commit setting ``TAG=latest`` fails the hook). Compose files elsewhere stay out."""
    root = repo(
        {
            "app/compose.yaml": "services:\n  web:\n    image: 'nginx:${TAG}'\n"
            "    network_mode: host\n",
            "app/.env": "TAG=latest\n",
            "other/compose.yaml": "services:\n  db: {image: redis, network_mode: host}\n",
        }
    )
    ran = run_cli("check", "app/.env", "--format", "json", cwd=root)
    assert ran.findings() == [("compose/image-pinned[latest]", "app/compose.yaml", 3, 12)]
    (root / "app" / ".env").write_text("TAG=1.27\n")
    assert run_cli("check", "app/.env", cwd=root).code == 0
    # An excluded compose file stays excluded, even when its .env is named.
    (root / ".aixcl-lint.yaml").write_text("exclude: ['app/compose.yaml']\n")
    (root / "app" / ".env").write_text("TAG=latest\n")
    assert run_cli("check", "app/.env", "--force-exclude", cwd=root).code == 0


def test_gitignored_files_are_skipped(repo: Repo) -> None:
    root = repo(
        {".gitignore": "build/\n", "build/compose.yaml": "services:\n  web: {image: nginx}\n"}
    )
    assert run_cli("check", cwd=root).code == 0


def test_user_policy_without_builtin(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    restart: always\n",
            "team/restart.yaml": (
                "version: 1\nrules:\n  - id: team/restart\n    title: t\n    severity: warning\n"
                "    target: {kind: compose}\n    select: services\n    checks:\n"
                "      - field: restart\n        one-of: [unless-stopped, on-failure]\n"
                "        message: \"service '{service}' restarts '{value}'\"\n"
            ),
        }
    )
    ran = run_cli("check", "--no-builtin", "--policy", "team", "--format", "json", cwd=root)
    assert ran.code == 0  # a warning does not fail by default
    assert ran.json()["findings"][0]["message"] == "service 'web' restarts 'always'"
    assert ran.findings() == [("team/restart", "compose.yaml", 4, 14)]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "missing-folder"], "missing-folder: no such file or folder"),
        (["check", "--format", "xml"], "Invalid value for '--format'"),
        (
            ["check", "--format", "jsno"],
            "aixcl-lint: error: Invalid value for '--format': 'jsno' is not one of auto, text, "
            "json, sarif, github, junit (did you mean 'json'?); see 'aixcl-lint check --help'",
        ),
        (["lint"], "No such command 'lint'. Did you mean 'init'?; see 'aixcl-lint --help'"),
        (
            ["check", "--policy", "nowhere.yaml"],
            "invalid policy: nowhere.yaml: policy file or folder",
        ),
    ],
)
def test_usage_errors_exit_2_with_one_line(repo: Repo, args: list[str], needle: str) -> None:
    root = repo({"compose.yaml": "services: {}\n"})
    ran = run_cli(*args, cwd=root)
    assert ran.code == 2
    assert needle in ran.err
    assert len(ran.err.splitlines()) == 1
    assert "Traceback" not in ran.err


@pytest.mark.slow
def test_python_dash_m_and_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aixcl_lint", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("aixcl-lint, version ")


def test_schema_command_prints_the_policy_schema() -> None:
    ran = run_cli("schema", cwd=REPO)
    schema = json.loads(ran.out)
    assert ran.code == 0
    assert schema["title"] == "aixcl-lint policy file"


def test_nested_gitignore_files_apply_below_their_folder(repo: Repo) -> None:
    root = repo(
        {
            "deploy/.gitignore": "local/\n*.override.yaml\n",
            "deploy/compose.yaml": "services:\n  web: {image: 'nginx:1.27', network_mode: host}\n",
            "deploy/compose.override.yaml": "services:\n  web: {ports: ['80:80']}\n",
            "deploy/local/compose.yaml": "services:\n  web: {image: nginx}\n",
            "other/local/compose.yaml": "services:\n  web: {image: nginx}\n",
        }
    )
    ran = run_cli("check", "--format", "json", cwd=root)
    assert sorted({f[1] for f in ran.findings()}) == ["other/local/compose.yaml"]


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        ({}, ["--baseline", "nope.json"], "nope.json: cannot read baseline: No such file"),
        ({"b.json": '{"x": \n'}, ["--baseline", "b.json"], "invalid baseline: b.json:2: invalid"),
        (
            {"b.json": '{"version": 9}\n'},
            ["--baseline", "b.json"],
            "invalid baseline: b.json:1: not a version 1 aixcl-lint baseline file",
        ),
        ({}, ["--policy", "gone/"], "invalid policy: gone: policy file or folder does not"),
    ],
)
def test_an_unusable_input_is_named_for_what_it_is(
    repo: Repo, files: dict[str, str], args: list[str], expected: str
) -> None:
    """A baseline's errors say baseline (not config), and a file that cannot be read at
    all is named without a line number it does not have."""
    ran = run_cli("check", *args, cwd=repo({"compose.yaml": "services: {}\n", **files}))
    assert ran.code == 2
    assert ran.err == f"aixcl-lint: error: {expected}" + ran.err.split(expected, 1)[1]
    assert len(ran.err.splitlines()) == 1
