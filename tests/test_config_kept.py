"""A YAML config's parse is kept by its text: the next run reads it without PyYAML,
with the same settings and the same errors, and a damaged entry is parsed again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import modules_after_check, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]
COMPOSE = "services:\n  web:\n    image: nginx:latest\n    ports: ['80:80']\n"


def _twice(root: Path, cache: Path) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    env = {"AIXCL_LINT_CACHE_DIR": str(cache)}
    first = run_cli("check", "--no-cache", cwd=root, env=env)
    second = run_cli("check", "--no-cache", cwd=root, env=env)
    return (first.code, first.out, first.err), (second.code, second.out, second.err)


def test_a_kept_config_gives_the_same_settings(repo: Repo, tmp_path: Path) -> None:
    config = "profile: aixcl\nselect: [compose]\nseverity:\n  compose/no-port-mappings: warning\n"
    root, cache = repo({".aixcl-lint.yaml": config, "compose.yaml": COMPOSE}), tmp_path / "c"
    first, second = _twice(root, cache)
    assert first == second
    assert "warning compose/no-port-mappings" in first[1]  # profile and severity: config's
    assert len(list((cache / "configs").iterdir())) == 1


def test_a_damaged_entry_is_parsed_again(repo: Repo, tmp_path: Path) -> None:
    root, cache = repo({".aixcl-lint.yaml": "profile: aixcl\n", "compose.yaml": COMPOSE}), tmp_path
    first, _ = _twice(root, cache)
    (entry,) = (cache / "configs").iterdir()
    entry.write_bytes(b"0000\n{}")
    assert _twice(root, cache) == (first, first)
    assert entry.read_bytes() != b"0000\n{}"  # written again, whole


@pytest.mark.parametrize(
    "config",
    ["profile: aixcl\nselekt: [compose]\n", "profile: aixcl\nseverity:\n  nope/x: error\n"],
    ids=["unknown key", "unknown rule"],
)
def test_a_config_error_is_the_same_from_a_kept_parse(
    repo: Repo, tmp_path: Path, config: str
) -> None:
    root = repo({".aixcl-lint.yaml": config, "compose.yaml": COMPOSE})
    first, second = _twice(root, tmp_path)
    assert first == second
    assert first[0] == 2
    assert ".aixcl-lint.yaml:" in first[2]


def test_a_config_json_cannot_give_back_is_not_kept(repo: Repo, tmp_path: Path) -> None:
    config = "profile: aixcl\nexpires: 2024-01-01\n"  # a date (under an unknown key)
    root = repo({".aixcl-lint.yaml": config, "compose.yaml": COMPOSE})
    first, second = _twice(root, tmp_path)
    assert first == second
    assert first[0] == 2
    assert "expires" in first[2]
    assert not (tmp_path / "configs").exists() or not list((tmp_path / "configs").iterdir())


@pytest.mark.slow
def test_a_warm_run_with_a_config_imports_no_yaml_parser(repo: Repo, tmp_path: Path) -> None:
    root = repo({".aixcl-lint.yaml": "profile: aixcl\n", "compose.yaml": COMPOSE})
    code, cold, stderr = modules_after_check(root, tmp_path)
    assert code == "1", stderr
    assert "yaml" in cold
    code, warm, stderr = modules_after_check(root, tmp_path)
    assert code == "1", stderr
    assert "yaml" not in warm
