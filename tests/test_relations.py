"""Relations between documents: findings on both sides, load errors for bad specs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

POLICY = """\
version: 1
rules:
  - id: team/listed
    title: The list names the services
    severity: error
    target: {{kind: markdown, files: [README.md]}}
    select: document
    checks:
      - relation:
          values: {{in: lists, take: items}}
          {source}
          op: {op}
          normalize: [lower]
        message: "{{value}}"
"""
README = "# Stack\n\n- Web\n- Cache\n"
COMPOSE = "services:\n  web: {image: 'nginx:1.27'}\n  db: {image: 'postgres:17'}\n"


def _found(root: Path) -> list[tuple[str, int, str]]:
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    assert ran.code in (0, 1), ran.err
    return [(f["path"], f["line"], f["message"]) for f in ran.json()["findings"]]


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        (
            "equals",
            [
                ("README.md", 4, "not in compose.yaml: cache; missing here, in compose.yaml: db"),
                (
                    "compose.yaml",
                    3,
                    "not in compose.yaml: cache; missing here, in compose.yaml: db",
                ),
            ],
        ),
        (
            "superset-of",
            [
                ("README.md", 1, "missing here, in compose.yaml: db"),
                ("compose.yaml", 3, "missing here, in compose.yaml: db"),
            ],
        ),
        ("subset-of", [("README.md", 4, "not in compose.yaml: cache")]),
    ],
)
def test_relation_with_a_compose_project(
    repo: Repo, op: str, expected: list[tuple[str, int, str]]
) -> None:
    policy = POLICY.format(source="compose: compose.yaml", op=op)
    root = repo({"README.md": README, "compose.yaml": COMPOSE, "p.yaml": policy})
    assert sorted(_found(root)) == sorted(expected)


def test_the_other_side_must_exist(repo: Repo) -> None:
    policy = POLICY.format(source="env: {file: .env, key: SERVICES}", op="equals")
    root = repo({"README.md": README, "p.yaml": policy})
    assert _found(root) == [("README.md", 1, "the env file .env is missing")]
    (root / ".env").write_text("SERVICES=web,cache\n", encoding="utf-8")
    assert _found(root) == []


def test_a_bad_normalisation_step_is_a_load_error(repo: Repo) -> None:
    policy = POLICY.format(source="list: [web]", op="equals").replace("[lower]", "[upper]")
    root = repo({"README.md": README, "p.yaml": policy})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2
    assert "p.yaml:" in ran.err
    assert len(ran.err.splitlines()) == 1


def test_values_can_be_left_out_and_env_lines_are_pointed_at(repo: Repo) -> None:
    policy = POLICY.format(source="env: {file: .env, key: SERVICES}", op="equals").replace(
        "[lower]", "[lower, {drop-matching: '^x-'}]"
    )
    root = repo(
        {
            "README.md": README + "- x-internal\n",
            "p.yaml": policy,
            ".env": "# profile\nSERVICES=web,cache,db\n",
        }
    )
    assert _found(root) == [
        (".env", 2, "missing here, in .env SERVICES: db"),
        ("README.md", 1, "missing here, in .env SERVICES: db"),
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("list: [web]", "p.yaml:"),  # a valid source, then an unknown one below
        ("sqlite: db.sqlite", "p.yaml:11:"),  # at the unknown key itself
    ],
)
def test_an_unknown_source_is_a_load_error(repo: Repo, change: str, expected: str) -> None:
    policy = POLICY.format(source=change, op="equals")
    if "sqlite" not in change:
        policy = policy.replace("list: [web]", "list: [web]\n          sqlite: db")
    root = repo({"README.md": README, "p.yaml": policy})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2
    assert expected in ran.err
    assert "sqlite" in ran.err


def test_a_map_with_duplicate_keys_is_a_load_error(repo: Repo) -> None:
    policy = POLICY.format(source="list: [web]", op="equals").replace(
        "[lower]", "[{map: {Web: web, Web: www}}]"
    )
    root = repo({"README.md": README, "p.yaml": policy})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2
    assert "p.yaml:13: yaml/duplicate-key" in ran.err


def test_env_values_expand_their_variables(repo: Repo) -> None:
    policy = POLICY.format(source="env: {file: .env, key: SERVICES}", op="equals")
    root = repo(
        {"README.md": README, "p.yaml": policy, ".env": "BASE=web\nSERVICES=${BASE},cache\n"}
    )
    assert _found(root) == []


def test_each_extra_value_is_reported_where_it_first_stands(repo: Repo) -> None:
    policy = POLICY.format(source="list: [web]", op="equals")
    root = repo({"README.md": "# Stack\n\n- Web\n- Stray\n- Cache\n- Stray\n", "p.yaml": policy})
    assert sorted(f[:2] for f in _found(root)) == [("README.md", 4), ("README.md", 5)]
