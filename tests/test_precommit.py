"""The pre-commit hook, run by the real pre-commit in a temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, write_tree

pytestmark = pytest.mark.slow
"""Real processes (pre-commit, pip, build, linters): run by .ci/run, not by default."""

BIN = Path(sys.executable).parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **GIT_ENV, "NO_COLOR": "1", **(env or {})}
    full["PATH"] = f"{BIN}{os.pathsep}{full.get('PATH', '')}"
    return subprocess.run(
        args, cwd=cwd, env=full, capture_output=True, text=True, check=False, timeout=600
    )


def _git_repo(path: Path) -> str:
    for args in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", "snapshot"],
    ):
        proc = _run(args, path)
        assert proc.returncode == 0, proc.stderr
    return _run(["git", "rev-parse", "HEAD"], path).stdout.strip()


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This project's working tree, committed in a repository of its own."""
    path = tmp_path_factory.mktemp("hook-repo") / "aixcl-lint"
    shutil.copytree(
        REPO,
        path,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache", ".hypothesis"
        ),
    )
    return path, _git_repo(path)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {"PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}


BASE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
OVERRIDE = "services:\n  web:\n    deploy: {replicas: 2}\n  cache:\n    image: redis\n"
OTHER = "services:\n  api:\n    image: api:latest\n    network_mode: host\n    ports: ['80:80']\n"


def _consumer(tmp_path: Path, snapshot: tuple[Path, str]) -> Path:
    source, rev = snapshot
    root = tmp_path / "consumer"
    write_tree(
        root,
        {
            "compose.yaml": BASE,
            "compose.override.yaml": OVERRIDE,
            "api/compose.yaml": OTHER,
            "README.md": "# consumer\n",
            ".aixcl-lint.yaml": "profile: aixcl\nselect: [compose]\n",
            ".pre-commit-config.yaml": (
                f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: aixcl-lint\n"
            ),
        },
    )
    _git_repo(root)
    return root


def _finding_lines(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if ": error " in line)


def test_hook_all_files_and_named_files(
    tmp_path: Path, snapshot: tuple[Path, str], home: dict[str, str]
) -> None:
    root = _consumer(tmp_path, snapshot)
    everything = _run(["pre-commit", "run", "--all-files"], root, home)
    assert everything.returncode == 1, everything.stdout + everything.stderr
    lines = _finding_lines(everything.stdout)
    assert lines == [
        "api/compose.yaml:3:12: error compose/image-pinned[latest] service 'api' uses image "
        "'api:latest' tagged 'latest'; pin a version tag or a digest",
        "api/compose.yaml:5:5: error compose/no-port-mappings [*] service 'api' maps ports; host "
        "networking ignores 'ports:', remove it",
        "compose.override.yaml:4:3: error compose/network-mode-host [*] service 'cache' does not "
        "set network_mode; AIXCL services use network_mode: host",
        "compose.override.yaml:5:12: error compose/image-pinned[untagged] service 'cache' uses "
        "image 'redis' without a tag; pin a version tag or a digest",
    ]
    # One file named: the same findings for it as in the full run, with its base file
    # (not passed by pre-commit) read for context, and nothing about other files.
    one = _run(["pre-commit", "run", "--files", "compose.override.yaml"], root, home)
    assert one.returncode == 1
    assert _finding_lines(one.stdout) == [
        line for line in lines if line.startswith("compose.override.yaml:")
    ]
    clean = _run(["pre-commit", "run", "--files", "compose.yaml", "README.md"], root, home)
    assert clean.returncode == 0, clean.stdout


def test_project_dogfoods_its_own_hooks(snapshot: tuple[Path, str], home: dict[str, str]) -> None:
    source, _ = snapshot
    ran = _run(["pre-commit", "run", "--all-files"], source, home)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    for hook in ("ruff check", "ruff format", "mypy", "aixcl-lint"):
        assert hook in ran.stdout


def test_a_commit_that_breaks_a_policy_fails_the_hook(
    tmp_path: Path, snapshot: tuple[Path, str], home: dict[str, str]
) -> None:
    root = _consumer(tmp_path, snapshot)
    policy = root / ".aixcl-lint/policies/team.yaml"
    policy.parent.mkdir(parents=True)
    policy.write_text(
        "version: 1\nrules:\n  - id: team/restart\n    title: Restart\n    severity: warn\n"
        "    target: {kind: compose}\n    select: services\n"
        "    checks: [{field: restart, present: true, message: m}]\n",
        encoding="utf-8",
    )
    _run(["git", "add", "-A"], root)
    broken = _run(["pre-commit", "run"], root, home)  # the staged files: the policy alone
    assert broken.returncode != 0, broken.stdout
    assert "invalid policy: .aixcl-lint/policies/team.yaml:5:" in broken.stdout
    policy.write_text(policy.read_text(encoding="utf-8").replace("warn\n", "warning\n"))
    _run(["git", "add", "-A"], root)
    fixed = _run(["pre-commit", "run"], root, home)
    assert fixed.returncode == 0, fixed.stdout
    assert "warning" not in fixed.stdout.replace("severity: warning", "")
