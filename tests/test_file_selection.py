"""File selection a newcomer tripped over (fixes17): Compose files under other names
said nothing, ``compose-files`` globs' depth, ``init`` and ``compose-files``, and
``exclude`` under a folder named on the command line. Each runs the command line
in-process in a real git repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from test_discover_git import git_repo

LATEST = "services:\n  web:\n    image: nginx:latest\n    network_mode: host\n"
PINNED = "image: nginx:1.27\n"


def _paths(root: Path, *args: str) -> set[str]:
    ran = run_cli("check", "--format", "json", "--select", "compose", *args, cwd=root)
    assert ran.code in (0, 1), ran.err
    return {f["path"] for f in ran.json()["findings"]}


# 4. exclude applies to the files found below a folder named on the command line.


@pytest.mark.parametrize("named", [[], ["."], ["sub"]])
def test_exclude_applies_below_a_named_folder(tmp_path: Path, named: list[str]) -> None:
    root = git_repo(
        tmp_path / "r",
        {
            "sub/compose.yaml": LATEST,
            "sub/vendor/compose.yaml": LATEST,
            ".aixcl-lint.yaml": 'exclude: ["vendor/"]\n',
        },
    )
    assert _paths(root, *named) == {"sub/compose.yaml"}


def test_a_named_excluded_file_is_linted_unless_force_exclude(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path / "r",
        {"vendor/compose.yaml": LATEST, ".aixcl-lint.yaml": 'exclude: ["vendor/"]\n'},
    )
    assert _paths(root, "vendor/compose.yaml") == {"vendor/compose.yaml"}
    assert _paths(root, "--force-exclude", "vendor/compose.yaml") == set()
