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


BASE = "https://github.com/aixcl/aixcl-lint/"


def test_readme_links_are_absolute_and_lead_to_files_that_exist() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    assert targets
    relative = [t for t in targets if not re.match(r"[a-z]+:|#", t)]
    assert relative == [], "a package index shows the README: relative links break there"
    for target in targets:
        if target.startswith(BASE):
            path = re.sub(r"^(?:blob|tree)/main/", "", target.removeprefix(BASE)).split("#")[0]
            assert (REPO / path).exists(), target


def test_the_package_says_its_license_and_where_it_lives() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert "Copyright (c) 2026 aixcl-lint maintainers" in (REPO / "LICENSE").read_text()
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]
    assert all(url.startswith(BASE.rstrip("/")) for url in project["urls"].values())


def test_docs_pin_revisions_that_exist() -> None:
    """No release tag exists and nothing is on a package index: no page may say so."""
    for page in ("README.md", "docs/pre-commit.md", "docs/ci.md", "docs/getting-started.md"):
        text = (REPO / page).read_text(encoding="utf-8")
        assert not re.search(r"\brev: v\d|aixcl/aixcl-lint@v\d", text), page
        assert "pip install aixcl-lint" not in text, page


def test_every_folder_of_rule_pages_is_a_listed_package() -> None:
    """setuptools ships a data folder only as a package of its own, and warns otherwise."""
    tool = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    packages = set(tool["setuptools"]["packages"])
    data = tool["setuptools"]["package-data"]
    folders = {p.parent for p in (REPO / "docs" / "rules").rglob("*.md")}
    for folder in folders:
        name = ".".join(("aixcl_lint", *folder.relative_to(REPO).parts))
        assert name in packages, name
        assert data.get(name) == ["*.md"], name
