"""An mkdocs.yml's INHERIT is followed as MkDocs follows it (attr_list ids from a parent
file count); one that names no file, or a cycle, is a one-line finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli, write_tree
from test_discover_git import git, git_repo

PAGES = {
    "docs/settings.md": "# Settings\n\n### `preview` {: #lint_preview }\n\nText.\n",
    "docs/m.md": "# M\n\nSee [preview](settings.md#lint_preview).\n",
}
BROKEN = ("docs/anchors", "docs/m.md", 3, 5)


def _findings(root: Path, *args: str) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--format", "json", *args, cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    assert ran.code in (0, 1), ran.err
    assert "Traceback" not in ran.err
    return sorted(f for f in ran.findings() if not f[0].startswith("security/"))


@pytest.mark.parametrize(
    "configs",
    [
        {"base.yml": "site_name: x\nmarkdown_extensions: [attr_list, toc]\n"},
        {  # a chain of two, the child's mapping merged over its parent's
            "config/base.yml": "markdown_extensions:\n  attr_list: {}\n",
            "config/site.yml": "INHERIT: base.yml\nmarkdown_extensions:\n  toc: {}\n",
        },
    ],
)
def test_attr_list_from_an_inherited_file_counts(tmp_path: Path, configs: dict[str, str]) -> None:
    parent = "config/site.yml" if "config/site.yml" in configs else "base.yml"
    files = {**PAGES, **configs, "mkdocs.yml": f"INHERIT: {parent}\nsite_name: x\n"}
    assert _findings(git_repo(tmp_path / "repo", files)) == []


def test_a_list_in_the_child_replaces_the_parents(tmp_path: Path) -> None:
    files = {
        **PAGES,
        "base.yml": "markdown_extensions: [attr_list]\n",
        "mkdocs.yml": "INHERIT: base.yml\nmarkdown_extensions: [toc]\n",
    }
    assert _findings(git_repo(tmp_path / "repo", files)) == [BROKEN]


@pytest.mark.parametrize(
    ("configs", "where"),
    [
        ({"mkdocs.yml": "site_name: x\nINHERIT: nope.yml\n"}, ("mkdocs.yml", 2, 1)),
        ({"mkdocs.yml": "INHERIT: ../outside.yml\n"}, ("mkdocs.yml", 1, 1)),
        (
            {
                "mkdocs.yml": "INHERIT: base.yml\n",
                "base.yml": "INHERIT: mkdocs.yml\nmarkdown_extensions: [attr_list]\n",
            },
            ("base.yml", 1, 1),
        ),
    ],
)
def test_a_missing_or_cyclic_inherit_is_one_finding(
    tmp_path: Path, configs: dict[str, str], where: tuple[str, int, int]
) -> None:
    root = git_repo(tmp_path / "repo", {**PAGES, **configs})
    for jobs in ("1", "2"):
        found = _findings(root, "--jobs", jobs)
        problems = [f for f in found if f[0] == "markdown/mkdocs-inherit"]
        assert problems == [("markdown/mkdocs-inherit", *where)]


def test_a_mended_inherit_is_not_kept_in_the_cache(tmp_path: Path) -> None:
    files = {**PAGES, "mkdocs.yml": "INHERIT: base.yml\nmarkdown_extensions: [attr_list]\n"}
    root, cache = git_repo(tmp_path / "repo", files), str(tmp_path / "cache")
    env = {"AIXCL_LINT_CACHE_DIR": cache}
    for _ in range(2):  # cold, then warm: the finding each time
        ran = run_cli("check", "--format", "json", cwd=root, env=env)
        assert ("markdown/mkdocs-inherit", "mkdocs.yml", 1, 1) in ran.findings()
    # Mended by adding the file it names, mkdocs.yml and the pages' flavour unchanged.
    write_tree(root, {"base.yml": "site_name: x\n"})
    git(root, "add", "-A")
    ran = run_cli("check", "--format", "json", cwd=root, env=env)
    assert [f for f in ran.findings() if not f[0].startswith("security/")] == []
