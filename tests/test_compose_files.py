"""Compose files by any name: `compose-projects`, `compose-files`, and named paths."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import main_in

Repo = Callable[[Mapping[str, str | bytes]], Path]
BASE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
LATEST = "services:\n  web:\n    image: nginx:latest\n"


def run(root: Path, *args: str) -> int:
    return main_in(root, "check", "--format", "json", "--select", "compose/image-pinned", *args)


def findings(capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str, int]]:
    out = json.loads(capsys.readouterr().out)
    return [(f["rule"], f["path"], f["line"]) for f in out["findings"]]


def test_compose_projects_are_linted_as_one_project(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo(
        {
            "deploy/base.yaml": BASE,
            "deploy/gpu.yaml": LATEST,
            ".aixcl-lint.yaml": "compose-projects:\n  - [deploy/base.yaml, deploy/gpu.yaml]\n",
        }
    )
    assert run(root) == 1
    assert findings(capsys) == [("compose/image-pinned[latest]", "deploy/gpu.yaml", 3)]
    # Named on its own, the file is still read as part of its project.
    assert run(root, "deploy/gpu.yaml") == 1
    assert findings(capsys) == [("compose/image-pinned[latest]", "deploy/gpu.yaml", 3)]


def test_compose_files_globs_mark_other_files_as_compose(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo(
        {
            "stacks/edge.yml": LATEST,
            "stacks/notes.yml": "services: [not, compose]\n",
            "other/edge.yml": LATEST,
            ".aixcl-lint.yaml": 'compose-files: ["stacks/edge.yml"]\n',
        }
    )
    assert run(root) == 1
    assert findings(capsys) == [("compose/image-pinned[latest]", "stacks/edge.yml", 3)]


def test_without_config_such_files_are_not_compose(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo({"deploy/base.yaml": BASE, "deploy/gpu.yaml": LATEST})
    assert run(root) == 0
    assert findings(capsys) == []


def test_a_named_file_no_kind_reads_is_a_one_line_warning(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo({"notes.txt": "hello\n", "compose.yaml": LATEST})
    assert run(root, "notes.txt", "compose.yaml") == 1
    captured = capsys.readouterr()
    assert captured.err == (
        "aixcl-lint: warning: notes.txt: no kind of file aixcl-lint reads; not checked\n"
    )
    assert json.loads(captured.out)["summary"]["files"] == 1
