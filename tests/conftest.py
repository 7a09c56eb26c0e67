"""Shared helpers: write small repositories, run the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
VENDOR = REPO / "tests" / "fixtures" / "vendor"
"""Copies of outside material the suite needs (the SARIF schema, the user's seed policy)."""
SEED_POLICY = VENDOR / "seed-security-policy.md"
SARIF_SCHEMA = VENDOR / "sarif-schema-2.1.0.json"


def console_script() -> str:
    """The installed ``aixcl-lint`` beside this interpreter (the real entry point)."""
    here = Path(sys.executable).parent / "aixcl-lint"
    found = str(here) if here.exists() else shutil.which("aixcl-lint")
    if found is None:
        pytest.fail("aixcl-lint is not installed: run pip install -e '.[test]'")
    return found


@dataclass
class Ran:
    """A finished command: exit code and output."""

    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        """stdout parsed as JSON."""
        return json.loads(self.out)  # type: ignore[no-any-return]

    def findings(self) -> list[tuple[str, str, int, int]]:
        """(rule, path, line, column) of every finding in JSON output."""
        return [(f["rule"], f["path"], f["line"], f["column"]) for f in self.json()["findings"]]


def run_cli(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> Ran:
    """Run the installed console script in ``cwd``."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(
        [console_script(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    return Ran(proc.returncode, proc.stdout, proc.stderr)


def main_in(root: Path, *argv: str) -> int:
    """Run the command line in-process (``aixcl_lint.cli.main``) with ``root`` as the
    current folder; returns the exit code."""
    from aixcl_lint.cli import main

    cwd = Path.cwd()
    os.chdir(root)
    try:
        return main(list(argv))
    finally:
        os.chdir(cwd)


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> content) below ``root``; return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """Make a git-rooted repository from a mapping of files."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        root = tmp_path / "repo"
        (root / ".git").mkdir(parents=True, exist_ok=True)
        return write_tree(root, files)

    return make


TEAM_POLICY = """\
version: 1
rules:
  - id: team/restart
    title: Restart policy
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - field: restart
        present: true
        message: "service '{service}' has no restart policy"
"""
"""A small user policy: services must set a restart policy (error)."""
