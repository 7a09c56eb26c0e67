"""The code stays ruff-clean, mypy --strict clean, and inside its import layers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow
"""Real processes (pre-commit, pip, build, linters): run by .ci/run, not by default."""

BIN = Path(sys.executable).parent
PYTHON_TREES = [p for p in ("src", "tests", "bench") if (REPO / p).is_dir()]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", *PYTHON_TREES],
        ["ruff", "format", "--check", *PYTHON_TREES],
        ["mypy"],
        ["lint-imports"],
    ],
    ids=["ruff-check", "ruff-format", "mypy", "import-layers"],
)
def test_tool_is_clean(command: list[str]) -> None:
    proc = subprocess.run(
        [str(BIN / command[0]), *command[1:]], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
