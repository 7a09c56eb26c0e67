"""The project's own promises: CI runs what the README says, the default loop is quick."""

from __future__ import annotations

import re
import tomllib

from conftest import REPO


def _readme_block(heading: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


def test_ci_runs_the_readme_install_and_test_commands() -> None:
    command = _readme_block("Run the test suite").strip()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    steps = [part.strip() for part in command.split("&&")]
    install = next(s for s in steps if s.startswith("pip install"))
    test = next(s for s in steps if "pytest" in s)
    assert f"python -m {install}" in re.sub(r"--quiet ", "", ci)
    assert test in ci.splitlines()


def test_the_full_command_includes_the_slow_tests() -> None:
    options = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = options["tool"]["pytest"]["ini_options"]
    assert "-m 'not slow'" in pytest_options["addopts"]
    assert any(m.startswith("slow:") for m in pytest_options["markers"])
    assert 'pytest -m ""' in _readme_block("Run the test suite")
