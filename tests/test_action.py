"""The composite GitHub Action, run step by step as a runner runs it, in a temporary
repository: its install step builds this checkout into a fresh virtual environment."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SARIF_SCHEMA

pytestmark = pytest.mark.slow
"""Real processes (pip, the action's scripts): run by .ci/run, not by default."""

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STACK = "services:\n  web:\n    image: nginx:latest\n    network_mode: host\n"


def _expand(value: str, inputs: Mapping[str, str]) -> str:
    """``${{ inputs.NAME }}`` as the runner substitutes it (only inputs are used)."""
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], value)


def _run_action(
    workspace: Path, runner: Mapping[str, str], given: Mapping[str, str], first: int = 0
) -> list[subprocess.CompletedProcess[str]]:
    """The steps' scripts from ``first`` on with bash, as GitHub runs a composite
    action's ``run:``."""
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    inputs.update(given)
    ran = []
    for step in ACTION["runs"]["steps"][first:]:
        assert step["shell"] == "bash"
        env = {k: _expand(str(v), inputs) for k, v in step.get("env", {}).items()}
        ran.append(
            subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=workspace,
                env={**os.environ, **runner, **env},
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
        )
        if ran[-1].returncode != 0:
            break
    return ran


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What a runner sets: the action's checkout (a copy of this repository), a
    temporary folder, GITHUB_ACTIONS."""
    base = tmp_path_factory.mktemp("runner")
    action = base / "action"
    shutil.copytree(
        REPO,
        action,
        ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "build", "__pycache__"),
    )
    (base / "temp").mkdir()
    return {
        "GITHUB_ACTION_PATH": str(action),
        "RUNNER_TEMP": str(base / "temp"),
        "GITHUB_ACTIONS": "true",
        "NO_COLOR": "1",
    }


@pytest.fixture(scope="module")
def failing(
    runner: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[subprocess.CompletedProcess[str]]]:
    """The whole action (install included, once for the module) on a repository with a
    finding, writing SARIF."""
    workspace = tmp_path_factory.mktemp("failing")
    (workspace / ".git").mkdir()
    (workspace / "compose.yaml").write_text(STACK, encoding="utf-8")
    given = {"sarif": "results.sarif", "args": "--profile aixcl"}
    return workspace, _run_action(workspace, runner, given)


def test_the_action_annotates_findings_fails_and_writes_sarif(
    failing: tuple[Path, list[subprocess.CompletedProcess[str]]],
) -> None:
    import jsonschema

    workspace, steps = failing
    install, sarif, check = steps
    assert install.returncode == 0, install.stdout + install.stderr
    assert sarif.returncode == 0, sarif.stderr
    assert check.returncode == 1, check.stderr
    assert check.stdout.startswith(
        "::error file=compose.yaml,line=3,col=12,endLine=3,endColumn=24,"
        "title=compose/image-pinned[latest]::"
    )
    document = json.loads((workspace / "results.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(document, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    assert [r["ruleId"] for r in document["runs"][0]["results"]] == ["compose/image-pinned[latest]"]


def test_the_action_passes_a_clean_repository_without_sarif(
    runner: dict[str, str],
    failing: tuple[Path, list[subprocess.CompletedProcess[str]]],
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "repo"
    (workspace / ".git").mkdir(parents=True)
    (workspace / "compose.yaml").write_text(STACK.replace("latest", "1.27"), encoding="utf-8")
    steps = _run_action(workspace, runner, {}, first=1)  # installed by ``failing``
    assert [s.returncode for s in steps] == [0, 0], steps[-1].stderr
    assert "All clear" in steps[-1].stdout
    assert not list(workspace.glob("*.sarif"))


def test_the_action_s_inputs_are_never_pasted_into_scripts() -> None:
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step["run"], step["name"]
    assert ACTION["runs"]["using"] == "composite"
