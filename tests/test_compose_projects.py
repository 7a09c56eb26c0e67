"""Projects through the command line: include, extends from other files, validity."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from aixcl_lint.cli import main

Repo = Callable[[Mapping[str, str | bytes]], Path]


def _check(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, dict[str, Any], str]:
    monkeypatch.chdir(root)
    code = main(["check", "--format", "json", "--profile", "aixcl", "--select", "compose", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.startswith("{") else {}, out + err


def _found(report: dict[str, Any]) -> list[tuple[str, str, int, int, bool]]:
    return [
        (f["rule"], f["path"], f["line"], f["column"], f["fixable"]) for f in report["findings"]
    ]


INCLUDING = "include:\n  - path: stack/services.yaml\n    env_file: stack/versions.env\n"
INCLUDED = (
    "services:\n"
    "  api:\n"
    "    image: ghcr.io/acme/api:${API_TAG}\n"
    "    network_mode: host\n"
    "  worker:\n"
    "    image: ghcr.io/acme/worker:1.0\n"
    "    network_mode: host\n"
    "    ports: ['9000:9000']\n"
)


def test_an_included_files_violations_are_reported_at_their_own_lines(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(
        {
            "compose.yaml": INCLUDING,
            "stack/services.yaml": INCLUDED,
            "stack/versions.env": "API_TAG=latest\n",
        }
    )
    code, report, shown = _check(root, capsys, monkeypatch)
    assert code == 1, shown
    assert _found(report) == [
        # The tag comes from the included project's env_file; the value is written here.
        ("compose/image-pinned[latest]", "stack/services.yaml", 3, 12, False),
        # A file a checked project reads is checked, and fixable, like the project's own.
        ("compose/no-port-mappings", "stack/services.yaml", 8, 5, True),
    ]


def test_a_value_inherited_from_another_file_is_fixable_there_and_fix_says_why_not_here(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(
        {
            "compose.yaml": (
                "services:\n  web:\n    extends: {file: common/base.yaml, service: base}\n"
                "    network_mode: host\n"
            ),
            "common/base.yaml": "services:\n  base:\n    image: nginx:1.27\n    ports: ['80:80']\n",
        }
    )
    code, report, shown = _check(root, capsys, monkeypatch)
    assert code == 1, shown
    assert _found(report) == [("compose/no-port-mappings", "common/base.yaml", 4, 5, True)]
    assert report["summary"]["fixable"] == 1
    code, report, shown = _check(root, capsys, monkeypatch, "--fix")
    # The value is common/base.yaml's service 'base' too, which other projects may extend.
    assert _found(report) == [("compose/no-port-mappings", "common/base.yaml", 4, 5, True)]
    assert (root / "common/base.yaml").read_text().count("ports") == 1
    assert (
        "common/base.yaml:4:5: not fixed compose/no-port-mappings: 'ports' at "
        "common/base.yaml:4 stays: an anchor shares it with 'base'\n"
    ) in shown


def test_a_value_in_an_included_file_is_fixed_there_whatever_its_name(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    included = "services:\n  inc:\n    image: mysql:8\n    network_mode: host\n    ports: ['1:1']\n"
    root = repo({"compose.yaml": "include:\n  - sub/inc.yaml\n", "sub/inc.yaml": included})
    code, _, shown = _check(root, capsys, monkeypatch, "--fix")
    assert code == 0, shown
    assert "ports" not in (root / "sub/inc.yaml").read_text()


def test_a_value_extended_within_the_linted_files_is_fixed_where_it_is_written(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(
        {
            "compose.yaml": (
                "services:\n  base:\n    image: nginx:1.27\n    network_mode: host\n"
                "    ports: ['80:80']\n  web:\n    extends: base\n"
            ),
        }
    )
    code, report, shown = _check(root, capsys, monkeypatch)
    # Both services have the ports written at line 5 (one of them through extends).
    assert _found(report) == [("compose/no-port-mappings", "compose.yaml", 5, 5, True)] * 2, shown
    code, report, shown = _check(root, capsys, monkeypatch, "--fix")
    assert code == 0, shown
    assert "ports" not in (root / "compose.yaml").read_text()


def test_volumes_indented_under_services_is_invalid_not_fake_services(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # AIXCL commit 7ff556b: the top-level volumes block slipped under services.
    root = repo(
        {
            "compose.yaml": (
                "services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    network_mode: host\n"
                "    volumes: [ollama_data:/root/.ollama]\n"
                "  volumes:\n    ollama_data:\n    webui_data:\n"
            ),
        }
    )
    code, report, shown = _check(root, capsys, monkeypatch)
    assert code == 1, shown
    assert _found(report) == [
        ("compose/invalid[undeclared-volume]", "compose.yaml", 5, 15, False),
        ("compose/invalid[schema]", "compose.yaml", 7, 5, False),
        ("compose/invalid[schema]", "compose.yaml", 8, 5, False),
    ]
