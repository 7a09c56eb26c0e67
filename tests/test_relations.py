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
    assert _found(root) == [("README.md", 1, "")]
    (root / ".env").write_text("SERVICES=web,cache\n", encoding="utf-8")
    assert _found(root) == []


def test_a_bad_normalisation_step_is_a_load_error(repo: Repo) -> None:
    policy = POLICY.format(source="list: [web]", op="equals").replace("[lower]", "[upper]")
    root = repo({"README.md": README, "p.yaml": policy})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2
    assert "p.yaml:" in ran.err
    assert len(ran.err.splitlines()) == 1
