"""The wheel carries the built-in pack and runs from a fresh virtual environment."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow
"""Real processes (pre-commit, pip, build, linters): run by .ci/run, not by default."""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("src") / "aixcl-lint"
    # Build from a copy, so the build leaves nothing behind in the working tree.
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("aixcl_lint-*.whl")
    return built


def test_wheel_holds_the_pack_schema_and_cases(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for policy in (REPO / "policies").glob("*.yaml"):
        assert f"aixcl_lint/policies/{policy.name}" in names
    assert "aixcl_lint/policy/schema.json" in names
    assert "aixcl_lint/policy/builtin.json" in names  # the pack's parse (policy.shipped)
    assert "aixcl_lint/py.typed" in names
    # `explain` reads the rule pages from the package: every one ships.
    for page in (REPO / "docs").rglob("*.md"):
        relative = page.relative_to(REPO / "docs")
        if relative.parts[0] == "rules" or len(relative.parts) == 1:
            assert f"aixcl_lint/docs/{relative.as_posix()}" in names


def test_wheel_runs_from_a_fresh_venv_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    shutil.copytree(REPO / "examples" / "aixcl", work)
    (work / ".git").mkdir()
    proc = subprocess.run(
        [str(env_dir / "bin" / "aixcl-lint"), "check", "--format", "json"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    rules = sorted(f["rule"] for f in json.loads(proc.stdout)["findings"])
    assert len(rules) == 9  # 8 errors, and GitHub shows no policy (a warning)
    assert "compose/no-port-mappings" in rules
    module = subprocess.run(
        [str(python), "-c", "import aixcl_lint; print(aixcl_lint.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(env_dir) in module.stdout
