"""Defects a newcomer found running main on real repositories (session 11's newuser8):
each test runs the command line in-process on a repository like the one it came from
(Hugo sites: ``test_hugo_links``)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from test_discover_git import git_repo

TABLE = "# Security Policy\n\n## Supported Versions\n\n{header}\n|---|---|---|\n| 3.x | ✅ | a |\n"


def _columns(root: Path) -> list[str]:
    ran = run_cli("check", "--format", "json", cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    return [f["message"] for f in ran.json()["findings"] if f["rule"].endswith("[columns]")]


def test_columns_whose_names_hold_the_words_will_do(tmp_path: Path) -> None:
    # LocalAI's SECURITY.md:11.
    header = "| Version Series | Support Level | Details |"
    root = git_repo(tmp_path / "repo", {"SECURITY.md": TABLE.format(header=header)})
    assert _columns(root) == []


def test_a_table_lacking_columns_names_each_missing_one_once(tmp_path: Path) -> None:
    header = "| Series | Level | Details |"
    root = git_repo(tmp_path / "repo", {"SECURITY.md": TABLE.format(header=header)})
    [message] = _columns(root)
    assert message.startswith(
        "the supported-versions table has no column such as 'Version' and none such as"
        " 'Supported' (it has: Series, Level, Details)"
    )
    assert "|" not in message


def test_one_missing_column_is_named_alone(tmp_path: Path) -> None:
    header = "| Version | Released | Details |"
    root = git_repo(tmp_path / "repo", {"SECURITY.md": TABLE.format(header=header)})
    [message] = _columns(root)
    assert "no column such as 'Supported' (it has: Version, Released, Details)" in message


def test_a_url_in_quotes_is_shown_as_written_with_a_hint(tmp_path: Path) -> None:
    # anything-llm's .devcontainer/README.md:73.
    page = '# A\n\n[![chat](badge.svg)]("https://discord.example/x")\n'
    root = git_repo(
        tmp_path / "repo", {".devcontainer/README.md": page, ".devcontainer/badge.svg": ""}
    )
    ran = run_cli("check", "--format", "json", cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    found = [f for f in ran.json()["findings"] if f["rule"] == "docs/relative-links"]
    assert [(f["line"], f["column"], f["message"]) for f in found] == [
        (
            3,
            1,
            "link target '\"https://discord.example/x\"' does not exist"
            " (a URL in quotes? remove the quotes)",
        )
    ]
