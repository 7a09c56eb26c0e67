"""A compose file two projects use is parsed once while its text stays the same
(``run.load.KEEP_PARSES``), and the findings are those of parsing it each time."""

from __future__ import annotations

import collections
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from aixcl_lint.documents import yamltree
from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

BASE = "services:\n  web:\n    image: nginx:latest\n    ports: ['80:80']\n"
PROD = "services:\n  web:\n    network_mode: host\n"


def _counted(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    parsed: collections.Counter[str] = collections.Counter()
    parse = yamltree.parse

    def counting(path: str, text: str) -> yamltree.YamlFile:
        parsed[path] += 1
        return parse(path, text)

    monkeypatch.setattr(yamltree, "parse", counting)
    return parsed


def test_a_base_file_two_projects_use_is_parsed_once(
    aixcl_repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = aixcl_repo({"app/docker-compose.yaml": BASE, "app/docker-compose.prod.yml": PROD})
    parsed = _counted(monkeypatch)
    ran = run_cli("check", "--format", "json", "--jobs", "1", "--no-cache", cwd=root)
    assert ran.code == 1, ran.err
    assert parsed["app/docker-compose.yaml"] == 1, parsed
    # Both projects still report the base file's findings, as when it was parsed twice.
    found = json.loads(ran.out)["findings"]
    assert any(f["path"] == "app/docker-compose.yaml" for f in found)


def test_a_kept_parse_is_not_used_for_another_text(aixcl_repo: Repo) -> None:
    from aixcl_lint.config import Settings
    from aixcl_lint.run.load import Loader

    root = aixcl_repo({"compose.yaml": BASE})
    loader = Loader(Settings(root=root))
    first = loader.yaml_file("compose.yaml")
    loader.forget("compose.yaml")
    assert loader.yaml_file("compose.yaml") is first
    loader.forget("compose.yaml")
    (root / "compose.yaml").write_text(BASE.replace("latest", "1.25"))
    again = loader.yaml_file("compose.yaml")
    assert again is not first
    assert again.documents[0].data["services"]["web"]["image"] == "nginx:1.25"
