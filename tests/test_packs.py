"""Policy packs: a folder extends the built-in pack or another folder, and adjusts rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import TEAM_POLICY, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

COMPOSE = "services:\n  app:\n    build: .\n    image: app\n    ports: ['80:80']\n"


def _found(root: Path, *args: str) -> list[tuple[str, str]]:
    ran = run_cli("check", "--format", "json", *args, cwd=root)
    assert ran.code in (0, 1), ran.err
    return [(f["rule"], f["severity"]) for f in ran.json()["findings"]]


def test_a_pack_extends_another_and_adjusts_rules(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": COMPOSE,
            "team/platform/team.yaml": TEAM_POLICY,
            ".aixcl-lint/policies/pack.yaml": (
                "pack: 1\n"
                "extends: [builtin, ../../team/platform]\n"
                "rules:\n"
                "  compose/image-pinned:\n"
                "    severity: warning\n"
                "    options: {exempt-local-builds: false}\n"
                "  compose/no-port-mappings: {enabled: false}\n"
                "  team/restart: {severity: info}\n"
            ),
            ".aixcl-lint.yaml": "builtin: false\nprofile: aixcl\n",
        }
    )
    assert sorted(_found(root)) == [
        ("compose/image-pinned[untagged]", "warning"),
        ("compose/network-mode-host", "error"),
        ("team/restart", "info"),
    ]


def test_a_pack_adjusts_sub_ids_and_prefixes_as_select_names_them(repo: Repo) -> None:
    compose = "services:\n  web: {image: 'nginx:latest'}\n  db: {image: postgres}\n"
    pack = "pack: 1\nextends: [builtin]\nrules:\n"
    root = repo({"compose.yaml": compose, "a/pack.yaml": pack})
    assert sorted(_found(root, "--no-builtin", "--policy", "a")) == [
        ("compose/image-pinned[latest]", "error"),
        ("compose/image-pinned[untagged]", "error"),
    ]
    (root / "a/pack.yaml").write_text(pack + "  compose/image-pinned[latest]: {severity: info}\n")
    assert sorted(_found(root, "--no-builtin", "--policy", "a")) == [
        ("compose/image-pinned[latest]", "info"),
        ("compose/image-pinned[untagged]", "error"),
    ]
    (root / "a/pack.yaml").write_text(
        pack + "  compose/image-pinned[latest]: {enabled: false}\n  compose: {severity: warning}\n"
    )
    assert _found(root, "--no-builtin", "--policy", "a") == [
        ("compose/image-pinned[untagged]", "warning")
    ]


def test_the_built_in_pack_loads_once_however_often_it_is_extended(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": COMPOSE,
            ".aixcl-lint/policies/pack.yaml": "pack: 1\nextends: [builtin]\n",
        }
    )
    assert ("compose/no-port-mappings", "error") in _found(root, "--profile", "aixcl")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "a/pack.yaml": "pack: 1\nextends: [../b]\n",
                "b/pack.yaml": "pack: 1\nextends: [../a]\n",
            },
            "a/pack.yaml:1: packs extend each other: a -> b -> a",
        ),
        (
            {"a/pack.yaml": "pack: 1\nrules:\n  compose/nope: {severity: info}\n"},
            "a/pack.yaml:3: no rule 'compose/nope' in this pack or those it extends",
        ),
        (
            {
                "a/pack.yaml": "pack: 1\nextends: [builtin]\nrules:\n"
                "  docs/heading-structur: {enabled: false}\n"
            },
            "a/pack.yaml:4: no rule 'docs/heading-structur' in this pack or those it extends"
            " (did you mean 'docs/heading-structure'?)",
        ),
        (
            {
                "a/pack.yaml": "pack: 1\nextends: [builtin]\nrules:\n"
                "  compose/image-pinned: {options: {strict: true}}\n"
            },
            "a/pack.yaml:4: compose/image-pinned has no option 'strict'",
        ),
        ({"a/pack.yaml": "pack: 1\nextends: [../missing]\n"}, "extends '../missing': no such"),
        (
            {
                "a/pack.yaml": "pack: 1\nextends: [builtin]\nrules:\n"
                "  compose/image-pinned[latest]:\n    severty: warning\n"
            },
            "a/pack.yaml:4: compose/image-pinned[latest]: unknown key 'severty' "
            "(did you mean 'severity'?)",
        ),
        (
            {
                "a/pack.yaml": "pack: 1\nextends: [builtin]\nrules:\n"
                "  docs/anchors: {severty: info}\n"
            },
            "a/pack.yaml:4: docs/anchors: unknown key 'severty' (did you mean 'severity'?)",
        ),
        (
            {"a/pack.yaml": "pack: 1\nextend: [builtin]\n"},
            "a/pack.yaml:1: unknown pack key 'extend' (did you mean 'extends'?)",
        ),
        (
            {
                "a/pack.yaml": "pack: 1\nextends: [builtin]\nrules:\n"
                "  compose/image-pinned[latest]: {options: {exempt-local-builds: false}}\n"
            },
            "a/pack.yaml:4: compose/image-pinned[latest]: 'options' adjusts a whole rule, not a "
            "sub-id or a prefix, which takes severity / enabled",
        ),
        (
            {
                "a/pack.yaml": "pack: 1\nextends: [builtin]\nrules:\n"
                "  compose/image-pinned[lastest]: {enabled: false}\n"
            },
            "no rule 'compose/image-pinned[lastest]' in this pack or those it extends "
            "(did you mean 'compose/image-pinned[latest]'?)",
        ),
        (
            {
                "a/pack.yaml": "pack: 1\nextends: [builtin]\nrules:\n"
                "  compose/invalid[schema]: {severity: info}\n"
            },
            "a/pack.yaml:4: 'compose/invalid[schema]' is reported by aixcl-lint itself, not by a "
            "rule of a pack: adjust it in the config file (`severity:`, `ignore:`)",
        ),
        ({"a/pack.yaml": "version: 1\n"}, "a/pack.yaml:1: a pack file starts with `pack: 1`"),
    ],
)
def test_pack_errors_exit_2_with_file_and_line(
    repo: Repo, files: dict[str, str], expected: str
) -> None:
    root = repo({"compose.yaml": COMPOSE, **files})
    ran = run_cli("check", "--no-builtin", "--policy", "a", cwd=root)
    assert ran.code == 2
    assert expected in ran.err, ran.err
    assert len(ran.err.splitlines()) == 1
