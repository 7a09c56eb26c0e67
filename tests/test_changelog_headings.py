"""Changelog headings whose version is followed by a date or an attribute list are
releases, not section numbers (docs/heading-structure[sequence])."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from test_discover_git import git_repo


def _sequence(root: Path) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--format", "json", cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    assert ran.code in (0, 1), ran.err
    return [f for f in ran.findings() if f[0] == "docs/heading-structure[sequence]"]


@pytest.mark.parametrize(
    "after",
    [
        "<small>March 2026</small>",  # mkdocs-material's changelog
        '<small>March 19, 2026</small> { id="{v}" }',
        "March 19, 2026",
        "19 March 2026",
        "Sept. 3, 2026",
        '{ id="{v}" }',
        "{: #v{v} }",
    ],
)
def test_versions_followed_by_a_date_or_attributes_are_releases(tmp_path: Path, after: str) -> None:
    versions = ["2.1.0", "2.0.0", "1.9.0", "1.8.3"]
    lines = ["# Changelog", ""]
    for v in versions:
        lines += [f"## {v} {after.replace('{v}', v)}", "", "- A change.", ""]
    root = git_repo(tmp_path / "repo", {"CH.md": "\n".join(lines)})
    assert _sequence(root) == []


def test_numbered_sections_with_titles_are_still_checked(tmp_path: Path) -> None:
    doc = (
        "# Guide\n\n## 9. Releasing\n\n## 9.5 Hotfixes\n\n## 10. Support\n\n"
        "### 10.1 Scope\n\n### 10.3 Contacts {#contacts}\n\n"
        "#### 10.3.1 Mail\n\n#### 10.3.3 May we call you\n"
    )
    root = git_repo(tmp_path / "repo", {"AGENTS.md": doc})
    rule = "docs/heading-structure[sequence]"
    assert _sequence(root) == [
        (rule, "AGENTS.md", 5, 1),
        (rule, "AGENTS.md", 11, 1),
        (rule, "AGENTS.md", 15, 1),
    ]
