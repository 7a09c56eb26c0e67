"""The ``generated`` setting: links, prose and comment references to files a docs build
writes (git-ignored) are not broken, and their fragments and sections are not checked."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write_tree
from test_discover_git import git_repo

FILES = {
    ".gitignore": "docs/settings.md\ndocs/rules/\n",
    "README.md": "# Project\n\nSee [the formatter](docs/formatter.md).\n",
    "SECURITY.md": "# Security\n",
    "docs/formatter.md": (
        "# Formatter\n\n"
        "Set [format](settings.md#format), see [E501](rules/line-too-long.md#why).\n\n"
        "See docs/settings.md section 2.\n\n"
        "And [a typo](setings.md).\n"
    ),
    "scripts/gen.sh": "#!/bin/sh\n# writes docs/settings.md (see docs/settings.md section 3)\n",
}


def _findings(root: Path) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--format", "json", cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    assert ran.code in (0, 1), ran.err
    return sorted(f for f in ran.findings() if not f[0].startswith("security/"))


TYPO = ("docs/relative-links", "docs/formatter.md", 7, 5)


def test_links_into_generated_pages_are_not_checked(tmp_path: Path) -> None:
    config = 'generated: [docs/settings.md, "docs/rules/**"]\n'
    root = git_repo(tmp_path / "repo", {**FILES, ".aixcl-lint.yaml": config})
    # A local build left one on disk: its headings are not read either.
    write_tree(root, {"docs/settings.md": "# Settings\n\n## 1. Other\n"})
    assert _findings(root) == [TYPO]


def test_without_the_setting_they_are_broken(tmp_path: Path) -> None:
    found = _findings(git_repo(tmp_path / "repo", FILES))
    assert TYPO in found
    assert {rule for rule, *_ in found} == {
        "docs/relative-links",
        "docs/section-references[file]",
        "docs/comment-references[file]",
    }
