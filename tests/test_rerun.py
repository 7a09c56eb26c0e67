"""Re-runs see every change: a result that depends on another file changes with it.

Each test runs ``check`` twice in one cache directory (whatever the run keeps between
runs), changing only a file the first result depended on, never the file reported on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]


@pytest.fixture
def cache(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(tmp_path / "cache")}


def _found(root: Path, env: dict[str, str], *args: str) -> list[tuple[str, str, int]]:
    ran = run_cli("check", "--format", "json", *args, cwd=root, env=env)
    assert ran.code in (0, 1), ran.err
    return sorted((f["rule"], f["path"], f["line"]) for f in json.loads(ran.out)["findings"])


LINKS = ("--select", "docs/relative-links,docs/anchors")


def test_a_link_follows_its_target_heading(repo: Repo, cache: dict[str, str]) -> None:
    root = repo(
        {
            "README.md": "# Read me\n\nSee [setup](docs/setup.md#install).\n",
            "docs/setup.md": "# Setup\n\n## Install\n",
        }
    )
    assert _found(root, cache, *LINKS) == []
    (root / "docs/setup.md").write_text("# Setup\n\n## Installing\n", encoding="utf-8")
    assert _found(root, cache, *LINKS) == [("docs/anchors", "README.md", 3)]
    (root / "docs/setup.md").write_text("# Setup\n\n## Install\n", encoding="utf-8")
    assert _found(root, cache, *LINKS) == []


def test_a_link_follows_its_target_file(repo: Repo, cache: dict[str, str]) -> None:
    root = repo({"README.md": "# Read me\n\nSee [notes](notes.md).\n", "notes.md": "# Notes\n"})
    assert _found(root, cache, *LINKS) == []
    (root / "notes.md").unlink()
    assert _found(root, cache, *LINKS) == [("docs/relative-links", "README.md", 3)]


def test_a_compose_project_follows_its_env_file(repo: Repo, cache: dict[str, str]) -> None:
    root = repo(
        {
            ".aixcl-lint.yaml": "profile: aixcl\n",
            "compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n    network_mode: host\n",
            ".env": "TAG=1.27\n",
        }
    )
    assert _found(root, cache, "--select", "compose/image-pinned") == []
    (root / ".env").write_text("TAG=latest\n", encoding="utf-8")
    assert _found(root, cache, "--select", "compose/image-pinned") == [
        ("compose/image-pinned[latest]", "compose.yaml", 3)
    ]


def test_a_compose_project_follows_its_override(repo: Repo, cache: dict[str, str]) -> None:
    root = repo(
        {
            ".aixcl-lint.yaml": "profile: aixcl\n",
            "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n",
            "compose.override.yaml": "services:\n  web:\n    environment: {A: b}\n",
        }
    )
    assert _found(root, cache, "--select", "compose") == []
    (root / "compose.override.yaml").write_text(
        "services:\n  web:\n    ports: ['80:80']\n", encoding="utf-8"
    )
    assert ("compose/no-port-mappings", "compose.override.yaml", 3) in _found(
        root, cache, "--select", "compose"
    )


RELATION = """\
version: 1
rules:
  - id: team/same-services
    title: The docs list the services
    severity: error
    target: {kind: markdown, files: [docs/services.md]}
    select: document
    checks:
      - relation:
          values: {in: lists, take: items}
          compose: compose.yaml
          op: equals
        message: "{value}"
"""


def test_a_relation_follows_its_other_side(repo: Repo, cache: dict[str, str]) -> None:
    root = repo(
        {
            "policy.yaml": RELATION,
            "docs/services.md": "# Services\n\n- web\n- db\n",
            "compose.yaml": "services:\n  web: {image: a:1}\n  db: {image: b:1}\n",
        }
    )
    args = ("--no-builtin", "--policy", "policy.yaml")
    assert _found(root, cache, *args) == []
    (root / "compose.yaml").write_text("services:\n  web: {image: a:1}\n", encoding="utf-8")
    assert _found(root, cache, *args) == [("team/same-services", "docs/services.md", 4)]


def test_a_policy_change_changes_the_result(repo: Repo, cache: dict[str, str]) -> None:
    root = repo(
        {
            "policy.yaml": RELATION,
            "docs/services.md": "# Services\n\n- web\n",
            "compose.yaml": "services:\n  web: {image: a:1}\n",
        }
    )
    args = ("--no-builtin", "--policy", "policy.yaml")
    assert _found(root, cache, *args) == []
    changed = RELATION.replace("compose: compose.yaml", "list: [web, db]")
    (root / "policy.yaml").write_text(changed, encoding="utf-8")
    assert _found(root, cache, *args) == [("team/same-services", "docs/services.md", 1)]


def test_a_section_reference_follows_the_renumbering(repo: Repo, cache: dict[str, str]) -> None:
    root = repo(
        {
            "README.md": "# Read me\n\nSee docs/x.md section 2 for more.\n",
            "docs/x.md": "# X\n\n## 1. One\n\n## 2. Two\n",
        }
    )
    args = ("--select", "docs/section-references")
    assert _found(root, cache, *args) == []
    (root / "docs/x.md").write_text("# X\n\n## 1. One\n", encoding="utf-8")
    assert _found(root, cache, *args) == [("docs/section-references[section]", "README.md", 3)]
