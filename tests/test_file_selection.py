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
HINT = "look like Compose files but are not in any compose project"


def _paths(root: Path, *args: str) -> set[str]:
    ran = run_cli("check", "--format", "json", "--select", "compose", *args, cwd=root)
    assert ran.code in (0, 1), ran.err
    return {f["path"] for f in ran.json()["findings"]}


# 1. Compose files by other names are named on standard error, once a run.


def test_compose_lookalikes_are_a_hint_on_stderr_never_in_json(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path / "r",
        {
            "stack.yml": LATEST,
            "docker-compose.prod.yml": LATEST,
            "compose/web.yaml": LATEST,
            "ci.yml": "jobs:\n  services: []\n",  # no top-level services: mapping
            "list.yml": "services:\n  - web\n",  # services, but not a mapping
        },
    )
    ran = run_cli("check", "--format", "json", cwd=root)
    assert ran.code in (0, 1), ran.err
    hints = [line for line in ran.err.splitlines() if "Compose" in line]
    assert hints == [
        f"aixcl-lint: warning: 2 YAML files (compose/web.yaml, stack.yml) {HINT}; set "
        "`compose-files` (or `compose-projects`) in .aixcl-lint.yaml to lint them"
    ]
    assert HINT not in ran.out
    # docker-compose.prod.yml alone is Compose's name pattern: linted, not hinted
    assert {f["path"] for f in ran.json()["findings"] if f["rule"].startswith("compose/")} == {
        "docker-compose.prod.yml"
    }


def test_a_configured_lookalike_is_linted_and_no_longer_hinted(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path / "r",
        {"stack.yml": LATEST, ".aixcl-lint.yaml": 'compose-files: ["stack.yml"]\n'},
    )
    ran = run_cli("check", "--format", "json", "--select", "compose", cwd=root)
    assert HINT not in ran.err
    assert {f["path"] for f in ran.json()["findings"]} == {"stack.yml"}


def test_a_file_a_project_includes_is_no_lookalike(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path / "r",
        {"compose.yaml": "include:\n  - web.yaml\n", "web.yaml": LATEST},
    )
    ran = run_cli("check", "--format", "json", "--select", "compose", cwd=root)
    assert ran.code in (0, 1), ran.err
    assert HINT not in ran.err


def test_one_lookalike_is_named_in_the_singular(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "r", {"stack.yml": LATEST})
    ran = run_cli("check", cwd=root)
    assert "1 YAML file (stack.yml) looks like a Compose file but is not" in ran.err


MERGED = "x-base: &base\n  image: nginx:1.27\nservices:\n  web:\n    <<: *base\n"
LONG = LATEST + "".join(
    f"  s{i}:\n    image: app:{i}\n    x-note: {'n' * 60}\n" for i in range(900)
)
BOMB = "x-a0: &a0 {image: x}\n" + "".join(
    f"x-a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}]}}\n" for i in range(1, 60)
)
LOOKALIKES = {
    "compose-by-another-name": ({"stack.yml": LATEST}, True),
    "services-from-a-merge-key": ({"stack.yml": MERGED}, True),
    "longer-than-what-is-read": ({"stack.yml": LONG}, True),
    # 2**59 keys once merged: read as nodes, one merge level deep (no evidence there)
    "merges-never-expanded": ({"stack.yml": BOMB + "services:\n  web: {<<: *a59}\n"}, False),
    "helm-values-beside-chart-yaml": (
        {"chart/Chart.yaml": "apiVersion: v2\nname: c\n", "chart/values.yaml": LATEST},
        False,
    ),
    "helm-values-other-top-level-keys": (
        {"values.yaml": "replicaCount: 2\nservices:\n  api:\n    image: {repository: x}\n"},
        False,
    ),
    "ansible-vars": (
        {"group_vars/all.yml": "services:\n  nginx:\n    state: started\n    enabled: true\n"},
        False,
    ),
    "kubernetes-manifest": (
        {"k8s/stack.yaml": "apiVersion: v1\nkind: List\n" + LATEST},
        False,
    ),
    "services-not-mappings": ({"stack.yml": "services:\n  web: nginx\n"}, False),
    "no-image-build-or-extends": ({"stack.yml": "services:\n  web: {restart: always}\n"}, False),
    "two-documents": ({"stack.yml": LATEST + "---\n" + LATEST}, False),
}
"""Files no compose project reads, and whether they read as Compose (a hint names
them)."""


@pytest.mark.parametrize("name", LOOKALIKES)
def test_a_hint_needs_evidence_that_a_file_is_compose(tmp_path: Path, name: str) -> None:
    files, hinted = LOOKALIKES[name]
    ran = run_cli("check", "--format", "json", cwd=git_repo(tmp_path / "r", files))
    assert ran.code in (0, 1), ran.err
    assert ("looks like a Compose file but is not" in ran.err) is hinted, ran.err


def test_named_files_are_hinted_about_only_themselves(tmp_path: Path) -> None:
    # pre-commit names the files its pattern matches: the hint never walks the rest.
    root = git_repo(
        tmp_path / "r",
        {
            "compose.yaml": PINNED.join(["services:\n  a:\n    ", ""]),
            "stack.yml": LATEST,
            "other/stack.yml": LATEST,
        },
    )
    assert "Compose" not in run_cli("check", "compose.yaml", cwd=root).err
    named = run_cli("check", "compose.yaml", "stack.yml", cwd=root).err
    assert "1 YAML file (stack.yml) looks like a Compose file but is not" in named


# 2. compose-files globs are gitignore-style, as `exclude`'s: no slash, any depth.


@pytest.mark.parametrize(
    ("glob", "expected"),
    [
        ("*.yml", {"stack.yml", "deploy/stack.yml"}),
        ("/*.yml", {"stack.yml"}),
        ("deploy/*.yml", {"deploy/stack.yml"}),
        ("**/deploy/*.yml", {"deploy/stack.yml"}),
    ],
)
def test_compose_files_globs_match_as_gitignore_does(
    tmp_path: Path, glob: str, expected: set[str]
) -> None:
    root = git_repo(
        tmp_path / "r",
        {
            "stack.yml": LATEST,
            "deploy/stack.yml": LATEST,
            ".aixcl-lint.yaml": f"compose-files: [{glob!r}]\n",
        },
    )
    assert _paths(root) == expected


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


# 3. init writes the Compose look-alikes it finds into compose-files.


def test_init_writes_lookalikes_into_compose_files_and_check_lints_them(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path / "r",
        {"stack.yml": LATEST, "compose/web.yaml": LATEST, "ci.yml": "jobs: {}\n"},
    )
    ran = run_cli("init", cwd=root)
    assert ran.code == 0, ran.err
    assert "2 compose files by other names in compose-files" in ran.out
    text = (root / ".aixcl-lint.yaml").read_text()
    assert 'compose-files:\n  - "/compose/web.yaml"\n  - "/stack.yml"\n' in text
    checked = run_cli("check", "--format", "json", "--select", "compose", cwd=root)
    assert HINT not in checked.err
    assert {f["path"] for f in checked.json()["findings"]} == {"stack.yml", "compose/web.yaml"}


def test_init_without_lookalikes_leaves_compose_files_commented(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "r", {"compose.yaml": LATEST})
    ran = run_cli("init", "--dry-run", cwd=root)
    assert ran.code == 0, ran.err
    assert '# compose-files: ["deploy/*.yaml"]' in ran.out
    assert "\ncompose-files:" not in ran.out
